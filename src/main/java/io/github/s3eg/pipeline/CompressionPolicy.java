package io.github.s3eg.pipeline;

import io.github.s3eg.config.CompressionConfig;
import io.github.s3eg.crypto.Compression;
import io.github.s3eg.crypto.FrameLayout;
import java.util.Locale;
import java.util.Optional;

/**
 * Decides, before a byte of the body is read, whether a new object is stored compressed: only when
 * compression is enabled, the content type is on the list ({@code type/subtype}, or {@code type/*}
 * for a whole family; parameters such as {@code charset} are ignored), the size is at least the
 * minimum, and the client did not declare a {@code Content-Encoding} (such a body is usually
 * compressed already). Thread-safe.
 */
public final class CompressionPolicy {

  private final CompressionConfig config;
  private final Compression compression;

  public CompressionPolicy(CompressionConfig config) {
    this.config = config;
    this.compression = Compression.of(config.codec());
  }

  /** The codec's level for new objects. */
  public int level() {
    return config.level();
  }

  /** The compression for an object with these headers and this plaintext size, if any. */
  public Optional<Compression> choose(String contentType, String contentEncoding, long size) {
    if (!config.enabled()
        || size < config.minSize()
        || size > FrameLayout.MAX_PLAINTEXT_SIZE
        || hasContentEncoding(contentEncoding)
        || !matches(contentType)) {
      return Optional.empty();
    }
    return Optional.of(compression);
  }

  private static boolean hasContentEncoding(String contentEncoding) {
    if (contentEncoding == null) {
      return false;
    }
    for (String coding : contentEncoding.split(",")) {
      String c = coding.trim().toLowerCase(Locale.ROOT);
      if (!c.isEmpty() && !c.equals("identity") && !c.equals("aws-chunked")) {
        return true;
      }
    }
    return false;
  }

  private boolean matches(String contentType) {
    if (contentType == null) {
      return false;
    }
    String type = contentType.split(";", 2)[0].trim().toLowerCase(Locale.ROOT);
    int slash = type.indexOf('/');
    if (slash <= 0) {
      return false;
    }
    String family = type.substring(0, slash) + "/*";
    return config.contentTypes().contains(type) || config.contentTypes().contains(family);
  }
}
