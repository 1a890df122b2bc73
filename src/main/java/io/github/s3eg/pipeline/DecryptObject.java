package io.github.s3eg.pipeline;

import io.github.s3eg.backend.BackendClients;
import io.github.s3eg.crypto.CryptoException;
import io.github.s3eg.crypto.MultipartChecksumRecord;
import io.github.s3eg.crypto.ObjectDecryptor;
import io.github.s3eg.crypto.ObjectMetadata;
import io.github.s3eg.crypto.OpenedObject;
import io.github.s3eg.multipart.MultipartChecksums;
import io.github.s3eg.multipart.MultipartIndexes;
import io.github.s3eg.s3.S3ErrorCode;
import io.github.s3eg.s3.S3Exception;
import io.github.s3eg.s3.S3Request;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;

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
  private S3ecReads s3ec;

  public DecryptObject(
      ObjectDecryptor decryptor, BackendClients backend, boolean allowPlaintextReads) {
    this.decryptor = decryptor;
    this.backend = backend;
    this.allowPlaintextReads = allowPlaintextReads;
  }

  /** Enables reading S3 Encryption Client objects ({@code ENCRYPTION_READ_S3EC=true}). */
  public void readS3ec(S3ecReads reads) {
    this.s3ec = reads;
  }

  /** The S3EC reader, or null when reading S3 Encryption Client objects is off. */
  S3ecReads s3ecReads() {
    return s3ec;
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
    if (s3ec != null && metadata.keySet().stream().noneMatch(ObjectMetadata::isCryptoEntry)) {
      Optional<io.github.s3eg.crypto.s3ec.S3ecObject> object = s3ec.open(bucket, key, metadata);
      if (object.isPresent()) {
        // Served only by the steps that read S3EC objects; any other use of the key refuses it.
        return ObjectKey.s3ec(object.get(), key);
      }
    }
    return ObjectKey.resolve(decryptor, allowPlaintextReads, bucket, key, metadata);
  }

  /**
   * The version every further read of one request is of: the one the client named, else the one the
   * first backend answer was (so a concurrent write to the key cannot mix its bytes in).
   */
  static String readVersion(S3Request s3, String firstAnswerVersion) {
    String named = io.github.s3eg.s3.RequestedVersion.of(s3);
    return named != null ? named : io.github.s3eg.s3.RequestedVersion.pin(firstAnswerVersion);
  }
}
