package io.github.s3eg.s3.auth;

import io.github.s3eg.s3.S3ErrorCode;
import io.github.s3eg.s3.S3Exception;
import java.util.Locale;
import java.util.Optional;

/** Interprets {@code x-amz-content-sha256}. */
final class PayloadHeader {

  private PayloadHeader() {}

  /**
   * The payload mode a header value names: a 64-hex digest, {@code UNSIGNED-PAYLOAD}, or one of the
   * three {@code STREAMING-…} values; empty for anything else.
   */
  static Optional<PayloadMode> classify(String value) {
    if (PayloadMode.UNSIGNED_PAYLOAD.equals(value)) {
      return Optional.of(PayloadMode.UNSIGNED);
    }
    if (SigV4Signing.parseSignature(value) != null) {
      return Optional.of(PayloadMode.SHA256);
    }
    return PayloadMode.streaming(value);
  }

  /** The expected digest in lower case, for {@link PayloadMode#SHA256}. */
  static String digest(String value) {
    return value.toLowerCase(Locale.ROOT);
  }

  static S3Exception invalid() {
    return new S3Exception(
        S3ErrorCode.INVALID_ARGUMENT,
        "x-amz-content-sha256 must be UNSIGNED-PAYLOAD, STREAMING-AWS4-HMAC-SHA256-PAYLOAD,"
            + " STREAMING-AWS4-HMAC-SHA256-PAYLOAD-TRAILER, STREAMING-UNSIGNED-PAYLOAD-TRAILER"
            + " or a valid sha256 value.");
  }
}
