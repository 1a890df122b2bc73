package io.github.s3eg.ops;

import io.github.s3eg.crypto.CryptoException;
import io.github.s3eg.crypto.ObjectMetadata;
import io.github.s3eg.crypto.ObjectRebinder;
import io.github.s3eg.keys.KeyManager;
import io.github.s3eg.keys.KeyReference;
import io.github.s3eg.multipart.MultipartIndexes;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.BiConsumer;
import java.util.function.Consumer;
import software.amazon.awssdk.awscore.exception.AwsServiceException;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.CopyObjectRequest;
import software.amazon.awssdk.services.s3.model.HeadObjectResponse;
import software.amazon.awssdk.services.s3.model.ListObjectsV2Request;
import software.amazon.awssdk.services.s3.model.ListObjectsV2Response;
import software.amazon.awssdk.services.s3.model.MetadataDirective;
import software.amazon.awssdk.services.s3.model.S3Object;

/**
 * Rotation by re-wrapping: every object's data key is unwrapped under its current KEK version and
 * wrapped again under the active one, and the new wrap is stored by a metadata-only server-side
 * copy of the object onto itself. Object bodies never move and never change; content headers, user
 * metadata and the plaintext ETag entry are kept.
 *
 * <ul>
 *   <li>Idempotent: objects already under the active KEK are skipped.
 *   <li>Resumable: {@code startAfter} continues after the last key a previous run reported.
 *   <li>Safe while clients write: each copy is conditional on the object being the one just read
 *       (copy-source-if-match); an object changed in between is counted and left as the client
 *       wrote it (it was written under the active KEK anyway).
 * </ul>
 */
public final class Rewrapper {

  /** What one run did. */
  public record Result(
      long scanned,
      long rewrapped,
      long current,
      long plaintext,
      long changedConcurrently,
      long failed,
      String lastKey,
      long converted) {

    Result(
        long scanned,
        long rewrapped,
        long current,
        long plaintext,
        long changedConcurrently,
        long failed,
        String lastKey) {
      this(scanned, rewrapped, current, plaintext, changedConcurrently, failed, lastKey, 0);
    }

    @Override
    public String toString() {
      return "scanned="
          + scanned
          + " rewrapped="
          + rewrapped
          + (converted > 0 ? " converted=" + converted : "")
          + " already-current="
          + current
          + " plaintext="
          + plaintext
          + " changed-concurrently="
          + changedConcurrently
          + " failed="
          + failed
          + " last-key="
          + (lastKey == null ? "" : lastKey);
    }
  }

  private final S3Client s3;
  private final KeyManager keys;
  private final ObjectRebinder rebinder;
  private final BiConsumer<String, String> aroundWrite;
  private S3ecConverter converter;

  public Rewrapper(S3Client s3, KeyManager keys) {
    this(s3, keys, (bucket, key) -> {});
  }

  /**
   * {@code aroundWrite} is called with bucket and key before each object's rewrite and again after
   * it, whatever its outcome: the gateway's object cache drops its copy there (the plaintext is
   * unchanged, but the object's Last-Modified is not).
   */
  public Rewrapper(S3Client s3, KeyManager keys, BiConsumer<String, String> aroundWrite) {
    this.s3 = s3;
    this.keys = keys;
    this.rebinder = new ObjectRebinder(keys);
    this.aroundWrite = aroundWrite;
  }

  /** Enables {@code --convert}: S3 Encryption Client objects are converted (see the converter). */
  public Rewrapper converting(S3ecConverter converter) {
    this.converter = converter;
    return this;
  }

  /**
   * Re-wraps the objects of {@code bucket} under {@code prefix} (may be empty) after {@code
   * startAfter} (may be null). {@code dryRun} counts without writing. {@code progress} receives a
   * line every 100 objects.
   */
  public Result run(
      String bucket, String prefix, String startAfter, boolean dryRun, Consumer<String> progress) {
    return run(bucket, prefix, startAfter, dryRun, false, progress);
  }

