package io.github.s3eg.crypto;

import io.github.s3eg.keys.KeyManager;
import java.util.Map;

/**
 * Makes the multipart objects an earlier release wrote (format version 3), for tests that check how
 * this one reads them: such uploads can still be in progress, and such objects stored, when a
 * gateway is upgraded.
 */
public final class LegacyMultipartObjects {

  private LegacyMultipartObjects() {}

  /** The metadata of a version 3 upload of {@code bucket}/{@code key} (64 KiB segments, AES). */
  public static Map<String, String> beginVersion3(KeyManager keys, String bucket, String key)
      throws CryptoException {
    return new ObjectEncryptor(keys, Algorithm.AES256_GCM, 64 * 1024)
        .beginMultipart(bucket, key, ObjectFormat.LEGACY_MULTIPART_VERSION)
        .toMap();
  }
}
