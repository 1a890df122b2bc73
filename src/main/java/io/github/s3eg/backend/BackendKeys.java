package io.github.s3eg.backend;

import io.github.s3eg.s3.S3ErrorCode;
import io.github.s3eg.s3.S3Exception;

/**
 * What a key is, decided once for every key a request names (its own, a copy source, each key of a
 * DeleteObjects document): the name the backend will store and find it under. On S3 a key is an
 * opaque string; backends that keep objects as files (S3Proxy's file stores, the embedded store,
 * MinIO) resolve {@code ./x} and {@code a/../x} to {@code x} and merge empty segments, so one
 * object would have many names, and {@code ./.s3eg/…} would reach the gateway's own records past a
 * check of the literal key. On such backends ({@code BACKEND_KEYS_ARE_PATHS}) a key with a {@code
 * .} or {@code ..} segment or an empty segment (a leading {@code /}, or {@code //}) is refused; a
 * trailing {@code /} (a folder marker) is allowed. Then the literal key is the key the backend
 * uses, and the reserved prefix is checked on it. Keys are checked after percent-decoding, so
 * encoded forms ({@code %2E%2E}, {@code %2F}) are caught alike.
 */
public final class BackendKeys {

  private final boolean keysArePaths;

  public BackendKeys(boolean keysArePaths) {
    this.keysArePaths = keysArePaths;
  }

  /**
   * @param key a decoded key, or null (bucket and service requests)
   * @throws S3Exception 400 InvalidArgument for a key the backend would resolve to another name;
   *     403 AccessDenied for a key under {@value ReservedKeys#PREFIX}
   */
  public void check(String key) {
    if (key == null) {
      return;
    }
    if (keysArePaths && !isPlainPath(key)) {
      throw new S3Exception(
              S3ErrorCode.INVALID_ARGUMENT,
              "Keys with '.' or '..' segments or empty segments ('//', a leading '/') are not"
                  + " supported on this backend, which resolves them like file paths.")
          .with("ArgumentName", "key")
          .with("ArgumentValue", key);
    }
    if (ReservedKeys.isReserved(key)) {
      // The gateway's own records and indexes: never readable or writable by clients.
      throw new S3Exception(
              S3ErrorCode.ACCESS_DENIED,
              "Keys under " + ReservedKeys.PREFIX + " are reserved by the gateway.")
          .with("Key", key);
    }
  }

  /**
   * A listing's {@code prefix}: such a backend resolves it like a path too ({@code a//} lists
   * {@code a/b}, {@code /} and {@code ..} are refused with a bare 400), so the same rule applies.
   * (Markers and start-after are compared as strings and need none.)
   *
   * @throws S3Exception 400 InvalidArgument
   */
  public void checkPrefix(String prefix) {
    if (keysArePaths && prefix != null && !prefix.isEmpty() && !isPlainPath(prefix)) {
      throw new S3Exception(
              S3ErrorCode.INVALID_ARGUMENT,
              "Prefixes with '.' or '..' segments or empty segments are not supported on this"
                  + " backend, which resolves them like file paths.")
          .with("ArgumentName", "prefix")
          .with("ArgumentValue", prefix);
    }
  }

  /** No {@code .}, {@code ..} or empty segment, except an empty last one (a folder marker). */
  static boolean isPlainPath(String key) {
    String[] segments = key.split("/", -1);
    for (int i = 0; i < segments.length; i++) {
      String s = segments[i];
      if (s.equals(".") || s.equals("..") || (s.isEmpty() && i < segments.length - 1)) {
        return false;
      }
    }
    return true;
  }
}