  /**
   * As {@link #run(String, String, String, boolean, Consumer)}; with {@code convert}, S3 Encryption
   * Client objects are also converted into the gateway's format ({@link #converting} must have been
   * called).
   */
  public Result run(
      String bucket,
      String prefix,
      String startAfter,
      boolean dryRun,
      boolean convert,
      Consumer<String> progress) {
    if (convert && converter == null) {
      throw new IllegalStateException("conversion is not configured (ENCRYPTION_S3EC_KEYS)");
    }
    long scanned = 0, rewrapped = 0, current = 0, plaintext = 0, changed = 0, failed = 0;
    long converted = 0;
    String lastKey = startAfter;
    KeyReference active = keys.activeKey();
    String token = null;
    do {
      ListObjectsV2Request.Builder list =
          ListObjectsV2Request.builder().bucket(bucket).prefix(prefix);
      if (token != null) {
        list.continuationToken(token);
      } else if (startAfter != null) {
        list.startAfter(startAfter);
      }
      ListObjectsV2Response page = s3.listObjectsV2(list.build());
      for (S3Object o : page.contents()) {
        lastKey = o.key();
        if (io.github.s3eg.backend.ReservedKeys.isReserved(o.key())) {
          continue; // the gateway's own records and indexes carry no wrapped key
        }
        if (convert && converter.isInstructionFile(bucket, o.key(), dryRun)) {
          continue; // an S3EC instruction file: goes with its object's conversion
        }
        scanned++;
        try {
          switch (rewrap(bucket, o.key(), active, dryRun, convert)) {
            case REWRAPPED -> rewrapped++;
            case CURRENT -> current++;
            case PLAINTEXT -> plaintext++;
            case CHANGED -> changed++;
            case CONVERTED -> converted++;
          }
        } catch (CryptoException | RuntimeException e) {
          failed++;
          progress.accept("failed: " + o.key() + ": " + e.getMessage());
        }
        if (scanned % 100 == 0) {
          progress.accept(
              "progress: "
                  + new Result(
                      scanned, rewrapped, current, plaintext, changed, failed, lastKey, converted));
        }
      }
      token = Boolean.TRUE.equals(page.isTruncated()) ? page.nextContinuationToken() : null;
    } while (token != null);
    return new Result(scanned, rewrapped, current, plaintext, changed, failed, lastKey, converted);
  }

  private enum Outcome {
    REWRAPPED,
    CURRENT,
    PLAINTEXT,
    CHANGED,
    CONVERTED
  }

  private Outcome rewrap(
      String bucket, String key, KeyReference active, boolean dryRun, boolean convert)
      throws CryptoException {
    HeadObjectResponse head = s3.headObject(h -> h.bucket(bucket).key(key));
    Map<String, String> metadata = head.metadata();
    if (metadata.keySet().stream().noneMatch(ObjectMetadata::isCryptoEntry)) {
      if (convert) {
        aroundWrite.accept(bucket, key);
        try {
          switch (converter.convert(bucket, key, head, dryRun)) {
            case CONVERTED -> {
              return Outcome.CONVERTED;
            }
            case CHANGED -> {
              return Outcome.CHANGED;
            }
            case NOT_S3EC -> {}
          }
        } finally {
          aroundWrite.accept(bucket, key);
        }
      }
      return Outcome.PLAINTEXT;
    }
    if (ObjectMetadata.parse(metadata).wrappedKey().kek().equals(active)) {
      return Outcome.CURRENT;
    }
    if (dryRun) {
      return Outcome.REWRAPPED;
    }
    Map<String, String> updated = new LinkedHashMap<>();
    metadata.forEach(
        (k, v) -> {
          if (!ObjectMetadata.isCryptoEntry(k)) {
            updated.put(k, v);
          }
        });
    updated.putAll(rebinder.rebind(bucket, key, metadata, bucket, key));
    CopyObjectRequest.Builder copy =
        CopyObjectRequest.builder()
            .sourceBucket(bucket)
            .sourceKey(key)
            .destinationBucket(bucket)
            .destinationKey(key)
            .copySourceIfMatch(head.eTag())
            .metadataDirective(MetadataDirective.REPLACE)
            .metadata(updated)
            .contentType(head.contentType())
            .contentEncoding(head.contentEncoding())
            .contentDisposition(head.contentDisposition())
            .contentLanguage(head.contentLanguage())
            .cacheControl(head.cacheControl());
    aroundWrite.accept(bucket, key);
    try {
      if (ObjectMetadata.parse(metadata).isMultipart()) {
        rewrapMultipart(bucket, key, head, metadata, updated);
        return Outcome.REWRAPPED;
      }
      s3.copyObject(copy.build());
      return Outcome.REWRAPPED;
    } catch (AwsServiceException e) {
      if (e.statusCode() == 412) {
        return Outcome.CHANGED;
      }
      throw e;
    } finally {
      aroundWrite.accept(bucket, key);
    }
  }

