package io.github.s3eg.s3.auth;

import java.util.Optional;

/**
 * How the request body is protected, from {@code x-amz-content-sha256}. It decides which decoding
 * and verification stream the body must pass through before the gateway trusts it.
 */
public enum PayloadMode {
  /** The body is not covered by the signature ({@code UNSIGNED-PAYLOAD}, presigned, SigV2). */
  UNSIGNED(null),
  /** The header holds the hex SHA-256 of the body, checked when the body ends. */
  SHA256(null),
  /** aws-chunked, every chunk signed. */
  STREAMING_SIGNED("STREAMING-AWS4-HMAC-SHA256-PAYLOAD"),
  /** aws-chunked, every chunk signed, then a signed trailer with a checksum. */
  STREAMING_SIGNED_TRAILER("STREAMING-AWS4-HMAC-SHA256-PAYLOAD-TRAILER"),
  /** aws-chunked without signatures, then a trailer with a checksum. */
  STREAMING_UNSIGNED_TRAILER("STREAMING-UNSIGNED-PAYLOAD-TRAILER");

  /** The {@code x-amz-content-sha256} value for unsigned single-chunk bodies. */
  public static final String UNSIGNED_PAYLOAD = "UNSIGNED-PAYLOAD";

  private final String headerValue;

  PayloadMode(String headerValue) {
    this.headerValue = headerValue;
  }

  /** Whether the body is {@code aws-chunked} framed. */
  public boolean isStreaming() {
    return headerValue != null;
  }

  /** Whether every chunk carries a signature chained from the seed signature. */
  public boolean hasChunkSignatures() {
    return this == STREAMING_SIGNED || this == STREAMING_SIGNED_TRAILER;
  }

  /** Whether a trailer follows the final chunk. */
  public boolean hasTrailer() {
    return this == STREAMING_SIGNED_TRAILER || this == STREAMING_UNSIGNED_TRAILER;
  }

  /** The streaming mode named by an {@code x-amz-content-sha256} value, if it names one. */
  static Optional<PayloadMode> streaming(String headerValue) {
    for (PayloadMode mode : values()) {
      if (mode.headerValue != null && mode.headerValue.equals(headerValue)) {
        return Optional.of(mode);
      }
    }
    return Optional.empty();
  }
}
