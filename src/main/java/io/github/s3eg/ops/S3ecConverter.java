package io.github.s3eg.ops;

import io.github.s3eg.backend.S3ecSources;
import io.github.s3eg.crypto.CryptoException;
import io.github.s3eg.crypto.EncryptionSession;
import io.github.s3eg.crypto.ObjectEncryptor;
import io.github.s3eg.crypto.ObjectMetadata;
import io.github.s3eg.crypto.s3ec.S3ecKeys;
import io.github.s3eg.crypto.s3ec.S3ecMetadata;
import io.github.s3eg.crypto.s3ec.S3ecObject;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicBoolean;
import software.amazon.awssdk.core.ResponseInputStream;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.GetObjectResponse;
import software.amazon.awssdk.services.s3.model.HeadObjectResponse;
import software.amazon.awssdk.services.s3.model.MetadataDirective;
import software.amazon.awssdk.services.s3.model.PutObjectResponse;

/**
 * {@code rewrap --convert}: turns an AWS S3 Encryption Client object into a gateway object (format
 * version 1) in place, streaming: the S3EC body is read, decrypted and re-encrypted under a fresh
 * data key wrapped by the active KEK, and written back to the same key in one PUT. Content headers
 * and the client's own metadata are kept; the S3EC's entries and its instruction file go.
 *
 * <p>Crash safety, as for re-wrapping:
 *
 * <ul>
 *   <li>The body is read and verified once before anything is written (a tampered object starts no
 *       upload), then read again (same version) and converted. The PUT replaces the object
 *       atomically: a run stopped at any point leaves either the S3EC object or the converted one,
 *       never a mixture; if the second read fails its tag after all, the stream fails before the
 *       upload's last byte and the backend never completes it.
 *   <li>The body read and the PUT are both conditional on the object being the one just looked at
 *       ({@code If-Match} with its backend ETag): an object changed in between is counted and left
 *       alone. (Backends that ignore {@code If-Match} on PUT cannot give this guarantee; see {@code
 *       docs/s3ec.md}.)
 *   <li>Idempotent and resumable: converted objects are gateway objects, which a second run
 *       re-wraps or skips; {@code --start-after} continues after the last key reported. An
 *       instruction file left by a run stopped between the PUT and its deletion is deleted by the
 *       next run.
 * </ul>
 *
 * The authenticated ETag entry goes on by a metadata-only self-copy after the PUT (conditional on
 * the PUT's ETag), as for a large PutObject; if it fails, the object stays readable without it.
 */
public final class S3ecConverter {

  /** What became of one object. */
  public enum Outcome {
    CONVERTED,
    /** Changed by someone else between the look and the write: left as it is. */
    CHANGED,
    /** Not an S3EC object. */
    NOT_S3EC
  }

  private final S3Client s3;
  private final S3ecKeys keys;
  private final ObjectEncryptor encryptor;

  public S3ecConverter(S3Client s3, S3ecKeys keys, ObjectEncryptor encryptor) {
    this.s3 = s3;
    this.keys = keys;
    this.encryptor = encryptor;
  }

