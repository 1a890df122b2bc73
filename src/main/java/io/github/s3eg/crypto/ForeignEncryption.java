package io.github.s3eg.crypto;

import java.util.Map;
import java.util.Optional;

/**
 * Recognises objects that another encryption gateway wrote, so that they are never taken for
 * plaintext (with {@code ENCRYPTION_ALLOW_PLAINTEXT_READS=true} they would be served as the
 * ciphertext they are). The one known so far is the Go s3-encryption-gateway
 * (github.com/kenchrcum/s3-encryption-proxy), whose objects carry {@code encrypted=true} and an
 * algorithm in user metadata, under full or, for some providers, one-letter names ({@code e},
 * {@code a}). This gateway cannot decrypt them (another format and key derivation); {@code
 * docs/migration.md} says how to copy them over.
 */
public final class ForeignEncryption {

  private ForeignEncryption() {}

  /**
   * @param userMetadata names without {@code x-amz-meta-}, in any case
   * @return a short description of the other gateway's format, if the metadata is its
   */
  public static Optional<String> recognize(Map<String, String> userMetadata) {
    String full = value(userMetadata, "encrypted");
    String compact = value(userMetadata, "e");
    if ("true".equalsIgnoreCase(full)
        && (has(userMetadata, "encryption-algorithm")
            || has(userMetadata, "encryption-key-salt")
            || has(userMetadata, "encryption-fallback"))) {
      return Optional.of(
          "the Go s3-encryption-gateway's format, algorithm "
              + value(userMetadata, "encryption-algorithm"));
    }
    if ("true".equalsIgnoreCase(compact) && has(userMetadata, "a")) {
      return Optional.of(
          "the Go s3-encryption-gateway's compact format, algorithm " + value(userMetadata, "a"));
    }
    return Optional.empty();
  }

  private static boolean has(Map<String, String> metadata, String name) {
    return value(metadata, name) != null;
  }

  private static String value(Map<String, String> metadata, String name) {
    for (Map.Entry<String, String> e : metadata.entrySet()) {
      if (e.getKey() != null && e.getKey().equalsIgnoreCase(name)) {
        return e.getValue();
      }
    }
    return null;
  }
}
