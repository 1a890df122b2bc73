package io.github.s3eg.keys.cosmian;

import io.github.s3eg.keys.GcmCiphertext;
import io.github.s3eg.keys.KekVersions;
import io.github.s3eg.keys.KeyManager;
import io.github.s3eg.keys.KeyManagerException;
import io.github.s3eg.keys.KeyOwnership;
import io.github.s3eg.keys.KeyReference;
import io.github.s3eg.keys.WrappedKey;
import java.time.Duration;
import java.util.Objects;

/**
 * Wraps data keys with AES-256 keys held by a Cosmian KMS (JSON TTLV over HTTP(S)): wrap is an
 * Encrypt under the active version with the caller's associated data, unwrap a Decrypt under the
 * version the wrapped key names, within the dual-read window. {@link WrappedKey#ciphertext()} holds
 * {@code nonce || ciphertext || tag} with the KMS-chosen 12-byte nonce.
 *
 * <p>Cosmian reports failures only by HTTP status (its error bodies are free text), so the mapping
 * is by status: unreachable, timeouts, 502/503/504 and refused credentials (401/403) are {@link
 * KeyManagerException.Unavailable}; on unwrap, other errors (422 for KMIP failures such as an
 * unknown key, 500 for a failed decryption) are {@link KeyManagerException.UnwrapFailed}; on wrap,
 * 4xx answers are {@link KeyManagerException.KeyNotFound} (the active key is unknown or unusable)
 * and 5xx ones {@link KeyManagerException.Unavailable}.
 */
public final class CosmianKeyManager implements KeyManager, KeyOwnership {

  private final CosmianClient client;
  private final KekVersions keys;
  private final Duration healthTimeout;

  public CosmianKeyManager(CosmianClient client, KekVersions keys, Duration healthTimeout) {
    this.client = Objects.requireNonNull(client, "client");
    this.keys = Objects.requireNonNull(keys, "keys");
    this.healthTimeout = Objects.requireNonNull(healthTimeout, "healthTimeout");
  }

  @Override
  public String provider() {
    return "cosmian";
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
    try {
      GcmCiphertext sealed = client.encrypt(active.id(), dek, associatedData);
      return new WrappedKey(active, sealed.toBytes());
    } catch (CosmianException.HttpError e) {
      if (!e.transientFailure() && !e.authenticationFailure() && e.status() < 500) {
        throw new KeyManagerException.KeyNotFound(
            "Cosmian KMS refused to wrap under KEK version "
                + active.version()
                + " (HTTP "
                + e.status()
                + ")");
      }
      throw unavailable(e);
    } catch (CosmianException e) {
      throw unavailable(e);
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
    } catch (CosmianException.HttpError e) {
      if (e.transientFailure() || e.authenticationFailure()) {
        throw unavailable(e);
      }
      throw new KeyManagerException.UnwrapFailed(
          "Cosmian KMS refused to unwrap under KEK version "
              + kek.version()
              + " (HTTP "
              + e.status()
              + "): unknown key, or the wrapped key or its associated data were"
              + " altered",
          e);
    } catch (CosmianException e) {
      throw unavailable(e);
    }
  }

  /** {@code GET /version} with a short timeout; the detail names the failure class only. */
  @Override
  public Health health() {
    try {
      client.serverVersion(healthTimeout);
      return Health.up();
    } catch (CosmianException.Unreachable e) {
      return Health.down("cosmian: " + e.kind());
    } catch (CosmianException.HttpError e) {
      return Health.down("cosmian: HTTP " + e.status());
    } catch (CosmianException e) {
      return Health.down("cosmian: invalid response from server");
    }
  }

  @Override
  public void close() {
    client.close();
  }

  private static KeyManagerException.Unavailable unavailable(CosmianException e) {
    String reason =
        switch (e) {
          case CosmianException.Unreachable u -> u.kind();
          case CosmianException.HttpError h when h.authenticationFailure() ->
              "credentials refused (HTTP " + h.status() + ")";
          case CosmianException.HttpError h -> "HTTP " + h.status();
          case CosmianException.ProtocolError p -> "invalid response";
        };
    return new KeyManagerException.Unavailable("Cosmian KMS unavailable: " + reason, e);
  }
}
