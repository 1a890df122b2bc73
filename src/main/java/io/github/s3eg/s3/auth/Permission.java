package io.github.s3eg.s3.auth;

import java.util.Locale;

/**
 * What a client key may do. The levels nest: {@link #WRITE} includes reading and {@link #ADMIN}
 * includes everything, so an operator only has to pick one word per key.
 */
public enum Permission {
  READ,
  WRITE,
  ADMIN;

  /** Whether a key with this permission may perform {@code action}. */
  public boolean allows(S3Action action) {
    return switch (action) {
      case READ -> true;
      case WRITE -> this != READ;
      case ADMIN -> this == ADMIN;
    };
  }

  /** Parses {@code read}, {@code write} or {@code admin} (any case). */
  public static Permission parse(String value) {
    for (Permission p : values()) {
      if (p.name().equalsIgnoreCase(value.trim())) {
        return p;
      }
    }
    throw new IllegalArgumentException(
        "unknown permission '" + value + "' (expected read, write or admin)");
  }

  /** The lower-case word used in configuration. */
  public String configName() {
    return name().toLowerCase(Locale.ROOT);
  }
}
