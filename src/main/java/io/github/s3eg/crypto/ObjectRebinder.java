package io.github.s3eg.crypto;

import io.github.s3eg.keys.KeyManager;
import io.github.s3eg.keys.KeyManagerException;
import io.github.s3eg.keys.WrappedKey;
import java.util.Arrays;
import java.util.Map;
import java.util.Objects;

/**
 * Moves an object's crypto metadata to another name without touching its body: unwraps the DEK
 * under the source name's associated data and wraps it again, under the key manager's active KEK,
 * for the destination name. This is what a server-side {@code CopyObject} needs (the body is copied
 * unchanged by the backend), and it also re-keys an object to the current KEK after a rotation. The
 * header, algorithm, segment size, compression and trailer stay as they are (the trailer MAC
 * depends on the DEK only). Thread-safe.
 */
public final class ObjectRebinder {

  private final KeyManager keys;

  public ObjectRebinder(KeyManager keys) {
    this.keys = Objects.requireNonNull(keys, "keys");
  }

  /**
   * The metadata for the copy at {@code toBucket/toKey}.
   *
   * @param userMetadata the source object's user metadata (non-crypto entries are ignored)
   * @return only the {@code s3eg-} entries of the destination
   * @throws CryptoException the same typed failures as {@link ObjectDecryptor#open} for the source
   */
  public Map<String, String> rebind(
      String fromBucket,
      String fromKey,
      Map<String, String> userMetadata,
      String toBucket,
      String toKey)
      throws CryptoException {
    ObjectMetadata source = ObjectMetadata.parse(userMetadata);
    ObjectMetadata target = source.asWritten();
    byte[] dek = null;
    try {
      try {
        dek = keys.unwrap(source.wrappedKey(), associatedData(source, fromBucket, fromKey));
      } catch (KeyManagerException e) {
        throw CryptoException.fromKeyManager(e, source.wrappedKey().kek());
      }
      WrappedKey rewrapped = keys.wrap(dek, associatedData(target, toBucket, toKey));
      // Everything but the wrapped key stays: compression and trailer travel with the body (a
      // version 3 multipart object becomes version 4: same bytes, its index written first).
      return target.withWrappedKey(rewrapped).toMap();
    } catch (KeyManagerException e) {
      throw CryptoException.fromKeyManager(e);
    } finally {
      if (dek != null) {
        Arrays.fill(dek, (byte) 0);
      }
    }
  }

  /**
   * The metadata for a copy of a multipart object at {@code toBucket/toKey}: as {@link #rebind},
   * and under a fresh random upload header, so the copy is an upload of its own. Its index and
   * checksum record then name it alone, also beside its source under the same key (a versioned
   * bucket): deleting one version deletes only the records of that version.
   */
  public Map<String, String> rebindAsNewUpload(
      String fromBucket,
      String fromKey,
      Map<String, String> userMetadata,
      String toBucket,
      String toKey)
      throws CryptoException {
    ObjectMetadata source = ObjectMetadata.parse(userMetadata);
    ObjectMetadata target = source.asWritten().withUploadHeader(StreamHeader.random(RANDOM));
    byte[] dek = null;
    try {
      dek = keys.unwrap(source.wrappedKey(), associatedData(source, fromBucket, fromKey));
      return target.withWrappedKey(keys.wrap(dek, associatedData(target, toBucket, toKey))).toMap();
    } catch (KeyManagerException e) {
      throw CryptoException.fromKeyManager(e);
    } finally {
      if (dek != null) {
        Arrays.fill(dek, (byte) 0);
      }
    }
  }

  private static final java.security.SecureRandom RANDOM = new java.security.SecureRandom();

  private static byte[] associatedData(ObjectMetadata m, String bucket, String key) {
    return m.wrapAssociatedData(bucket, key);
  }
}
