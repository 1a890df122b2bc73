package io.github.s3eg.keys.kmip;

import io.github.s3eg.keys.GcmCiphertext;
import io.github.s3eg.keys.KekVersions;
import io.github.s3eg.keys.KeyManager;
import io.github.s3eg.keys.KeyManagerException;
import io.github.s3eg.keys.KeyOwnership;
import io.github.s3eg.keys.KeyReference;
import io.github.s3eg.keys.WrappedKey;
import io.github.s3eg.keys.ttlv.KmipEnums.ResultReason;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Wraps data keys with a KMIP server's AES-256 keys: wrap is a KMIP Encrypt (AES-GCM, a fresh
 * random 12-byte IV chosen here, the caller's associated data), unwrap is a Decrypt under the key
 * the wrapped key names. The KEK never leaves the server.
 *
 * <p>{@link WrappedKey#ciphertext()} holds {@code iv || ciphertext || tag} ({@link GcmCiphertext});
 * {@link WrappedKey#kek()} holds the KMIP unique identifier and the configured version number
 * ({@code COSMIAN_KMS_KEYS="uid:version,…"}), checked against the dual-read window before the
 * server is asked.
 *
 * <p>Failures map to the contract's types: connection problems and timeouts become {@link
 * KeyManagerException.Unavailable} (after at most the configured timeout); a key the server does
 * not know or will not use (PyKMIP answers Permission Denied for a revoked or deactivated key)
 * becomes {@link KeyManagerException.KeyNotFound}; a refused decryption (wrong associated data,
 * altered bytes) becomes {@link KeyManagerException.UnwrapFailed}.
 */
public final class KmipKeyManager implements KeyManager, KeyOwnership {

  private static final Logger LOG = LoggerFactory.getLogger(KmipKeyManager.class);
  private static final SecureRandom RANDOM = new SecureRandom();

  private final KmipClient client;
  private final KekVersions keys;
  private final Duration healthTimeout;

  public KmipKeyManager(KmipClient client, KekVersions keys, Duration healthTimeout) {
    this.client = Objects.requireNonNull(client, "client");
    this.keys = Objects.requireNonNull(keys, "keys");
    this.healthTimeout = Objects.requireNonNull(healthTimeout, "healthTimeout");
  }

  @Override
  public String provider() {
    return "kmip";
  }

  @Override
  public KeyReference activeKey() {
    return keys.active();
  }

  @Override
  public boolean owns(KeyReference kek) {
    return keys.owns(kek);
  }

  @Override
  public WrappedKey wrap(byte[] dek, byte[] associatedData) throws KeyManagerException {
    KeyReference active = keys.active();
    byte[] iv = new byte[GcmCiphertext.IV_BYTES];
    RANDOM.nextBytes(iv);
    try {
      GcmCiphertext sealed = client.encrypt(active.id(), dek, iv, associatedData);
      return new WrappedKey(active, sealed.toBytes());
    } catch (KmipException.Unreachable e) {
      throw unavailable(e);
    } catch (KmipException.OperationFailed e) {
      if (KmipClient.isNotFound(e) || e.is(ResultReason.PERMISSION_DENIED)) {
        throw new KeyManagerException.KeyNotFound(
            "KMIP server refused to wrap under KEK version "
                + active.version()
                + " ("
                + e.reasonName()
                + ")");
      }
      throw new KeyManagerException.Unavailable(
          "KMIP server failed to wrap a data key (" + e.reasonName() + ")", e);
    } catch (KmipException.ProtocolError e) {
      throw new KeyManagerException.Unavailable("KMIP server sent an invalid response", e);
    } catch (KmipException e) {
      throw new KeyManagerException.Unavailable("KMIP request failed", e);
    }
  }

  @Override
  public byte[] unwrap(WrappedKey wrapped, byte[] associatedData) throws KeyManagerException {
    KeyReference kek = keys.readable(wrapped.kek());
    GcmCiphertext sealed;
    try {
      sealed = GcmCiphertext.fromBytes(wrapped.ciphertext());
    } catch (IllegalArgumentException e) {
      throw new KeyManagerException.UnwrapFailed("wrapped key is truncated", null);
    }
    try {
      return client.decrypt(kek.id(), sealed, associatedData);
    } catch (KmipException.Unreachable e) {
      throw unavailable(e);
    } catch (KmipException.OperationFailed e) {
      if (KmipClient.isNotFound(e) || e.is(ResultReason.PERMISSION_DENIED)) {
        throw new KeyManagerException.KeyNotFound(
            "KMIP server refused KEK version "
                + kek.version()
                + " ("
                + e.reasonName()
                + "; unknown, revoked or not ours)");
      }
      throw new KeyManagerException.UnwrapFailed(
          "KMIP server could not unwrap the data key ("
              + e.reasonName()
              + "); the wrapped key or its associated data were altered",
          e);
    } catch (KmipException.ProtocolError e) {
      throw new KeyManagerException.Unavailable("KMIP server sent an invalid response", e);
    } catch (KmipException e) {
      throw new KeyManagerException.Unavailable("KMIP request failed", e);
    }
  }

  /** DiscoverVersions with a short timeout; the detail names the failure class only. */
  @Override
  public Health health() {
    try {
      List<KmipVersion> versions = client.discoverVersions(healthTimeout);
      return versions.isEmpty()
          ? Health.down("kmip: server supports neither KMIP 2.0 nor 1.4")
          : Health.up();
    } catch (KmipException.Unreachable e) {
      return Health.down("kmip: " + e.kind().description());
    } catch (KmipException.OperationFailed e) {
      return Health.down("kmip: server error " + e.reasonName());
    } catch (KmipException e) {
      return Health.down("kmip: invalid response from server");
    } catch (RuntimeException e) {
      LOG.warn("KMIP health check failed unexpectedly", e);
      return Health.down("kmip: health check failed");
    }
  }

  @Override
  public void close() {
    client.close();
  }

  private static KeyManagerException.Unavailable unavailable(KmipException.Unreachable e) {
    return new KeyManagerException.Unavailable(
        "KMIP server unavailable: " + e.kind().description(), e);
  }
}
