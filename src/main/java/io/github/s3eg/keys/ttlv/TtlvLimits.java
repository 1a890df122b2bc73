package io.github.s3eg.keys.ttlv;

/**
 * Bounds every decoder enforces before it allocates: the nesting depth of structures and the size
 * of a whole encoded message. KMIP key-management messages are a few hundred bytes and at most
 * about eight levels deep, so the defaults leave ample room while keeping hostile input cheap.
 */
public record TtlvLimits(int maxDepth, int maxMessageBytes) {

  public static final TtlvLimits DEFAULT = new TtlvLimits(32, 1 << 20);

  public TtlvLimits {
    if (maxDepth < 1) {
      throw new IllegalArgumentException("maxDepth must be >= 1");
    }
    if (maxMessageBytes < 8) {
      throw new IllegalArgumentException("maxMessageBytes must be >= 8");
    }
  }
}
