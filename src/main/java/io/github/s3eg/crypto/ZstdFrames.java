package io.github.s3eg.crypto;

import com.github.luben.zstd.Zstd;
import com.github.luben.zstd.ZstdCompressCtx;
import com.github.luben.zstd.ZstdDecompressCtx;
import com.github.luben.zstd.util.Native;

/**
 * Zstandard frames through zstd-jni. One context per stream (contexts hold native memory; closing
 * frees it). Frames carry their content size and no checksum: the frame container is inside the
 * authenticated encryption, which already detects any change.
 */
final class ZstdFrames {

  private ZstdFrames() {}

  static void checkAvailable() {
    try {
      Native.load();
    } catch (RuntimeException | LinkageError e) {
      throw new IllegalStateException(
          "the zstd native library cannot be loaded on this machine (" + e.getMessage() + ")", e);
    }
  }

  static final class Compressor implements Codec.FrameCompressor {
    private final ZstdCompressCtx ctx;

    Compressor(int level) {
      checkAvailable();
      ctx = new ZstdCompressCtx().setLevel(level).setChecksum(false).setContentSize(true);
    }

    @Override
    public int maxCompressedSize(int length) {
      return Math.toIntExact(Zstd.compressBound(length));
    }

    @Override
    public int compress(byte[] src, int off, int len, byte[] dst) {
      return ctx.compressByteArray(dst, 0, dst.length, src, off, len);
    }

    @Override
    public void close() {
      ctx.close();
    }
  }

  static final class Decompressor implements Codec.FrameDecompressor {
    private final ZstdDecompressCtx ctx;

    Decompressor() throws CryptoException.UnsupportedCompression {
      try {
        checkAvailable();
      } catch (IllegalStateException e) {
        throw new CryptoException.UnsupportedCompression(e.getMessage());
      }
      ctx = new ZstdDecompressCtx();
    }

    @Override
    public void decompress(byte[] src, int off, int len, byte[] dst, int expected)
        throws CryptoException.CorruptCompressedData {
      int n;
      try {
        // Exactly one frame: nothing may follow it (a second frame would decode silently).
        if (Zstd.findFrameCompressedSize(src, off, len) != len) {
          throw new CryptoException.CorruptCompressedData("data follows the zstd frame");
        }
        n = ctx.decompressByteArray(dst, 0, expected, src, off, len);
      } catch (RuntimeException e) {
        throw new CryptoException.CorruptCompressedData("not a valid zstd frame");
      }
      if (n != expected) {
        throw new CryptoException.CorruptCompressedData(
            "the zstd frame decodes to " + n + " bytes, not " + expected);
      }
    }

    @Override
    public void close() {
      ctx.close();
    }
  }
}
