package io.github.s3eg.multipart;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import io.github.s3eg.backend.BackendClients;
import io.github.s3eg.backend.ContentMd5;
import io.github.s3eg.backend.ReservedKeys;
import io.github.s3eg.s3.S3ErrorCode;
import io.github.s3eg.s3.S3Exception;
import io.github.s3eg.versions.TransientRecords;
import java.io.IOException;
import java.io.StringReader;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.model.DeleteObjectRequest;
import software.amazon.awssdk.services.s3.model.GetObjectRequest;
import software.amazon.awssdk.services.s3.model.NoSuchKeyException;
import software.amazon.awssdk.services.s3.model.PutObjectRequest;

/**
 * Everything the gateway keeps about multipart uploads, and where: in the backend, as small
 * reserved objects ({@link ReservedKeys}), so any gateway instance can serve any request of any
 * upload. A per-instance cache saves backend reads; it is only ever a copy of the backend.
 *
 * <ul>
 *   <li><b>Upload record</b> (from CreateMultipartUpload to Complete or Abort): the upload's {@code
 *       s3eg-} entries, i.e. its data key wrapped under the KEK for this bucket and key. Not
 *       secret: without the KEK it opens nothing, and it unwraps only for its own bucket and key.
 *   <li><b>Index</b> (written before the backend's Complete, until the object is deleted): the
 *       MAC'd part table of the object ({@link io.github.s3eg.crypto.MultipartIndex}), under a name
 *       of its own upload ({@link MultipartIndexes#nameOf}). A key may have several (an overwritten
 *       multipart object's, an upload whose Complete failed); each verifies only for its own
 *       object, and deleting the key deletes them all.
 * </ul>
 */
public final class MultipartState {

  private static final int MAX_INDEX_BYTES = 1 << 20;

  private record Name(String bucket, String key) {}

  /** A part count from an index, and when that index was written. */
  private record Count(int parts, Instant written) {}

  private final BackendClients backend;
  private final Cache<Name, Map<String, String>> records =
      Caffeine.newBuilder().maximumSize(10_000).expireAfterAccess(Duration.ofHours(1)).build();

  /** By object (bucket and the client's key): the last index this instance wrote or read. */
  private final Cache<Name, byte[]> indexes =
      Caffeine.newBuilder()
          .maximumWeight(32L << 20)
          .weigher((Name n, byte[] b) -> b.length + 64)
          .expireAfterAccess(Duration.ofHours(1))
          .build();

  /** Per bucket: index owner ({@link ReservedKeys#index(String)}) → newest part count. */
  private final Cache<String, Map<String, Count>> partCounts =
      Caffeine.newBuilder().maximumSize(1_000).expireAfterAccess(Duration.ofHours(1)).build();

  public MultipartState(BackendClients backend) {
    this.backend = backend;
  }

  /**
   * The part count of multipart object {@code key}, or 0 for an object not uploaded in parts, for
   * listings on backends whose multipart ETags lack the {@code -N} (S3Proxy 2.x, the embedded
   * store). The bucket's indexes are listed once (one LIST per 1,000 multipart objects) and then
   * kept up to date by this instance's own Completes and deletes; on such a backend the gateway is
   * the only writer, so nothing else changes them. Of several indexes of one key the newest counts.
   */
  public int partCount(String bucket, String key) {
    Map<String, Count> counts = partCounts.get(bucket, this::loadPartCounts);
    Count c = counts.get(ReservedKeys.index(key));
    return c == null ? 0 : c.parts();
  }

  private Map<String, Count> loadPartCounts(String bucket) {
    Map<String, Count> counts = new java.util.concurrent.ConcurrentHashMap<>();
    backend
        .s3()
        .listObjectsV2Paginator(l -> l.bucket(bucket).prefix(ReservedKeys.INDEX))
        .contents()
        .forEach(
            o -> {
              String owner = ReservedKeys.indexOwner(o.key());
              int n = io.github.s3eg.crypto.MultipartIndex.partCountOfEncodedSize(o.size());
              if (owner != null && n > 0) {
                Count c = new Count(n, o.lastModified() == null ? Instant.EPOCH : o.lastModified());
                counts.merge(owner, c, (a, b) -> a.written().isAfter(b.written()) ? a : b);
              }
            });
    return counts;
  }

