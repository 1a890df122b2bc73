package io.github.s3eg.keys;

/**
 * Typed failures of a {@link KeyManager}; the S3 layer maps them to responses (unavailable → 503
 * ServiceUnavailable, the others → 500 InternalError with a clear message). Messages never carry
 * key material.
 */
public abstract sealed class KeyManagerException extends Exception {

  protected KeyManagerException(String message, Throwable cause) {
    super(message, cause);
  }

  /** The KEK named by an object is unknown here (or outside the dual-read window). */
  public static final class KeyNotFound extends KeyManagerException {
    public KeyNotFound(String message) {
      super(message, null);
    }
  }

  /** The wrapped key or its associated data were altered, or the wrong KEK was used. */
  public static final class UnwrapFailed extends KeyManagerException {
    public UnwrapFailed(String message, Throwable cause) {
      super(message, cause);
    }
  }

  /** The key service cannot be reached or did not answer in time. */
  public static final class Unavailable extends KeyManagerException {
    public Unavailable(String message, Throwable cause) {
      super(message, cause);
    }
  }
}
