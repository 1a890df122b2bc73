package io.github.s3eg.config;

import io.github.s3eg.crypto.Algorithm;
import io.github.s3eg.crypto.SegmentLayout;
import io.github.s3eg.keys.KeyManagerSettingNames;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * How objects are encrypted: the algorithm new objects get, the algorithms that stay readable, the
 * segment size, where the key-encryption key comes from, whether objects that were stored before
 * the gateway (no encryption metadata) may be served as they are, and whether the gateway may start
 * with a key that cannot read the objects already stored ({@code ENCRYPTION_ALLOW_NEW_KEY}).
 */
public record EncryptionConfig(
    Algorithm preferredAlgorithm,
    Set<Algorithm> supportedAlgorithms,
    int segmentSize,
    boolean allowPlaintextReads,
    long spoolLimit,
    Optional<char[]> password,
    Optional<byte[]> passwordSalt,
    Map<String, String> keyManagerSettings,
    S3ecConfig s3ec,
    boolean allowNewKey) {

  /** The setting that lets the gateway start under a key the stored objects do not name. */
  public static final String ALLOW_NEW_KEY = "ENCRYPTION_ALLOW_NEW_KEY";

  /** Settings the key-manager factory reads (original project's names). */
  static final List<String> KEY_MANAGER_SETTINGS =
      List.of(
          KeyManagerSettingNames.ENABLED,
          KeyManagerSettingNames.PROVIDER,
          KeyManagerSettingNames.DUAL_READ_WINDOW,
          KeyManagerSettingNames.ACTIVE_VERSION,
          KeyManagerSettingNames.CACHE_TTL,
          KeyManagerSettingNames.CACHE_MAX_ENTRIES,
          KeyManagerSettingNames.ENDPOINT,
          KeyManagerSettingNames.TIMEOUT,
          KeyManagerSettingNames.KEYS,
          KeyManagerSettingNames.CA_CERT,
          KeyManagerSettingNames.CLIENT_CERT,
          KeyManagerSettingNames.CLIENT_KEY,
          KeyManagerSettingNames.KMIP_PROTOCOL_VERSION,
          KeyManagerSettingNames.KEYRING_FILE);

  public boolean keyManagerEnabled() {
    return "true"
        .equalsIgnoreCase(keyManagerSettings.getOrDefault(KeyManagerSettingNames.ENABLED, "false"));
  }

  static EncryptionConfig from(Settings s) {
    Algorithm preferred =
        algorithm(
            "ENCRYPTION_PREFERRED_ALGORITHM",
            s.get("ENCRYPTION_PREFERRED_ALGORITHM", "AES256-GCM"));
    Set<Algorithm> supported = EnumSet.noneOf(Algorithm.class);
    for (String name :
        s.get("ENCRYPTION_SUPPORTED_ALGORITHMS", "AES256-GCM,CHACHA20-POLY1305").split(",")) {
      if (!name.isBlank()) {
        supported.add(algorithm("ENCRYPTION_SUPPORTED_ALGORITHMS", name.trim()));
      }
    }
    if (!supported.contains(preferred)) {
      throw new ConfigurationException(
          "ENCRYPTION_SUPPORTED_ALGORITHMS",
          "must include the preferred algorithm " + preferred.configName());
    }
    int segment =
        (int)
            s.getSize(
                "ENCRYPTION_SEGMENT_SIZE",
                SegmentLayout.DEFAULT_SEGMENT_SIZE,
                SegmentLayout.MIN_CONFIGURABLE_SEGMENT_SIZE,
                SegmentLayout.MAX_SEGMENT_SIZE);
    Optional<char[]> password = s.get("ENCRYPTION_PASSWORD").map(String::toCharArray);
    if (password.isPresent() && password.get().length < 12) {
      throw new ConfigurationException(
          "ENCRYPTION_PASSWORD", "must be at least 12 characters long");
    }
    Optional<byte[]> salt =
        s.get("ENCRYPTION_PASSWORD_SALT")
            .map(v -> v.getBytes(java.nio.charset.StandardCharsets.UTF_8));
    if (salt.isPresent() && salt.get().length < 16) {
      throw new ConfigurationException(
          "ENCRYPTION_PASSWORD_SALT", "must be at least 16 bytes long");
    }
    Map<String, String> km = new LinkedHashMap<>();
    for (String name : KEY_MANAGER_SETTINGS) {
      s.get(name).ifPresent(v -> km.put(name, v));
    }
    return new EncryptionConfig(
        preferred,
        Set.copyOf(supported),
        segment,
        s.getBoolean("ENCRYPTION_ALLOW_PLAINTEXT_READS", false),
        s.getSize("ENCRYPTION_SPOOL_LIMIT", 256 * 1024, 0, 16 * 1024 * 1024),
        password,
        salt,
        Map.copyOf(km),
        S3ecConfig.from(s),
        s.getBoolean(ALLOW_NEW_KEY, false));
  }

  private static Algorithm algorithm(String setting, String name) {
    try {
      return Algorithm.fromConfigName(name.trim().toUpperCase(java.util.Locale.ROOT));
    } catch (RuntimeException e) {
      throw new ConfigurationException(
          setting, "must be AES256-GCM or CHACHA20-POLY1305, was '" + name + "'");
    }
  }

  @Override
  public String toString() {
    return "EncryptionConfig["
        + preferredAlgorithm.configName()
        + ", segment="
        + segmentSize
        + ", keyManager="
        + (keyManagerEnabled()
            ? keyManagerSettings.get(KeyManagerSettingNames.PROVIDER)
            : "password")
        + ", plaintextReads="
        + allowPlaintextReads
        + "]";
  }
}