  /**
   * Converts {@code bucket}/{@code key} (whose HEAD is {@code head}) if it is an S3EC object.
   * {@code dryRun} opens it (so the keys are checked) without writing.
   */
  public Outcome convert(String bucket, String key, HeadObjectResponse head, boolean dryRun)
      throws CryptoException {
    Optional<S3ecObject> opened = S3ecSources.open(s3, keys, bucket, key, head.metadata());
    if (opened.isEmpty()) {
      return Outcome.NOT_S3EC;
    }
    if (dryRun) {
      return Outcome.CONVERTED;
    }
    S3ecObject source = opened.get();
    long size = source.plaintextSize(head.contentLength());
    EncryptionSession session = encryptor.begin(bucket, key);
    Map<String, String> metadata = new LinkedHashMap<>();
    head.metadata()
        .forEach(
            (k, v) -> {
              if (!S3ecMetadata.isContentMetadataEntry(k) && !ObjectMetadata.isCryptoEntry(k)) {
                metadata.put(k, v);
              }
            });
    metadata.putAll(session.metadata());
    String bareEtag = head.eTag().replace("\"", "");
    PutObjectResponse put;
    // Verified first, so that a tampered object never starts an upload (a backend may keep
    // debris of an upload cut short); the second read is the same version (If-Match).
    try (ResponseInputStream<GetObjectResponse> body =
        s3.getObject(b -> b.bucket(bucket).key(key).ifMatch(bareEtag))) {
      source.verify(body, head.contentLength());
    } catch (software.amazon.awssdk.services.s3.model.S3Exception e) {
      if (e.statusCode() == 412) {
        return Outcome.CHANGED;
      }
      throw e;
    } catch (IOException e) {
      Optional<CryptoException> crypto = CryptoException.of(e);
      if (crypto.isPresent()) {
        throw crypto.get();
      }
      throw new UncheckedIOException(e);
    }
    try (ResponseInputStream<GetObjectResponse> body =
        s3.getObject(b -> b.bucket(bucket).key(key).ifMatch(bareEtag))) {
      InputStream plaintext = source.decryptDeferred(body, head.contentLength());
      put =
          s3.putObject(
              b ->
                  b.bucket(bucket)
                      .key(key)
                      .ifMatch(bareEtag)
                      .contentLength(session.ciphertextSize(size))
                      .metadata(metadata)
                      .contentType(head.contentType())
                      .contentEncoding(head.contentEncoding())
                      .contentDisposition(head.contentDisposition())
                      .contentLanguage(head.contentLanguage())
                      .cacheControl(head.cacheControl()),
              oneShot(session.encrypt(plaintext), session.ciphertextSize(size)));
    } catch (software.amazon.awssdk.services.s3.model.S3Exception e) {
      if (e.statusCode() == 412) {
        return Outcome.CHANGED;
      }
      throw e;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (software.amazon.awssdk.core.exception.SdkClientException e) {
      // A tampered body fails the upload's stream: report the object's fault, not the transport's.
      Optional<CryptoException> crypto = CryptoException.of(e);
      if (crypto.isPresent()) {
        throw crypto.get();
      }
      throw e;
    }
    recordEtag(bucket, key, head, metadata, session, put.eTag());
    s3.deleteObject(b -> b.bucket(bucket).key(key + S3ecMetadata.INSTRUCTION_SUFFIX));
    return Outcome.CONVERTED;
  }

  /**
   * Whether {@code key} is an S3EC instruction file (which a conversion handles with its object).
   * One whose object is no longer an S3EC object (a conversion stopped before it deleted the file)
   * is deleted, unless {@code dryRun}.
   */
  public boolean isInstructionFile(String bucket, String key, boolean dryRun) {
    if (!S3ecMetadata.isInstructionFileName(key)) {
      return false;
    }
    String objectKey = key.substring(0, key.length() - S3ecMetadata.INSTRUCTION_SUFFIX.length());
    Map<String, String> object;
    try {
      if (!S3ecMetadata.isInstructionFile(
          s3.headObject(b -> b.bucket(bucket).key(key)).metadata())) {
        return false;
      }
      object = s3.headObject(b -> b.bucket(bucket).key(objectKey)).metadata();
    } catch (software.amazon.awssdk.services.s3.model.NoSuchKeyException e) {
      return true; // an instruction file without its object: left alone
    }
    boolean orphaned = object.keySet().stream().anyMatch(ObjectMetadata::isCryptoEntry);
    if (orphaned && !dryRun) {
      s3.deleteObject(b -> b.bucket(bucket).key(key));
    }
    return true;
  }

  private void recordEtag(
      String bucket,
      String key,
      HeadObjectResponse head,
      Map<String, String> metadata,
      EncryptionSession session,
      String putEtag) {
    Map<String, String> withTrailer = new LinkedHashMap<>(metadata);
    withTrailer.putAll(session.sealedTrailerMetadata());
    try {
      s3.copyObject(
          b ->
              b.sourceBucket(bucket)
                  .sourceKey(key)
                  .destinationBucket(bucket)
                  .destinationKey(key)
                  .copySourceIfMatch(putEtag)
                  .metadataDirective(MetadataDirective.REPLACE)
                  .metadata(withTrailer)
                  .contentType(head.contentType())
                  .contentEncoding(head.contentEncoding())
                  .contentDisposition(head.contentDisposition())
                  .contentLanguage(head.contentLanguage())
                  .cacheControl(head.cacheControl()));
    } catch (RuntimeException e) {
      // Readable without it (its ETag is then not an MD5); a later re-wrap keeps what is there.
    }
  }

  /** A request body the SDK can read once: a retry fails instead of sending a partial body. */
  private static RequestBody oneShot(InputStream body, long length) {
    AtomicBoolean used = new AtomicBoolean();
    return RequestBody.fromContentProvider(
        () -> {
          if (used.getAndSet(true)) {
            throw new IllegalStateException("a streamed request body cannot be sent twice");
          }
          return body;
        },
        length,
        "application/octet-stream");
  }
}
