package io.github.s3eg.crypto.s3ec;

import io.github.s3eg.keys.KeyReference;
import io.github.s3eg.keys.KeyringKeyManager;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Base64;
import java.util.List;

/**
 * A gateway keyring whose active version 1 is the gateway's own key and whose version 2 is the key
 * an S3 Encryption Client application used: the set-up {@code docs/s3ec.md} describes.
 */
public final class S3ecKeyring {

  /** The S3EC application's raw AES key. */
  public static final byte[] S3EC_KEY = bytes(0x5e);

  /** The gateway's own key (version 1, active). */
  public static final byte[] GATEWAY_KEY = bytes(0x9a);

  /** {@code ENCRYPTION_S3EC_KEYS} for this keyring. */
  public static final KeyReference S3EC_REFERENCE = new KeyReference("keyring", 2);

  private S3ecKeyring() {}

  /** Writes the keyring file into {@code dir} and returns its path. */
  public static Path write(Path dir) throws Exception {
    Path file = dir.resolve("keyring.json");
    Files.writeString(
        file,
        "{\"active\": 1, \"keys\": [{\"version\": 1, \"key\": \""
            + Base64.getEncoder().encodeToString(GATEWAY_KEY)
            + "\"}, {\"version\": 2, \"key\": \""
            + Base64.getEncoder().encodeToString(S3EC_KEY)
            + "\"}]}");
    return file;
  }

  public static S3ecKeys keys(Path dir) throws Exception {
    return new S3ecKeys(
        new KeyringKeyManager(write(dir), 0, Duration.ZERO), List.of(S3EC_REFERENCE));
  }

  private static byte[] bytes(int seed) {
    byte[] b = new byte[32];
    for (int i = 0; i < b.length; i++) {
      b[i] = (byte) (seed + 7 * i);
    }
    return b;
  }
}
