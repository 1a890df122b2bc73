package io.github.s3eg.config;

import io.github.s3eg.crypto.Codec;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Whether and how new objects are compressed before they are encrypted (object format version 2).
 * Only single PUTs (and copies that re-encrypt) whose content type matches and whose size is at
 * least the minimum are compressed; everything else is written as before (format version 1).
 *
 * @param enabled {@code COMPRESSION_ENABLED}
 * @param minSize {@code COMPRESSION_MIN_SIZE}: smaller plaintexts are stored uncompressed
 * @param contentTypes {@code COMPRESSION_CONTENT_TYPES}: lowercase {@code type/subtype} or {@code
 *     type/*}
 * @param codec {@code COMPRESSION_ALGORITHM}
 * @param level {@code COMPRESSION_LEVEL}, within the codec's range
 */
public record CompressionConfig(
    boolean enabled, long minSize, List<String> contentTypes, Codec codec, int level) {

  /** Text-like types that compress well; already-compressed media and archives are left out. */
  public static final String DEFAULT_CONTENT_TYPES =
      "text/*,application/json,application/x-ndjson,application/xml,application/javascript,"
          + "application/yaml,application/x-yaml,application/sql,application/csv,image/svg+xml";

  public CompressionConfig {
    contentTypes = List.copyOf(contentTypes);
  }

  static CompressionConfig from(Settings s) {
    boolean enabled = s.getBoolean("COMPRESSION_ENABLED", false);
    long minSize = s.getSize("COMPRESSION_MIN_SIZE", 4 * 1024, 0, 5L * 1024 * 1024 * 1024);
    String name = s.get("COMPRESSION_ALGORITHM", "zstd").toLowerCase(Locale.ROOT);
    Codec codec =
        Codec.byConfigName(name)
            .orElseThrow(
                () ->
                    new ConfigurationException(
                        "COMPRESSION_ALGORITHM", "must be zstd or gzip, was '" + name + "'"));
    int level =
        s.getInt("COMPRESSION_LEVEL", codec.defaultLevel(), codec.minLevel(), codec.maxLevel());
    List<String> types = new ArrayList<>();
    for (String t : s.get("COMPRESSION_CONTENT_TYPES", DEFAULT_CONTENT_TYPES).split(",")) {
      String type = t.trim().toLowerCase(Locale.ROOT);
      if (type.isEmpty()) {
        continue;
      }
      int slash = type.indexOf('/');
      if (slash <= 0
          || slash == type.length() - 1
          || type.indexOf('/', slash + 1) >= 0
          || (type.contains("*") && !type.endsWith("/*"))
          || type.contains(";")) {
        throw new ConfigurationException(
            "COMPRESSION_CONTENT_TYPES",
            "must be a comma-separated list of type/subtype or type/*, was '" + t.trim() + "'");
      }
      types.add(type);
    }
    if (enabled) {
      try {
        codec.checkAvailable();
      } catch (IllegalStateException e) {
        throw new ConfigurationException(
            "COMPRESSION_ALGORITHM", codec.configName() + " cannot be used: " + e.getMessage());
      }
    }
    return new CompressionConfig(enabled, minSize, types, codec, level);
  }
}
