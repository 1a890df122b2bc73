package io.github.s3eg.keys.kmip;

import io.github.s3eg.keys.ttlv.KmipEnums;
import io.github.s3eg.keys.ttlv.KmipEnums.ResultReason;
import java.util.Locale;
import java.util.Optional;

/**
 * Failures of {@link KmipClient}, typed so that callers map them without reading messages: the
 * server could not be reached or did not answer in time ({@link Unreachable}), the server answered
 * with a failed result ({@link OperationFailed}), or the answer was not valid KMIP ({@link
 * ProtocolError}). Messages never contain key material.
 */
public abstract sealed class KmipException extends Exception {

  protected KmipException(String message, Throwable cause) {
    super(message, cause);
  }

  /** What went wrong on the way to the server; used for operator-facing health details. */
  public enum Cause {
    CONNECT_REFUSED("connection refused"),
    TIMEOUT("timed out"),
    TLS_HANDSHAKE("TLS handshake failed"),
    CONNECTION_LOST("connection lost"),
    POOL_EXHAUSTED("all connections busy");

    private final String description;

    Cause(String description) {
      this.description = description;
    }

    public String description() {
      return description;
    }
  }

  /** The server could not be reached, refused TLS, or did not answer in time. */
  public static final class Unreachable extends KmipException {
    private final Cause kind;

    public Unreachable(Cause kind, String message, Throwable cause) {
      super(message, cause);
      this.kind = kind;
    }

    public Cause kind() {
      return kind;
    }
  }

  /** The server processed the request and reported failure (KMIP Result Status not Success). */
  public static final class OperationFailed extends KmipException {
    private final int reason;

    public OperationFailed(String operation, int reason, String serverMessage) {
      super(
          operation
              + " failed: "
              + reasonName(reason)
              + (serverMessage == null ? "" : " (" + serverMessage + ")"),
          null);
      this.reason = reason;
    }

    /** The KMIP Result Reason value ({@code 0} if the server gave none). */
    public int reason() {
      return reason;
    }

    public Optional<ResultReason> resultReason() {
      return KmipEnums.fromValue(ResultReason.class, reason);
    }

    public boolean is(ResultReason expected) {
      return reason == expected.value();
    }

    /** The reason's name, e.g. {@code ItemNotFound}, or its hex value. */
    public String reasonName() {
      return reasonName(reason);
    }

    private static String reasonName(int reason) {
      return KmipEnums.fromValue(ResultReason.class, reason)
          .map(ResultReason::jsonName)
          .orElse(String.format(Locale.ROOT, "0x%08X", reason));
    }
  }

  /** The server's answer was not a well-formed KMIP response to our request. */
  public static final class ProtocolError extends KmipException {
    public ProtocolError(String message, Throwable cause) {
      super(message, cause);
    }
  }
}
