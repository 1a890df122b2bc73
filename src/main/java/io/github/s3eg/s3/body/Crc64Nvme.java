package io.github.s3eg.s3.body;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;
import java.util.zip.Checksum;

/**
 * CRC-64/NVME, the 64-bit CRC that S3 offers as {@code x-amz-checksum-crc64nvme}: reflected
 * polynomial {@code 0x9a6c9329ac4bc9b5} (normal form {@code 0xad93d23594c93659}), initial value and
 * final XOR all ones. The JDK has no CRC-64 and the AWS SDK only delegates to its native CRT
 * library, so it is implemented here, slicing by eight bytes for throughput on multi-GB bodies.
 */
public final class Crc64Nvme implements Checksum {

  private static final long POLY_REFLECTED = 0x9a6c9329ac4bc9b5L;
  private static final long[][] TABLES = tables();
  private static final VarHandle LONG_LE =
      MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.LITTLE_ENDIAN);

  private long register = -1L;

  @Override
  public void update(int b) {
    register = TABLES[0][(int) (register ^ b) & 0xFF] ^ (register >>> 8);
  }

  @Override
  public void update(byte[] b, int off, int len) {
    long crc = register;
    int i = off;
    int end = off + len;
    long[] t0 = TABLES[0];
    long[] t1 = TABLES[1];
    long[] t2 = TABLES[2];
    long[] t3 = TABLES[3];
    long[] t4 = TABLES[4];
    long[] t5 = TABLES[5];
    long[] t6 = TABLES[6];
    long[] t7 = TABLES[7];
    while (end - i >= 8) {
      long x = crc ^ (long) LONG_LE.get(b, i);
      crc =
          t7[(int) x & 0xFF]
              ^ t6[(int) (x >>> 8) & 0xFF]
              ^ t5[(int) (x >>> 16) & 0xFF]
              ^ t4[(int) (x >>> 24) & 0xFF]
              ^ t3[(int) (x >>> 32) & 0xFF]
              ^ t2[(int) (x >>> 40) & 0xFF]
              ^ t1[(int) (x >>> 48) & 0xFF]
              ^ t0[(int) (x >>> 56) & 0xFF];
      i += 8;
    }
    while (i < end) {
      crc = t0[(int) (crc ^ b[i++]) & 0xFF] ^ (crc >>> 8);
    }
    register = crc;
  }

  /** The CRC of everything so far. */
  @Override
  public long getValue() {
    return ~register;
  }

  @Override
  public void reset() {
    register = -1L;
  }

  private static long[][] tables() {
    long[][] t = new long[8][256];
    for (int n = 0; n < 256; n++) {
      long crc = n;
      for (int k = 0; k < 8; k++) {
        crc = (crc & 1) != 0 ? (crc >>> 1) ^ POLY_REFLECTED : crc >>> 1;
      }
      t[0][n] = crc;
    }
    for (int n = 0; n < 256; n++) {
      for (int k = 1; k < 8; k++) {
        t[k][n] = (t[k - 1][n] >>> 8) ^ t[0][(int) t[k - 1][n] & 0xFF];
      }
    }
    return t;
  }
}
