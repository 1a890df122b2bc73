package io.github.s3eg.s3.body;

import java.util.Objects;
import java.util.function.Supplier;

/**
 * The {@code x-amz-checksum-*} a client sent for a request body, as a header (known before the
 * body) or as an aws-chunked trailer (known after it). Either way the body verification refuses the
 * body before its last byte unless the decoded data has exactly this checksum, so once the body was
 * read to its end, {@link #value()} is the checksum of the data read.
 */
public final class ClientChecksum {

  private final ChecksumAlgorithm algorithm;
  private final byte[] headerValue;
  private final Supplier<byte[]> trailerValue;

  private ClientChecksum(
      ChecksumAlgorithm algorithm, byte[] headerValue, Supplier<byte[]> trailerValue) {
    this.algorithm = Objects.requireNonNull(algorithm, "algorithm");
    this.headerValue = headerValue;
    this.trailerValue = trailerValue;
  }

  static ClientChecksum header(ChecksumAlgorithm algorithm, byte[] value) {
    return new ClientChecksum(algorithm, value.clone(), null);
  }

  static ClientChecksum trailer(ChecksumAlgorithm algorithm, Supplier<byte[]> verifiedValue) {
    return new ClientChecksum(algorithm, null, verifiedValue);
  }

  public ChecksumAlgorithm algorithm() {
    return algorithm;
  }

  /** Whether the value is known before the body is read (a header, not a trailer). */
  public boolean knownUpFront() {
    return headerValue != null;
  }

  /**
   * The checksum's bytes.
   *
   * @throws IllegalStateException for a trailer, before the body was read and verified to its end
   */
  public byte[] value() {
    return headerValue != null ? headerValue.clone() : trailerValue.get();
  }
}
