package io.github.s3eg.crypto.s3ec;

import io.github.s3eg.crypto.CryptoException;
import io.github.s3eg.crypto.Hkdf;
import io.github.s3eg.keys.KeyManager;
import io.github.s3eg.keys.KeyManagerException;
import io.github.s3eg.keys.KeyReference;
import io.github.s3eg.keys.WrappedKey;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;

/**
 * Opens the data key of an S3 Encryption Client object with the gateway's own key source, and
 * derives the content key.
 *
 * <p>The S3EC's raw AES keyring wraps a data key exactly as the gateway's key managers do: {@code
 * iv(12) || AES-256-GCM(wrapping key, iv, data key, ad) || tag(16)}, with the associated data
 * {@code "AES/GCM/NoPadding"} (V2) or {@code "115"} (V3). So any key source that holds the same AES
 * key opens it through {@link KeyManager#unwrap}: a keyring version, and also a KMIP or Cosmian key
 * into which the S3EC key was imported (the KMS decrypts; the key never leaves it). The object does
 * not name its key, so the configured candidates ({@code ENCRYPTION_S3EC_KEYS}) are tried in order;
 * AES-GCM's tag tells the right one.
 *
 * <p>V3 objects then derive the content key and check the key commitment:
 *
 * <pre>
 * PRK        = HMAC-SHA512(key = messageId (x-amz-i, 28 bytes), data key)
 * commitment = HKDF-Expand-SHA512(PRK, 0x0073 || "COMMITKEY", 28)   must equal x-amz-d
 * contentKey = HKDF-Expand-SHA512(PRK, 0x0073 || "DERIVEKEY", 32)
 * content    = AES-256-GCM(contentKey, iv = 12 × 0x01, ad = 0x0073)
 * </pre>
 *
 * V2 objects use the data key itself, {@code x-amz-iv} and no associated data.
 */
public final class S3ecKeys {

  private static final byte[] SUITE_ID = {0x00, 0x73};
  private static final byte[] V3_IV = {1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1};

  private final KeyManager keys;
  private final List<KeyReference> candidates;

  /** {@code candidates}: the gateway keys that may have wrapped S3EC data keys, tried in order. */
  public S3ecKeys(KeyManager keys, List<KeyReference> candidates) {
    this.keys = Objects.requireNonNull(keys, "keys");
    this.candidates = List.copyOf(candidates);
  }

  /** The configured candidate keys. */
  public List<KeyReference> candidates() {
    return candidates;
  }

  /**
   * Unwraps the object's data key and derives its content cipher.
   *
   * @throws CryptoException.UnknownKey no candidate opens the wrapped key (another key, or the
   *     wrapped key was altered: AES-GCM cannot tell these apart)
   * @throws CryptoException.KeyServiceUnavailable the key service cannot be reached
   * @throws CryptoException.MetadataAuthenticationFailed a V3 key commitment does not match
   */
  public S3ecObject open(S3ecMetadata metadata) throws CryptoException {
    byte[] ad =
        (metadata.format() == S3ecMetadata.Format.V2
                ? S3ecMetadata.GCM_CIPHER
                : S3ecMetadata.COMMITTING_SUITE)
            .getBytes(StandardCharsets.UTF_8);
    byte[] wrapped = metadata.wrappedKey();
    for (KeyReference candidate : candidates) {
      byte[] dataKey;
      try {
        dataKey = keys.unwrap(new WrappedKey(candidate, wrapped), ad);
      } catch (KeyManagerException.UnwrapFailed | KeyManagerException.KeyNotFound notThisOne) {
        continue;
      } catch (KeyManagerException e) {
        throw CryptoException.fromKeyManager(e); // the key service is unavailable
      }
      try {
        return content(metadata, dataKey, candidate);
      } finally {
        Arrays.fill(dataKey, (byte) 0);
      }
    }
    throw new CryptoException.UnknownKey(
        "none of the "
            + candidates.size()
            + " keys in ENCRYPTION_S3EC_KEYS opens this S3 Encryption Client object's data key"
            + " (another key wrapped it, or the wrapped key was altered)",
        null);
  }

  private static S3ecObject content(S3ecMetadata metadata, byte[] dataKey, KeyReference kek)
      throws CryptoException {
    if (dataKey.length != 32) {
      throw new CryptoException.KeyUnwrapFailed(
          "the unwrapped data key has " + dataKey.length + " bytes", null);
    }
    if (metadata.format() == S3ecMetadata.Format.V2) {
      return new S3ecObject(metadata.format(), kek, dataKey, metadata.nonce(), new byte[0]);
    }
    // The PRK is HKDF-Extract with the message id as salt; both keys are expanded from it.
    byte[] prk = Hkdf.extract(Hkdf.Hash.SHA512, metadata.nonce(), dataKey);
    byte[] commitment =
        Hkdf.expand(Hkdf.Hash.SHA512, prk, label("COMMITKEY"), S3ecMetadata.COMMITMENT_BYTES);
    byte[] contentKey = Hkdf.expand(Hkdf.Hash.SHA512, prk, label("DERIVEKEY"), 32);
    try {
      if (!MessageDigest.isEqual(commitment, metadata.commitment())) {
        throw new CryptoException.MetadataAuthenticationFailed(
            "the key commitment (x-amz-d) does not match the data key: the object's metadata or"
                + " wrapped key was altered");
      }
      return new S3ecObject(metadata.format(), kek, contentKey, V3_IV, SUITE_ID);
    } finally {
      Arrays.fill(prk, (byte) 0);
      Arrays.fill(contentKey, (byte) 0);
    }
  }

  private static byte[] label(String name) {
    byte[] text = name.getBytes(StandardCharsets.US_ASCII);
    byte[] out = new byte[2 + text.length];
    System.arraycopy(SUITE_ID, 0, out, 0, 2);
    System.arraycopy(text, 0, out, 2, text.length);
    return out;
  }
}
