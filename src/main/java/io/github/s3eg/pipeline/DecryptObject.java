package io.github.s3eg.pipeline;

import io.github.s3eg.backend.BackendClients;
import io.github.s3eg.crypto.CryptoException;
import io.github.s3eg.crypto.MultipartChecksumRecord;
import io.github.s3eg.crypto.ObjectDecryptor;
import io.github.s3eg.crypto.OpenedObject;
import io.github.s3eg.multipart.MultipartChecksums;
import io.github.s3eg.multipart.MultipartIndexes;
import io.github.s3eg.s3.S3ErrorCode;
import io.github.s3eg.s3.S3Exception;
import io.github.s3eg.s3.S3Request;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;
import software.amazon.awssdk.core.ResponseInputStream;
import software.amazon.awssdk.services.s3.model.GetObjectRequest;
import software.amazon.awssdk.services.s3.model.GetObjectResponse;

/**
 * Opens stored objects: validates an object's {@code s3eg-} metadata and unwraps its data key for
 * its bucket and key (a moved or altered object fails here), as {@link ObjectKey}. An object
 * without any encryption metadata is refused unless {@code ENCRYPTION_ALLOW_PLAINTEXT_READS=true};
 * partial or malformed metadata is never taken for plaintext.
 */
public final class DecryptObject {

  private static final Pattern CONTENT_RANGE = Pattern.compile("bytes (\\d+)-(\\d+)/(\\d+)");

  private final ObjectDecryptor decryptor;
  private final BackendClients backend;
  private final boolean allowPlaintextReads;
  private MultipartIndexes multipartIndexes;
  private MultipartChecksums multipartChecksums;

  public DecryptObject(
      ObjectDecryptor decryptor, BackendClients backend, boolean allowPlaintextReads) {
    this.decryptor = decryptor;
    this.backend = backend;
    this.allowPlaintextReads = allowPlaintextReads;
  }

  /** Enables reading multipart objects (their indexes are found through {@code indexes}). */
  public void readMultipart(MultipartIndexes indexes) {
    this.multipartIndexes = indexes;
  }

  /** Enables showing multipart objects' checksums (their records are found through it). */
  public void readChecksums(MultipartChecksums checksums) {
    this.multipartChecksums = checksums;
  }

  /** A multipart object's checksum record (object and part checksums), if any. */
  Optional<MultipartChecksumRecord> multipartChecksumRecord(OpenedObject opened, S3Request s3) {
    return multipartChecksums == null
        ? Optional.empty()
        : multipartChecksums.record(opened, s3.bucket(), s3.key());
  }

  MultipartIndexes multipartIndexes() {
    if (multipartIndexes == null) {
      throw new S3Exception(S3ErrorCode.INTERNAL_ERROR, "multipart objects cannot be read here");
    }
    return multipartIndexes;
  }

  boolean allowPlaintextReads() {
    return allowPlaintextReads;
  }

  /**
   * Verifies a stored object's metadata and unwraps its data key for {@code bucket}/{@code key}.
   */
  ObjectKey resolve(String bucket, String key, Map<String, String> metadata)
      throws CryptoException {
    return ObjectKey.resolve(decryptor, allowPlaintextReads, bucket, key, metadata);
  }

  ResponseInputStream<GetObjectResponse> fetch(S3Request s3, String range) {
    return backend
        .s3()
        .getObject(
            GetObjectRequest.builder().bucket(s3.bucket()).key(s3.key()).range(range).build());
  }
}
