package io.github.s3eg.config;

import io.github.s3eg.keys.KeyReference;
import java.util.ArrayList;
import java.util.List;

/**
 * Reading objects written by the AWS S3 Encryption Client: whether GET, HEAD and CopyObject serve
 * them ({@code ENCRYPTION_READ_S3EC}, off by default), and which of the gateway's keys may have
 * wrapped their data keys ({@code ENCRYPTION_S3EC_KEYS}: {@code id:version} references of the
 * configured key source, tried in order). The keys are also what {@code rewrap --convert} uses.
 */
public record S3ecConfig(boolean read, List<KeyReference> keys) {

  public S3ecConfig {
    keys = List.copyOf(keys);
  }

  public static S3ecConfig off() {
    return new S3ecConfig(false, List.of());
  }

  static S3ecConfig from(Settings s) {
    boolean read = s.getBoolean("ENCRYPTION_READ_S3EC", false);
    List<KeyReference> keys = new ArrayList<>();
    for (String entry : s.get("ENCRYPTION_S3EC_KEYS", "").split(",")) {
      if (entry.isBlank()) {
        continue;
      }
      try {
        keys.add(KeyReference.decode(entry.trim()));
      } catch (RuntimeException e) {
        throw new ConfigurationException(
            "ENCRYPTION_S3EC_KEYS",
            "'" + entry.trim() + "' is not a key reference id:version (e.g. keyring:2)");
      }
    }
    if (read && keys.isEmpty()) {
      throw new ConfigurationException(
          "ENCRYPTION_S3EC_KEYS",
          "must name the key(s) the S3 Encryption Client used (e.g. keyring:2) when"
              + " ENCRYPTION_READ_S3EC=true");
    }
    return new S3ecConfig(read, keys);
  }
}
