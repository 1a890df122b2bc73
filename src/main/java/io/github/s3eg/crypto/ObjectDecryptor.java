package io.github.s3eg.crypto;

import io.github.s3eg.keys.KeyManager;
import io.github.s3eg.keys.KeyManagerException;
import java.util.Arrays;
import java.util.EnumSet;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * Opens stored objects for reading. {@link #open} does every check that needs no body: strict
 * metadata parsing, the algorithm allow-list, unwrapping the DEK under associated data rebuilt from
 * the bucket and key being read (a moved, renamed or metadata-swapped object fails here), and the
 * trailer MAC. Immutable and thread-safe.
 *
 * <pre>{@code
 * OpenedObject o = decryptor.open(bucket, key, userMetadata);   // from HEAD/GET headers
 * InputStream plain = o.decrypt(backendBody);                   // whole object
 * CiphertextRange r = o.rangeFor(first, last, o.plaintextSize(backendLength));
 * InputStream part = o.decryptRange(backendRangeBody, r);        // GET with r.httpRange()
 * }</pre>
 */
public final class ObjectDecryptor {

  private final KeyManager keys;
  private final Set<Algorithm> readable;

  /** Reads every supported algorithm. */
  public ObjectDecryptor(KeyManager keys) {
    this(keys, EnumSet.allOf(Algorithm.class));
  }

  /** Reads only objects written with one of {@code readable}. */
  public ObjectDecryptor(KeyManager keys, Set<Algorithm> readable) {
    this.keys = Objects.requireNonNull(keys, "keys");
    this.readable = Set.copyOf(readable);
  }

  /**
   * Validates and unlocks an object.
   *
   * @param userMetadata the object's user metadata, names without {@code x-amz-meta-}
   * @throws CryptoException a typed reason: {@link CryptoException.NoEncryptionMetadata}, {@link
   *     CryptoException.MalformedMetadata}, {@link CryptoException.UnsupportedVersion}, {@link
   *     CryptoException.UnsupportedAlgorithm}, {@link CryptoException.UnknownKey}, {@link
   *     CryptoException.KeyUnwrapFailed}, {@link CryptoException.KeyServiceUnavailable} or {@link
   *     CryptoException.MetadataAuthenticationFailed}
   */
  public OpenedObject open(String bucket, String key, Map<String, String> userMetadata)
      throws CryptoException {
    ObjectMetadata metadata = ObjectMetadata.parse(userMetadata);
    if (!readable.contains(metadata.algorithm())) {
      throw new CryptoException.UnsupportedAlgorithm(
          metadata.algorithm().configName() + " is not allowed for reading by configuration");
    }
    byte[] ad = metadata.wrapAssociatedData(bucket, key);
    byte[] dek;
    try {
      dek = keys.unwrap(metadata.wrappedKey(), ad);
    } catch (KeyManagerException e) {
      throw CryptoException.fromKeyManager(e, metadata.wrappedKey().kek());
    }
    byte[] macKey = null;
    byte[] checksumKey = null;
    try {
      if (dek.length != Algorithm.KEY_SIZE) {
        throw new CryptoException.KeyUnwrapFailed(
            "the unwrapped data key has " + dek.length + " bytes", null);
      }
      if (metadata.trailer().isPresent()) {
        macKey = EtagTrailer.macKey(dek);
        if (!metadata.trailer().get().verifies(macKey)) {
          throw new CryptoException.MetadataAuthenticationFailed(
              ObjectMetadata.ETAG
                  + " does not verify: the ETag or size entry was altered or"
                  + " taken from another object");
        }
      }
      if (metadata.checksum().isPresent()) {
        checksumKey = ChecksumSeal.macKey(dek);
        if (!metadata.checksum().get().verifies(checksumKey)) {
          throw new CryptoException.MetadataAuthenticationFailed(
              ObjectMetadata.CHECKSUM
                  + " does not verify: the checksum entry was altered or taken from another"
                  + " object");
        }
      }
      byte[] indexMacKey = metadata.isMultipart() ? MultipartIndex.macKey(dek) : null;
      byte[] multipartChecksumKey = metadata.isMultipart() ? ChecksumSeal.macKey(dek) : null;
      return new OpenedObject(
          metadata,
          new SegmentedAead(metadata.algorithm(), metadata.layout(), dek),
          indexMacKey,
          multipartChecksumKey);
    } finally {
      Arrays.fill(dek, (byte) 0);
      if (checksumKey != null) {
        Arrays.fill(checksumKey, (byte) 0);
      }
      if (macKey != null) {
        Arrays.fill(macKey, (byte) 0);
      }
    }
  }
}
