package io.github.s3eg.s3.checksum;

import io.github.s3eg.s3.body.ChecksumAlgorithm;

/**
 * Combines the CRCs of two byte strings into the CRC of their concatenation, knowing only the
 * second one's length: {@code crc(A || B) = combine(crc(A), crc(B), |B|)}. It is how S3's
 * FULL_OBJECT checksum of a multipart upload follows from its parts' checksums. The method is
 * zlib's {@code crc32_combine} (appending |B| zero bits to A's CRC is a linear map over GF(2),
 * applied by squaring its matrix), here for any reflected CRC whose initial value and final XOR are
 * all ones: CRC-32, CRC-32C and CRC-64/NVME.
 */
public final class CrcCombine {

  private CrcCombine() {}

  /**
   * @param first CRC of A (big-endian bytes, as S3 shows it)
   * @param second CRC of B
   * @param secondLength the length of B in bytes
   * @return CRC of A || B
   */
  public static byte[] combine(
      ChecksumAlgorithm algorithm, byte[] first, byte[] second, long secondLength) {
    int width = width(algorithm);
    long crc = combine(toLong(first), toLong(second), secondLength, polynomial(algorithm), width);
    return toBytes(crc, width / 8);
  }

  private static int width(ChecksumAlgorithm algorithm) {
    return algorithm == ChecksumAlgorithm.CRC64NVME ? 64 : 32;
  }

  /** The reflected polynomial. */
  private static long polynomial(ChecksumAlgorithm algorithm) {
    return switch (algorithm) {
      case CRC32 -> 0xEDB88320L;
      case CRC32C -> 0x82F63B78L;
      case CRC64NVME -> 0x9A6C9329AC4BC9B5L;
      default -> throw new IllegalArgumentException(algorithm + " is not a CRC");
    };
  }

  private static long combine(long crc1, long crc2, long len2, long poly, int width) {
    if (len2 <= 0) {
      return crc1; // the CRC of nothing is 0: A || "" is A
    }
    long[] even = new long[width];
    long[] odd = new long[width];
    // The operator for one zero bit: the polynomial in row 0, then a shift.
    odd[0] = poly;
    long row = 1;
    for (int n = 1; n < width; n++) {
      odd[n] = row;
      row <<= 1;
    }
    square(even, odd, width); // two zero bits
    square(odd, even, width); // four zero bits
    // One zero byte is eight zero bits; each round squares once more and applies it if the
    // length's current bit is set.
    long len = len2;
    do {
      square(even, odd, width);
      if ((len & 1) != 0) {
        crc1 = times(even, crc1);
      }
      len >>>= 1;
      if (len == 0) {
        break;
      }
      square(odd, even, width);
      if ((len & 1) != 0) {
        crc1 = times(odd, crc1);
      }
      len >>>= 1;
    } while (len != 0);
    return crc1 ^ crc2;
  }

  private static long times(long[] matrix, long vector) {
    long sum = 0;
    int i = 0;
    while (vector != 0) {
      if ((vector & 1) != 0) {
        sum ^= matrix[i];
      }
      vector >>>= 1;
      i++;
    }
    return sum;
  }

  private static void square(long[] square, long[] matrix, int width) {
    for (int n = 0; n < width; n++) {
      square[n] = times(matrix, matrix[n]);
    }
  }

  private static long toLong(byte[] b) {
    long v = 0;
    for (byte x : b) {
      v = (v << 8) | (x & 0xFF);
    }
    return v;
  }

  private static byte[] toBytes(long v, int length) {
    byte[] out = new byte[length];
    for (int i = length - 1; i >= 0; i--) {
      out[i] = (byte) v;
      v >>>= 8;
    }
    return out;
  }
}
