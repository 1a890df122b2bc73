package io.github.s3eg.multipart;

import io.github.s3eg.backend.BackendClients;
import io.github.s3eg.backend.ContentMd5;
import io.github.s3eg.backend.ReservedKeys;
import io.github.s3eg.crypto.CryptoException;
import io.github.s3eg.crypto.MultipartChecksumRecord;
import io.github.s3eg.crypto.OpenedObject;
import io.github.s3eg.crypto.PartChecksumMarker;
import io.github.s3eg.versions.TransientRecords;
import io.github.s3eg.versions.VersionRecords;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.model.Delete;
import software.amazon.awssdk.services.s3.model.GetObjectRequest;
import software.amazon.awssdk.services.s3.model.ListObjectsV2Response;
import software.amazon.awssdk.services.s3.model.NoSuchKeyException;
import software.amazon.awssdk.services.s3.model.ObjectIdentifier;
import software.amazon.awssdk.services.s3.model.S3Object;

/**
 * Where the checksums of multipart uploads live in the backend (docs/object-format.md §12.7): one
 * empty marker object per uploaded part while the upload is open (its checksum in its name, so one
 * listing per 1,000 parts reads them), and after Complete one record per object beside its index.
 * The backend never sees a checksum header: these are the gateway's own objects.
 */
public final class MultipartChecksums {

  private static final Logger LOG = LoggerFactory.getLogger(MultipartChecksums.class);
  private static final int MAX_RECORD_BYTES = 1 << 20;

  private static final byte[] MARKER_BODY = {'\n'};

  /**
   * A marker's body: one byte, not none. Ceph RGW 16.2 refuses an empty body sent as signed
   * aws-chunked (what the SDK sends over plain HTTP) with 400 "chunk signature mismatch". The name
   * is the record.
   */
  public static byte[] markerBody() {
    return MARKER_BODY.clone();
  }

  private final BackendClients backend;

  public MultipartChecksums(BackendClients backend) {
    this.backend = backend;
  }

  // ---- part markers (upload in progress)

  /**
   * Records a part's checksum after the backend stored the part, bound to it by its backend ETag.
   */
  public void recordPart(
      String bucket,
      String key,
      String uploadId,
      OpenedObject upload,
      int partNumber,
      String backendEtag,
      String algorithm,
      byte[] checksum) {
    String name = markerKey(key, uploadId, upload, partNumber, backendEtag, algorithm, checksum);
    backend
        .s3()
        .putObject(
            p -> p.bucket(bucket).key(name).contentMD5(ContentMd5.of(MARKER_BODY)),
            RequestBody.fromBytes(MARKER_BODY));
  }

  /**
   * The key of the marker that records a part's checksum, bound to the stored part by its backend
   * ETag and sealed under the upload's checksum key.
   */
  public static String markerKey(
      String key,
      String uploadId,
      OpenedObject upload,
      int partNumber,
      String backendEtag,
      String algorithm,
      byte[] checksum) {
    return ReservedKeys.partChecksums(key, uploadId)
        + new PartChecksumMarker(
                partNumber, PartChecksumMarker.etagTag(backendEtag), algorithm, checksum)
            .name(upload.multipartChecksumKey(), upload.header());
  }

  /** The recorded checksum of the stored part {@code partNumber} (backend ETag), if any. */
  public static Optional<byte[]> recorded(
      Map<Integer, List<PartChecksumMarker>> markers, int partNumber, String backendEtag) {
    String tag = PartChecksumMarker.etagTag(backendEtag);
    return markers.getOrDefault(partNumber, List.of()).stream()
        .filter(m -> m.etagTag().equals(tag))
        .map(PartChecksumMarker::checksum)
        .findFirst();
  }

  /**
   * Every verified marker of the upload, by part number (a part number may have several: one per
   * upload of that part; the caller picks the one whose ETag tag matches the stored part).
   */
  public Map<Integer, List<PartChecksumMarker>> partMarkers(
      String bucket, String key, String uploadId, OpenedObject upload) {
    return markers(
        list(bucket, ReservedKeys.partChecksums(key, uploadId)).stream()
            .map(S3Object::key)
            .toList(),
        key,
        uploadId,
        upload);
  }

  /** The verified markers among {@code names} (the keys listed in the upload's marker folder). */
  public static Map<Integer, List<PartChecksumMarker>> markers(
      List<String> names, String key, String uploadId, OpenedObject upload) {
    byte[] macKey = upload.multipartChecksumKey();
    String folder = ReservedKeys.partChecksums(key, uploadId);
    Map<Integer, List<PartChecksumMarker>> markers = new HashMap<>();
    for (String listed : names) {
      String name = listed.startsWith(folder) ? listed.substring(folder.length()) : "";
      PartChecksumMarker.open(name, macKey, upload.header())
          .ifPresentOrElse(
              m -> markers.computeIfAbsent(m.partNumber(), n -> new ArrayList<>()).add(m),
              () -> LOG.warn("ignoring a part checksum marker that does not verify: {}", listed));
    }
    return markers;
  }

