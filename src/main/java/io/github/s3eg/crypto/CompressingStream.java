package io.github.s3eg.crypto;

import java.io.IOException;
import java.io.InputStream;
import java.util.Arrays;
import java.util.Objects;

/**
 * Pull-based compression into a {@linkplain FrameLayout frame container}: reading this stream reads
 * the plaintext one frame ({@code F} bytes) at a time and returns {@code frame_0 || … || index}.
 * Memory is one plaintext frame, one compressed frame, the codec's context and the index (8 bytes
 * per frame: 160 KiB for a 5 GiB object with 256 KiB frames), whatever the object size.
 *
 * <p>A frame whose compression is not smaller than its plaintext is stored as it is (method 0), so
 * incompressible data costs 5 bytes per frame and the decompression of nothing. The plaintext
 * digests (MD5 for the ETag, and the size) are computed here, over the plaintext, and finished when
 * the plaintext ends.
 */
final class CompressingStream extends InputStream {

  private final InputStream source;
  private final FrameLayout layout;
  private final Codec.FrameCompressor compressor;
  private final PlaintextDigests digests;
  private final byte[] frame;
  private final byte[] compressed;
  private final byte[] out;
  private final byte[] single = new byte[1];
  private int outPos;
  private int outLimit;
  private long[] offsets = new long[16];
  private int frames;
  private long produced;
  private long plaintextSize;
  private boolean sourceEnded;
  private int indexWritten;
  private boolean closed;

  CompressingStream(
      InputStream source, Compression compression, int level, PlaintextDigests digests) {
    this.source = Objects.requireNonNull(source, "source");
    this.layout = compression.frames();
    this.digests = digests;
    this.frame = new byte[layout.frameSize()];
    this.compressor = compression.codec().compressor(level);
    this.compressed = new byte[compressor.maxCompressedSize(layout.frameSize())];
    this.out = new byte[FrameLayout.FRAME_HEADER_SIZE + layout.frameSize()];
  }

  @Override
  public int read() throws IOException {
    int n = read(single, 0, 1);
    return n < 0 ? -1 : single[0] & 0xff;
  }

  @Override
  public int read(byte[] b, int off, int len) throws IOException {
    Objects.checkFromIndexSize(off, len, b.length);
    if (closed) {
      throw new IOException("stream closed");
    }
    if (len == 0) {
      return 0;
    }
    while (outPos == outLimit) {
      if (!sourceEnded) {
        nextFrame();
      } else if (indexWritten < frames) {
        nextIndexChunk();
      } else {
        return -1;
      }
    }
    int n = Math.min(len, outLimit - outPos);
    System.arraycopy(out, outPos, b, off, n);
    outPos += n;
    produced += n;
    return n;
  }

  /** Reads up to one frame of plaintext and puts its container form into {@code out}. */
  private void nextFrame() throws IOException {
    int length = source.readNBytes(frame, 0, frame.length);
    if (length > 0) {
      plaintextSize += length;
      if (plaintextSize > FrameLayout.MAX_PLAINTEXT_SIZE) {
        throw new IOException("a compressed object holds at most 5 GiB");
      }
      digests.update(frame, 0, length);
      if (frames == offsets.length) {
        offsets = Arrays.copyOf(offsets, frames * 2);
      }
      // Bytes already handed out plus what is still buffered: this frame's container offset.
      offsets[frames++] = produced;
      int n = compressor.compress(frame, 0, length, compressed);
      boolean store = n >= length;
      out[0] = store ? FrameLayout.STORED : FrameLayout.COMPRESSED;
      putInt(out, 1, store ? length : n);
      System.arraycopy(
          store ? frame : compressed, 0, out, FrameLayout.FRAME_HEADER_SIZE, store ? length : n);
      outPos = 0;
      outLimit = FrameLayout.FRAME_HEADER_SIZE + (store ? length : n);
    }
    if (length < frame.length) {
      sourceEnded = true;
      digests.finish();
    }
  }

  /** Puts as many index entries as fit into {@code out}. */
  private void nextIndexChunk() {
    int count = Math.min(frames - indexWritten, out.length / FrameLayout.INDEX_ENTRY_SIZE);
    for (int i = 0; i < count; i++) {
      putLong(out, i * FrameLayout.INDEX_ENTRY_SIZE, offsets[indexWritten + i]);
    }
    indexWritten += count;
    outPos = 0;
    outLimit = count * FrameLayout.INDEX_ENTRY_SIZE;
  }

  private static void putInt(byte[] b, int at, int v) {
    b[at] = (byte) (v >>> 24);
    b[at + 1] = (byte) (v >>> 16);
    b[at + 2] = (byte) (v >>> 8);
    b[at + 3] = (byte) v;
  }

  private static void putLong(byte[] b, int at, long v) {
    putInt(b, at, (int) (v >>> 32));
    putInt(b, at + 4, (int) v);
  }

  @Override
  public void close() throws IOException {
    if (!closed) {
      closed = true;
      compressor.close();
      Arrays.fill(frame, (byte) 0);
      Arrays.fill(compressed, (byte) 0);
      Arrays.fill(out, (byte) 0);
      source.close();
    }
  }
}
