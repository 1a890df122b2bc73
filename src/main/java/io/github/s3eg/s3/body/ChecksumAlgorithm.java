package io.github.s3eg.s3.body;

import io.github.s3eg.s3.S3ErrorCode;
import io.github.s3eg.s3.S3Exception;
import java.nio.ByteBuffer;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Base64;
import java.util.Locale;
import java.util.Optional;
import java.util.function.Supplier;
import java.util.zip.CRC32;
import java.util.zip.CRC32C;
import java.util.zip.Checksum;

/**
 * The additional checksums S3 accepts ({@code x-amz-checksum-<name>}, as a header or as an
 * aws-chunked trailer). Values travel as base64 of the big-endian checksum or digest bytes.
 */
public enum ChecksumAlgorithm {
  CRC32("crc32", 4),
  CRC32C("crc32c", 4),
  CRC64NVME("crc64nvme", 8),
  SHA1("sha1", 20),
  SHA256("sha256", 32);

  private final String id;
  private final int length;

  ChecksumAlgorithm(String id, int length) {
    this.id = id;
    this.length = length;
  }

  /** {@code x-amz-checksum-crc32} etc. */
  public String headerName() {
    return "x-amz-checksum-" + id;
  }

  /** The length of the decoded value in bytes. */
  public int length() {
    return length;
  }

  /** {@code crc32}, {@code sha256} etc.: how S3 names the algorithm in its messages. */
  public String id() {
    return id;
  }

  /** The algorithm named {@code name} ({@code CRC32}, {@code crc64nvme}, any case). */
  public static Optional<ChecksumAlgorithm> fromName(String name) {
    String lower = name == null ? "" : name.trim().toLowerCase(Locale.ROOT);
    for (ChecksumAlgorithm a : values()) {
      if (a.id.equals(lower)) {
        return Optional.of(a);
      }
    }
    return Optional.empty();
  }

  /** Whether this is a CRC (whose part values combine into the whole object's). */
  public boolean isCrc() {
    return this == CRC32 || this == CRC32C || this == CRC64NVME;
  }

  /** The algorithm whose header is {@code name} (any case). */
  public static Optional<ChecksumAlgorithm> fromHeaderName(String name) {
    String lower = name.trim().toLowerCase(Locale.ROOT);
    for (ChecksumAlgorithm a : values()) {
      if (a.headerName().equals(lower)) {
        return Optional.of(a);
      }
    }
    return Optional.empty();
  }

  /**
   * Decodes a base64 value sent by the client.
   *
   * @param where "header" or "trailing header", for the error message
   * @throws S3Exception {@link S3ErrorCode#INVALID_REQUEST} if it is not base64 of the right length
   */
  public byte[] decode(String value, String where) {
    try {
      byte[] bytes = Base64.getDecoder().decode(value.trim());
      if (bytes.length == length) {
        return bytes;
      }
    } catch (IllegalArgumentException e) {
      // fall through to the S3 error
    }
    throw new S3Exception(
        S3ErrorCode.INVALID_REQUEST, "Value for " + headerName() + " " + where + " is invalid.");
  }

  /** The error S3 returns when the computed value differs from the client's. */
  public S3Exception mismatch() {
    return new S3Exception(
        S3ErrorCode.BAD_DIGEST,
        "The " + name() + " you specified did not match the calculated checksum.");
  }

  /** A fresh running computation. */
  public RunningChecksum newChecksum() {
    return switch (this) {
      case CRC32 -> crc(CRC32::new, 4);
      case CRC32C -> crc(CRC32C::new, 4);
      case CRC64NVME -> crc(Crc64Nvme::new, 8);
      case SHA1 -> digest("SHA-1");
      case SHA256 -> digest("SHA-256");
    };
  }

  private static RunningChecksum crc(Supplier<Checksum> factory, int bytes) {
    Checksum checksum = factory.get();
    return new RunningChecksum() {
      @Override
      public void update(byte[] b, int off, int len) {
        checksum.update(b, off, len);
      }

      @Override
      public byte[] finish() {
        byte[] full = ByteBuffer.allocate(8).putLong(checksum.getValue()).array();
        byte[] result = new byte[bytes];
        System.arraycopy(full, 8 - bytes, result, 0, bytes);
        return result;
      }
    };
  }

  private static RunningChecksum digest(String algorithm) {
    MessageDigest md;
    try {
      md = MessageDigest.getInstance(algorithm);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(algorithm + " is not available", e);
    }
    return new RunningChecksum() {
      @Override
      public void update(byte[] b, int off, int len) {
        md.update(b, off, len);
      }

      @Override
      public byte[] finish() {
        return md.digest();
      }
    };
  }

  /** A checksum or digest being computed over a body. */
  public interface RunningChecksum {
    void update(byte[] b, int off, int len);

    /** The value in the byte form S3 base64-encodes. */
    byte[] finish();
  }
}