  private void notePartCount(String bucket, String owner, int count) {
    Map<String, Count> counts = partCounts.getIfPresent(bucket);
    if (counts != null) {
      if (count > 0) {
        counts.put(owner, new Count(count, Instant.now()));
      } else {
        counts.remove(owner);
      }
    }
  }

  // ---- upload records

  public void writeUploadRecord(
      String bucket, String key, String uploadId, Map<String, String> entries) {
    String name = ReservedKeys.uploadRecord(key, uploadId);
    byte[] body = encode(entries);
    backend
        .s3()
        .putObject(
            PutObjectRequest.builder()
                .bucket(bucket)
                .key(name)
                .contentType("application/octet-stream")
                // Buckets with Object Lock want an integrity checksum on every upload.
                .contentMD5(ContentMd5.of(body))
                .build(),
            RequestBody.fromBytes(body));
    records.put(new Name(bucket, name), Map.copyOf(entries));
  }

  /**
   * The record of an upload in progress.
   *
   * @throws S3Exception NoSuchUpload if there is none (never created through the gateway, or
   *     completed or aborted)
   */
  public Map<String, String> uploadRecord(String bucket, String key, String uploadId) {
    Name name = new Name(bucket, ReservedKeys.uploadRecord(key, uploadId));
    Map<String, String> cached = records.getIfPresent(name);
    if (cached != null) {
      return cached;
    }
    byte[] body =
        read(name)
            .orElseThrow(
                () ->
                    new S3Exception(
                            S3ErrorCode.NO_SUCH_UPLOAD,
                            "The specified upload does not exist. The upload ID may be invalid,"
                                + " or the upload may have been aborted or completed.")
                        .with("UploadId", uploadId));
    Map<String, String> entries = decode(body);
    records.put(name, entries);
    return entries;
  }

  /** The record of an upload, if this instance has a copy of it (no backend request). */
  public Optional<Map<String, String>> cachedRecord(String bucket, String key, String uploadId) {
    return Optional.ofNullable(
        records.getIfPresent(new Name(bucket, ReservedKeys.uploadRecord(key, uploadId))));
  }

  /** Keeps a copy of an upload's record, as written or read by a route step. */
  public void rememberRecord(
      String bucket, String key, String uploadId, Map<String, String> entries) {
    records.put(new Name(bucket, ReservedKeys.uploadRecord(key, uploadId)), Map.copyOf(entries));
  }

  /** Forgets an upload's record (completed or aborted). */
  public void forgetRecord(String bucket, String key, String uploadId) {
    records.invalidate(new Name(bucket, ReservedKeys.uploadRecord(key, uploadId)));
  }

  public void deleteUploadRecord(String bucket, String key, String uploadId) {
    Name name = new Name(bucket, ReservedKeys.uploadRecord(key, uploadId));
    records.invalidate(name);
    if (transientRecords != null && transientRecords.keepsVersions(bucket)) {
      transientRecords.deleteEveryVersion(bucket, name.key());
      return;
    }
    delete(name);
  }

  private TransientRecords transientRecords;

  /** In buckets that keep versions, upload records go with every version of their name. */
  public void deleteTransientRecordsWith(TransientRecords records) {
    this.transientRecords = records;
  }

  // ---- indexes

  /**
   * Stores an index at {@code name} ({@link MultipartIndexes#nameOf}), before the backend completes
   * its object: a completed object never lacks its index.
   */
  public void writeIndex(String bucket, String name, byte[] index) {
    backend
        .s3()
        .putObject(
            PutObjectRequest.builder()
                .bucket(bucket)
                .key(name)
                .contentType("application/octet-stream")
                .contentMD5(ContentMd5.of(index))
                .build(),
            RequestBody.fromBytes(index));
  }

  /** The backend completed {@code key} with {@code index}: remember it for reads and listings. */
  public void completed(String bucket, String key, byte[] index) {
    indexes.put(new Name(bucket, key), index);
    notePartCount(
        bucket,
        ReservedKeys.index(key),
        io.github.s3eg.crypto.MultipartIndex.partCountOfEncodedSize(index.length));
  }

  /**
   * The index of object {@code key} stored at {@code name}, from the cache unless {@code fresh}.
   * The caller verifies it against the object (a cached index may be an earlier object's) and asks
   * again with {@code fresh} when the cached one does not.
   */
  public Optional<byte[]> index(String bucket, String key, String name, boolean fresh) {
    Name object = new Name(bucket, key);
    if (!fresh) {
      byte[] cached = indexes.getIfPresent(object);
      if (cached != null) {
        return Optional.of(cached);
      }
    }
    Optional<byte[]> read = read(new Name(bucket, name));
    read.ifPresentOrElse(b -> indexes.put(object, b), () -> indexes.invalidate(object));
    return read;
  }

