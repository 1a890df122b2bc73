package io.github.s3eg.crypto;

import java.util.zip.CRC32;
import java.util.zip.DataFormatException;
import java.util.zip.Deflater;
import java.util.zip.Inflater;

/**
 * gzip members (RFC 1952) through {@code java.util.zip}: a fixed 10-byte header without optional
 * fields ({@code 1f 8b 08 00}, mtime 0, xfl 0, OS 255), raw deflate data, CRC-32 and size. The
 * reader accepts exactly that shape (any mtime, xfl and OS byte), checks CRC-32 and size, and
 * refuses anything after the member. One {@link Deflater} / {@link Inflater} per stream, ended on
 * close (they hold native memory).
 */
final class GzipFrames {

  static final int HEADER_SIZE = 10;
  static final int TRAILER_SIZE = 8;
  private static final byte[] HEADER = {
    0x1f, (byte) 0x8b, 8, 0, 0, 0, 0, 0, 0, (byte) 0xff,
  };

  private GzipFrames() {}

  static final class Compressor implements Codec.FrameCompressor {
    private final Deflater deflater;
    private final CRC32 crc = new CRC32();

    Compressor(int level) {
      deflater = new Deflater(level, true);
    }

    @Override
    public int maxCompressedSize(int length) {
      // zlib's deflateBound for raw deflate plus stored-block overhead, generously rounded.
      return HEADER_SIZE + length + (length >> 12) + (length >> 14) + 64 + TRAILER_SIZE;
    }

    @Override
    public int compress(byte[] src, int off, int len, byte[] dst) {
      System.arraycopy(HEADER, 0, dst, 0, HEADER_SIZE);
      deflater.reset();
      deflater.setInput(src, off, len);
      deflater.finish();
      int n = HEADER_SIZE;
      while (!deflater.finished()) {
        int got = deflater.deflate(dst, n, dst.length - TRAILER_SIZE - n);
        if (got == 0 && n >= dst.length - TRAILER_SIZE) {
          throw new IllegalStateException("deflate output exceeded its bound");
        }
        n += got;
      }
      crc.reset();
      crc.update(src, off, len);
      putIntLe(dst, n, (int) crc.getValue());
      putIntLe(dst, n + 4, len);
      return n + TRAILER_SIZE;
    }

    @Override
    public void close() {
      deflater.end();
    }
  }

  static final class Decompressor implements Codec.FrameDecompressor {
    private final Inflater inflater = new Inflater(true);
    private final CRC32 crc = new CRC32();

    @Override
    public void decompress(byte[] src, int off, int len, byte[] dst, int expected)
        throws CryptoException.CorruptCompressedData {
      if (len < HEADER_SIZE + TRAILER_SIZE
          || src[off] != HEADER[0]
          || src[off + 1] != HEADER[1]
          || src[off + 2] != HEADER[2]
          || src[off + 3] != 0) {
        throw new CryptoException.CorruptCompressedData(
            "not a gzip member without optional fields");
      }
      int dataLen = len - HEADER_SIZE - TRAILER_SIZE;
      inflater.reset();
      inflater.setInput(src, off + HEADER_SIZE, dataLen);
      int n = 0;
      try {
        while (!inflater.finished() && n < expected) {
          int got = inflater.inflate(dst, n, expected - n);
          if (got == 0 && (inflater.needsInput() || inflater.needsDictionary())) {
            break;
          }
          n += got;
        }
        if (!inflater.finished() && n == expected) {
          // The member would decode to more than the frame holds.
          byte[] probe = new byte[1];
          if (inflater.inflate(probe) > 0 || !inflater.finished()) {
            throw new CryptoException.CorruptCompressedData(
                "the gzip member decodes to more than " + expected + " bytes");
          }
        }
      } catch (DataFormatException e) {
        throw new CryptoException.CorruptCompressedData("not valid deflate data");
      }
      if (!inflater.finished() || inflater.getRemaining() != 0 || n != expected) {
        throw new CryptoException.CorruptCompressedData(
            "the gzip member does not decode to exactly " + expected + " bytes");
      }
      crc.reset();
      crc.update(dst, 0, n);
      int trailer = off + len - TRAILER_SIZE;
      if (getIntLe(src, trailer) != (int) crc.getValue() || getIntLe(src, trailer + 4) != n) {
        throw new CryptoException.CorruptCompressedData("the gzip member's CRC-32 or size differ");
      }
    }

    @Override
    public void close() {
      inflater.end();
    }
  }

  private static void putIntLe(byte[] b, int at, int v) {
    b[at] = (byte) v;
    b[at + 1] = (byte) (v >>> 8);
    b[at + 2] = (byte) (v >>> 16);
    b[at + 3] = (byte) (v >>> 24);
  }

  private static int getIntLe(byte[] b, int at) {
    return (b[at] & 0xff)
        | (b[at + 1] & 0xff) << 8
        | (b[at + 2] & 0xff) << 16
        | (b[at + 3] & 0xff) << 24;
  }
}