  /** Deletes the upload's markers (after Complete or Abort); failures are only logged. */
  public void deletePartMarkers(String bucket, String key, String uploadId) {
    if (transientRecords != null && transientRecords.keepsVersions(bucket)) {
      transientRecords.deleteEveryVersion(bucket, ReservedKeys.partChecksums(key, uploadId));
      return;
    }
    try {
      List<S3Object> all = list(bucket, ReservedKeys.partChecksums(key, uploadId));
      if (!backend.acceptsChecksumHeaders()) {
        // DeleteObjects carries a checksum header such backends refuse (see BackendClients).
        all.forEach(o -> backend.s3().deleteObject(d -> d.bucket(bucket).key(o.key())));
        return;
      }
      for (int i = 0; i < all.size(); i += 1000) {
        List<ObjectIdentifier> batch =
            all.subList(i, Math.min(all.size(), i + 1000)).stream()
                .map(o -> ObjectIdentifier.builder().key(o.key()).build())
                .toList();
        backend
            .s3()
            .deleteObjects(
                d -> d.bucket(bucket).delete(Delete.builder().objects(batch).quiet(true).build()));
      }
    } catch (RuntimeException e) {
      LOG.warn("could not delete the part checksums of {}/{}: {}", bucket, key, e.getMessage());
    }
  }

  private List<S3Object> list(String bucket, String prefix) {
    List<S3Object> out = new ArrayList<>();
    String token = null;
    do {
      String from = token;
      ListObjectsV2Response r =
          backend.s3().listObjectsV2(l -> l.bucket(bucket).prefix(prefix).continuationToken(from));
      out.addAll(r.contents());
      token = Boolean.TRUE.equals(r.isTruncated()) ? r.nextContinuationToken() : null;
    } while (token != null);
    return out;
  }

  // ---- object records (after Complete)

  /** Writes the checksum record of a completed object (after its index). */
  public void writeRecord(
      String bucket, String key, OpenedObject upload, MultipartChecksumRecord r) {
    byte[] sealed = sealedRecord(bucket, key, upload, r);
    backend
        .s3()
        .putObject(
            p ->
                p.bucket(bucket).key(ReservedKeys.checksums(key)).contentMD5(ContentMd5.of(sealed)),
            RequestBody.fromBytes(sealed));
  }

  /** A completed object's checksum record, sealed for its bucket and key. */
  public static byte[] sealedRecord(
      String bucket, String key, OpenedObject upload, MultipartChecksumRecord r) {
    return r.seal(upload.multipartChecksumKey(), bucket, key);
  }

  /**
   * The checksum record of a multipart object, if its upload chose an algorithm. A record of an
   * earlier object under this name does not verify and is ignored.
   */
  public Optional<MultipartChecksumRecord> record(OpenedObject opened, String bucket, String key) {
    byte[] encoded;
    try (var in =
        backend
            .s3()
            .getObject(
                GetObjectRequest.builder()
                    .bucket(bucket)
                    .key(ReservedKeys.checksums(key))
                    .build())) {
      encoded = in.readNBytes(MAX_RECORD_BYTES);
    } catch (NoSuchKeyException e) {
      encoded = null;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    Optional<MultipartChecksumRecord> current =
        encoded == null ? Optional.empty() : open(encoded, opened, bucket, key);
    if (current.isPresent() || olderVersions == null) {
      return current;
    }
    // A versioned bucket keeps every version's record under the key's one name.
    return olderVersions
        .read(bucket, ReservedKeys.checksums(key), opened.header().encode())
        .flatMap(older -> open(older, opened, bucket, key));
  }

  private static Optional<MultipartChecksumRecord> open(
      byte[] encoded, OpenedObject opened, String bucket, String key) {
    try {
      return Optional.of(
          MultipartChecksumRecord.open(
              encoded, opened.multipartChecksumKey(), opened.header(), bucket, key));
    } catch (CryptoException e) {
      LOG.debug(
          "the checksum record of {}/{} is not this object's: {}", bucket, key, e.getMessage());
      return Optional.empty();
    }
  }

  private VersionRecords olderVersions;
  private TransientRecords transientRecords;

  /** In buckets that keep versions, part markers go with every version of their names. */
  public void deleteTransientRecordsWith(TransientRecords records) {
    this.transientRecords = records;
  }

  /** Finds the record of an older version of a key among the versions of its record name. */
  public void readOlderVersionsWith(VersionRecords records) {
    this.olderVersions = records;
  }

  /**
   * Deletes the record of {@code key}, if any (deleting the object deletes it). Not in a bucket
   * that keeps versions: there the record under the key's name belongs to an older version, which
   * still needs it.
   */
  public void deleteRecord(String bucket, String key) {
    if (transientRecords != null && transientRecords.keepsVersions(bucket)) {
      return;
    }
    backend.s3().deleteObject(d -> d.bucket(bucket).key(ReservedKeys.checksums(key)));
  }
}
