package io.github.s3eg.versions;

import io.github.s3eg.backend.ReservedKeys;
import io.github.s3eg.crypto.CryptoException;
import io.github.s3eg.crypto.ObjectMetadata;
import io.github.s3eg.crypto.StreamHeader;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.ListObjectVersionsResponse;
import software.amazon.awssdk.services.s3.model.ObjectVersion;

/**
 * The gateway's own records that belong to one version of an object: a multipart object's index and
 * checksum record (docs/object-format.md §12). A version names its upload by its {@code s3eg-hdr}
 * (the random upload header, authenticated by the data key's wrap); every record begins with the
 * same 40 bytes after its version byte, and is MAC'd with them. So the records of a version are the
 * versions of the record names of its key whose first bytes carry its header — however many other
 * versions of the key there are, and whatever order they were written in.
 *
 * <p>This is identification, not authentication: a record is proven genuine when it is read (its
 * MAC), not here. What is found here is locked with the version ({@link RecordLocks}) or deleted
 * with it, and a record someone with write access to the backend forged with a matching header
 * could only be locked or deleted along with the version, which harms nothing.
 */
public final class VersionRecords {

  /** One version of one record. */
  public record Record(String name, String versionId) {}

  /** Where the upload header sits in every record: after the one version byte. */
  static final int HEADER_OFFSET = 1;

  private final S3Client backend;
  private final BucketFeatures features;

  public VersionRecords(S3Client backend, BucketFeatures features) {
    this.backend = backend;
    this.features = features;
  }

  /**
   * The records of the object version whose metadata is {@code objectMetadata}: none for an object
   * that is not multipart (its trailer lives in its own metadata) or that the gateway did not
   * write.
   */
  public List<Record> of(String bucket, String key, Map<String, String> objectMetadata) {
    byte[] header = uploadHeader(objectMetadata);
    if (header == null) {
      return List.of();
    }
    List<Record> found = new ArrayList<>();
    for (String family : RecordNames.of(key)) {
      for (ObjectVersion v : versionsOf(bucket, family)) {
        if (startsWith(bucket, v, header)) {
          found.add(new Record(v.key(), v.versionId()));
        }
      }
    }
    return found;
  }

  /**
   * The newest version of the record {@code name} that begins with {@code uploadHeader}: the record
   * of an older version of a key, when the key's one record name has been written again for a newer
   * version since (or hidden behind a delete marker). Empty when there is none.
   */
  public java.util.Optional<byte[]> read(String bucket, String name, byte[] uploadHeader) {
    if (!features.keepsVersions(bucket)) {
      return java.util.Optional.empty();
    }
    for (ObjectVersion v : versionsOf(bucket, name)) {
      if (!v.key().equals(name) || v.size() == null || v.size() > MAX_RECORD_BYTES) {
        continue;
      }
      byte[] body;
      try (var in = backend.getObject(g -> g.bucket(bucket).key(name).versionId(v.versionId()))) {
        body = in.readNBytes(MAX_RECORD_BYTES);
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
      int end = HEADER_OFFSET + StreamHeader.LENGTH;
      if (body.length >= end
          && MessageDigest.isEqual(
              java.util.Arrays.copyOfRange(body, HEADER_OFFSET, end), uploadHeader)) {
        return java.util.Optional.of(body);
      }
    }
    return java.util.Optional.empty();
  }

  /** Larger than any record the gateway writes. */
  static final int MAX_RECORD_BYTES = 1 << 20;

  /** The upload header of a multipart object, or null for any other object. */
  static byte[] uploadHeader(Map<String, String> objectMetadata) {
    try {
      ObjectMetadata m = ObjectMetadata.parse(objectMetadata);
      return m.isMultipart() ? m.header().encode() : null;
    } catch (CryptoException notTheGatewaysOrNotValid) {
      return null;
    }
  }

  /** Every version (not delete markers) of exactly {@code key}. */
  public List<ObjectVersion> versionsOfKey(String bucket, String key) {
    List<ObjectVersion> out = new ArrayList<>();
    String keyMarker = null;
    String versionMarker = null;
    while (true) {
      String km = keyMarker;
      String vm = versionMarker;
      ListObjectVersionsResponse r =
          backend.listObjectVersions(
              l -> l.bucket(bucket).prefix(key).keyMarker(km).versionIdMarker(vm));
      r.versions().stream().filter(v -> v.key().equals(key)).forEach(out::add);
      boolean pastKey =
          r.versions().stream().anyMatch(v -> !v.key().equals(key))
              || r.deleteMarkers().stream().anyMatch(m -> !m.key().equals(key));
      if (pastKey || !Boolean.TRUE.equals(r.isTruncated()) || r.nextKeyMarker() == null) {
        return out;
      }
      keyMarker = r.nextKeyMarker();
      versionMarker = r.nextVersionIdMarker();
    }
  }

  /**
   * Every version (not delete markers) of the record names of one family: the key's one name
   * ({@code family}) and the names of its uploads ({@code family.<tag>}).
   */
  List<ObjectVersion> versionsOf(String bucket, String family) {
    List<ObjectVersion> out = new ArrayList<>();
    if (!features.keepsVersions(bucket)) {
      // One version per name, the current one (and no ListObjectVersions on some such backends).
      backend.listObjectsV2Paginator(l -> l.bucket(bucket).prefix(family)).contents().stream()
          .filter(o -> o.key().equals(family) || o.key().startsWith(family + "."))
          .forEach(o -> out.add(ObjectVersion.builder().key(o.key()).size(o.size()).build()));
      return out;
    }
    String keyMarker = null;
    String versionMarker = null;
    while (true) {
      String km = keyMarker;
      String vm = versionMarker;
      ListObjectVersionsResponse r =
          backend.listObjectVersions(
              l -> l.bucket(bucket).prefix(family).keyMarker(km).versionIdMarker(vm));
      r.versions().stream()
          .filter(v -> v.key().equals(family) || v.key().startsWith(family + "."))
          .forEach(out::add);
      if (!Boolean.TRUE.equals(r.isTruncated()) || r.nextKeyMarker() == null) {
        return out;
      }
      keyMarker = r.nextKeyMarker();
      versionMarker = r.nextVersionIdMarker();
    }
  }

  private boolean startsWith(String bucket, ObjectVersion v, byte[] header) {
    int end = HEADER_OFFSET + StreamHeader.LENGTH;
    if (v.size() == null || v.size() < end) {
      return false;
    }
    try (var in =
        backend.getObject(
            g ->
                g.bucket(bucket)
                    .key(v.key())
                    .versionId(v.versionId())
                    .range("bytes=" + HEADER_OFFSET + "-" + (end - 1)))) {
      return MessageDigest.isEqual(in.readNBytes(StreamHeader.LENGTH), header);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /**
   * The name families of a key's records: the index and the checksum record, each either at the
   * key's one name or at a name of its upload beginning with it.
   */
  static final class RecordNames {
    private RecordNames() {}

    static List<String> of(String key) {
      return List.of(ReservedKeys.index(key), ReservedKeys.checksums(key));
    }
  }
}