  /**
   * A multipart object is re-wrapped by copying it onto itself part by part (UploadPartCopy of each
   * stored part, the backend moves the bytes): a plain CopyObject would turn it into a single-part
   * backend object, whose ETag no longer tells listings its part count, and cannot copy objects
   * above 5 GiB. Its index stays valid (same data key, same name); a format version 3 object
   * becomes version 4, so its index is first written under the version 4 name and the old one is
   * deleted after. An object without its index is refused (it could have lost parts).
   */
  private void rewrapMultipart(
      String bucket,
      String key,
      HeadObjectResponse head,
      Map<String, String> metadata,
      Map<String, String> updated)
      throws CryptoException {
    io.github.s3eg.crypto.ObjectDecryptor decryptor =
        new io.github.s3eg.crypto.ObjectDecryptor(keys);
    io.github.s3eg.crypto.OpenedObject source = decryptor.open(bucket, key, metadata);
    io.github.s3eg.crypto.OpenedObject target = decryptor.open(bucket, key, updated);
    String sourceName = MultipartIndexes.nameOf(source, key);
    String targetName = MultipartIndexes.nameOf(target, key);
    byte[] encoded;
    try {
      encoded = s3.getObjectAsBytes(b -> b.bucket(bucket).key(sourceName)).asByteArray();
    } catch (software.amazon.awssdk.services.s3.model.NoSuchKeyException e) {
      throw new CryptoException.MetadataAuthenticationFailed(
          "the multipart object's index is missing: its part list cannot be proved complete");
    }
    io.github.s3eg.crypto.MultipartIndex index = source.openIndex(encoded, bucket, key);
    if (index.ciphertextSize() != head.contentLength()) {
      throw new CryptoException.MetadataAuthenticationFailed(
          "the object's size does not match its multipart index");
    }
    io.github.s3eg.multipart.PartwiseCopy.copy(
        s3,
        bucket,
        key,
        null,
        head.eTag(),
        index,
        bucket,
        key,
        b ->
            b.metadata(updated)
                .contentType(head.contentType())
                .contentEncoding(head.contentEncoding())
                .contentDisposition(head.contentDisposition())
                .contentLanguage(head.contentLanguage())
                .cacheControl(head.cacheControl()),
        io.github.s3eg.backend.WriteCondition.NONE,
        () -> {
          if (!targetName.equals(sourceName)) {
            s3.putObject(
                b ->
                    b.bucket(bucket)
                        .key(targetName)
                        .contentType("application/octet-stream")
                        .contentMD5(io.github.s3eg.backend.ContentMd5.of(encoded)),
                software.amazon.awssdk.core.sync.RequestBody.fromBytes(encoded));
          }
        });
    if (!targetName.equals(sourceName)) {
      s3.deleteObject(b -> b.bucket(bucket).key(sourceName));
    }
  }
}
