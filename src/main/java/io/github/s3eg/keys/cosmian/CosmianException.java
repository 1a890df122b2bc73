package io.github.s3eg.keys.cosmian;

/**
 * Failures of {@link CosmianClient}: the KMS could not be reached or did not answer in time ({@link
 * Unreachable}), it answered with an HTTP error ({@link HttpError}; Cosmian reports KMIP failures
 * as 422 and internal errors, including failed decryptions, as 500), or its answer was not the
 * expected JSON TTLV ({@link ProtocolError}). Response bodies are never included: an error text
 * could echo request fields.
 */
public abstract sealed class CosmianException extends Exception {

  protected CosmianException(String message, Throwable cause) {
    super(message, cause);
  }

  /** Connection refused, timeout, TLS failure or connection lost; {@code kind} says which. */
  public static final class Unreachable extends CosmianException {
    private final String kind;

    public Unreachable(String kind, Throwable cause) {
      super("Cosmian KMS unreachable: " + kind, cause);
      this.kind = kind;
    }

    /** Short operator-facing description, e.g. {@code connection refused}. */
    public String kind() {
      return kind;
    }
  }

  /** The KMS answered with a non-2xx status. */
  public static final class HttpError extends CosmianException {
    private final int status;

    public HttpError(String operation, int status) {
      super(operation + " failed: HTTP " + status, null);
      this.status = status;
    }

    public int status() {
      return status;
    }

    /** 502, 503 and 504: a proxy or the KMS itself is temporarily unable to serve. */
    public boolean transientFailure() {
      return status == 502 || status == 503 || status == 504;
    }

    /** 401 and 403: our credentials were refused. */
    public boolean authenticationFailure() {
      return status == 401 || status == 403;
    }
  }

  /** The KMS's answer is not a well-formed response to our request. */
  public static final class ProtocolError extends CosmianException {
    public ProtocolError(String message, Throwable cause) {
      super(message, cause);
    }
  }
}
