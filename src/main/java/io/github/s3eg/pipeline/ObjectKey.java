package io.github.s3eg.pipeline;

import io.github.s3eg.crypto.CryptoException;
import io.github.s3eg.crypto.ForeignEncryption;
import io.github.s3eg.crypto.ObjectDecryptor;
import io.github.s3eg.crypto.ObjectMetadata;
import io.github.s3eg.crypto.OpenedObject;
import io.github.s3eg.s3.S3ErrorCode;
import io.github.s3eg.s3.S3Exception;
import java.util.Map;
import java.util.Optional;

/**
 * What {@code resolveKey} found out about a stored object: its data key, unwrapped for exactly this
 * bucket and key after its {@code s3eg-} metadata was verified, or the explicit finding that the
 * object is plaintext and {@code ENCRYPTION_ALLOW_PLAINTEXT_READS=true} lets it be served as it is.
 * There is no third case: partial or malformed metadata fails here, and nothing can decrypt (or
 * serve) an object without one of these.
 */
public final class ObjectKey {

  private final OpenedObject opened;
  private final io.github.s3eg.crypto.s3ec.S3ecObject s3ec;
  private final String key;

  private ObjectKey(OpenedObject opened) {
    this(opened, null, null);
  }

  private ObjectKey(OpenedObject opened, io.github.s3eg.crypto.s3ec.S3ecObject s3ec, String key) {
    this.opened = opened;
    this.s3ec = s3ec;
    this.key = key;
  }

  /** An object the AWS S3 Encryption Client wrote ({@code ENCRYPTION_READ_S3EC=true}), opened. */
  static ObjectKey s3ec(io.github.s3eg.crypto.s3ec.S3ecObject object, String key) {
    return new ObjectKey(null, object, key);
  }

  /** The S3 Encryption Client object, or null for the gateway's own (or a plaintext) object. */
  io.github.s3eg.crypto.s3ec.S3ecObject s3ecOrNull() {
    return s3ec;
  }

  /** Refuses an S3EC object where a step reads only the gateway's own objects. */
  private void notS3ec() {
    if (s3ec != null) {
      throw new S3Exception(
              S3ErrorCode.NOT_IMPLEMENTED,
              "This operation does not read S3 Encryption Client objects; convert them with"
                  + " 'rewrap --convert' first.")
          .with("Key", key);
    }
  }

  /**
   * Verifies {@code metadata} (the stored object's user metadata) and unwraps its data key.
   *
   * @throws S3Exception AccessDenied for an object without encryption metadata, unless plaintext
   *     reads are allowed
   * @throws CryptoException when the metadata does not verify for this bucket and key
   */
  static ObjectKey resolve(
      ObjectDecryptor decryptor,
      boolean allowPlaintextReads,
      String bucket,
      String key,
      Map<String, String> metadata)
      throws CryptoException {
    boolean hasCryptoEntries = metadata.keySet().stream().anyMatch(ObjectMetadata::isCryptoEntry);
    if (!hasCryptoEntries) {
      Optional<String> foreign = ForeignEncryption.recognize(metadata);
      if (foreign.isPresent()) {
        // Never served as plaintext, whatever ENCRYPTION_ALLOW_PLAINTEXT_READS says.
        throw new S3Exception(
                S3ErrorCode.ACCESS_DENIED,
                "The object was encrypted by another gateway ("
                    + foreign.get()
                    + "), which this gateway cannot decrypt. Read it through that gateway and"
                    + " write it through this one; see docs/migration.md.")
            .with("Key", key);
      }
      if (allowPlaintextReads) {
        return new ObjectKey(null);
      }
      throw new S3Exception(
              S3ErrorCode.ACCESS_DENIED,
              "The object was not written through the gateway (it has no encryption metadata); "
                  + "set ENCRYPTION_ALLOW_PLAINTEXT_READS=true to serve such objects as they are.")
          .with("Key", key);
    }
    return new ObjectKey(decryptor.open(bucket, key, metadata));
  }

  /** The opened object (its data key and layout); empty for an allowed plaintext object. */
  public Optional<OpenedObject> opened() {
    notS3ec();
    return Optional.ofNullable(opened);
  }

  /** The opened object, or null for an allowed plaintext object. */
  OpenedObject openedOrNull() {
    notS3ec();
    return opened;
  }

  public boolean encrypted() {
    return opened != null || s3ec != null;
  }
}