  /** The cached index of {@code key}, if this instance has one (no backend request). */
  public Optional<byte[]> cachedIndex(String bucket, String key) {
    return Optional.ofNullable(indexes.getIfPresent(new Name(bucket, key)));
  }

  /** Keeps a copy of object {@code key}'s index, as read from the backend by a route step. */
  public void rememberIndex(String bucket, String key, byte[] index) {
    indexes.put(new Name(bucket, key), index);
  }

  /** Deletes one index by name (an aborted upload's). */
  public void deleteIndex(String bucket, String key, String name) {
    indexes.invalidate(new Name(bucket, key));
    if (transientRecords != null && transientRecords.keepsVersions(bucket)) {
      // The name is the aborted upload's alone: every version of it goes.
      transientRecords.deleteEveryVersion(bucket, name);
      return;
    }
    delete(new Name(bucket, name));
  }

  /**
   * Deletes every index of {@code key} (deleting the object deletes them): one LIST of the key's
   * index names, and a DELETE for each found (none for an object that was never multipart).
   */
  public void deleteIndexes(String bucket, String key) {
    forgetIndex(bucket, key);
    backend
        .s3()
        .listObjectsV2Paginator(l -> l.bucket(bucket).prefix(ReservedKeys.index(key)))
        .contents()
        .forEach(o -> delete(new Name(bucket, o.key())));
    delete(new Name(bucket, ReservedKeys.checksums(key)));
  }

  /**
   * The index names of any of {@code keys}, found by one walk over the bucket's index names in
   * order ({@link IndexSearch}): a request per 1,000 indexes passed over, at most one per key.
   */
  public List<String> indexesOf(String bucket, Collection<String> keys) {
    keys.forEach(k -> forgetIndex(bucket, k));
    return IndexSearch.find(backend.s3(), bucket, keys);
  }

  /** Forgets a cached index (the object was overwritten or deleted through this instance). */
  public void forgetIndex(String bucket, String key) {
    indexes.invalidate(new Name(bucket, key));
    notePartCount(bucket, ReservedKeys.index(key), 0);
  }

  /** Forgets everything cached about a deleted bucket (a new one may take its name). */
  public void forgetBucket(String bucket) {
    records.asMap().keySet().removeIf(n -> n.bucket().equals(bucket));
    indexes.asMap().keySet().removeIf(n -> n.bucket().equals(bucket));
    partCounts.invalidate(bucket);
  }

  // ---- backend access

  private Optional<byte[]> read(Name name) {
    try (var in =
        backend
            .s3()
            .getObject(GetObjectRequest.builder().bucket(name.bucket()).key(name.key()).build())) {
      if (in.response().contentLength() != null
          && in.response().contentLength() > MAX_INDEX_BYTES) {
        in.abort();
        throw new S3Exception(
            S3ErrorCode.INTERNAL_ERROR, "A gateway record is larger than any it writes.");
      }
      return Optional.of(in.readNBytes(MAX_INDEX_BYTES));
    } catch (NoSuchKeyException e) {
      return Optional.empty();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private void delete(Name name) {
    backend
        .s3()
        .deleteObject(DeleteObjectRequest.builder().bucket(name.bucket()).key(name.key()).build());
  }

  /** An upload record's bytes. */
  public static byte[] encode(Map<String, String> entries) {
    Properties p = new Properties();
    p.putAll(entries);
    StringWriter w = new StringWriter();
    try {
      p.store(w, null);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return w.toString().getBytes(StandardCharsets.ISO_8859_1);
  }

  /** An upload record from its bytes. */
  public static Map<String, String> decode(byte[] body) {
    Properties p = new Properties();
    try {
      p.load(new StringReader(new String(body, StandardCharsets.ISO_8859_1)));
    } catch (IOException | IllegalArgumentException e) {
      throw new S3Exception(S3ErrorCode.INTERNAL_ERROR, "An upload record is unreadable.");
    }
    Map<String, String> m = new LinkedHashMap<>();
    p.stringPropertyNames().forEach(k -> m.put(k, p.getProperty(k)));
    return Map.copyOf(m);
  }
}
