package io.github.s3eg.cache;

import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.util.Optional;

/**
 * A plaintext stream on its way to the client, copied as it is read into a buffer of the object's
 * exact length. The copy is only handed out by {@link #finish()} when the reader took every byte
 * and the source then reported its end: for a decrypting stream that end comes only after the final
 * segment authenticated and nothing followed it. A reader that stopped early (a client that went
 * away), a source that failed (a tampered segment), a short or a long body: no copy.
 *
 * <p>The buffer's bytes are reserved against the cache's budget for fills in progress ({@link
 * ObjectCache#capture}); {@link #finish()} gives them back, so it must run once per capture,
 * whatever happened to the response.
 */
public final class Capture extends FilterInputStream {

  private final byte[] buffer;
  private final Runnable releaseBudget;
  private int count;
  private boolean broken;
  private boolean finished;

  Capture(InputStream plaintext, int length, Runnable releaseBudget) {
    super(plaintext);
    this.buffer = new byte[length];
    this.releaseBudget = releaseBudget;
  }

  @Override
  public int read() throws IOException {
    int b;
    try {
      b = super.read();
    } catch (IOException | RuntimeException e) {
      broken = true;
      throw e;
    }
    if (b >= 0) {
      keep(new byte[] {(byte) b}, 0, 1);
    }
    return b;
  }

  @Override
  public int read(byte[] b, int off, int len) throws IOException {
    int n;
    try {
      n = super.read(b, off, len);
    } catch (IOException | RuntimeException e) {
      broken = true;
      throw e;
    }
    if (n > 0) {
      keep(b, off, n);
    }
    return n;
  }

  private void keep(byte[] b, int off, int n) {
    if (count + (long) n > buffer.length) {
      // More bytes than the object's size: not the object the size promised.
      broken = true;
      return;
    }
    System.arraycopy(b, off, buffer, count, n);
    count += n;
  }

  @Override
  public long skip(long n) {
    // A skipped byte would be missing from the copy; nothing that sends a body skips.
    broken = true;
    return 0;
  }

  @Override
  public boolean markSupported() {
    return false;
  }

  /**
   * The complete plaintext, or empty if the reader did not take all of it, the source failed, or
   * the source does not end right after it (the end-of-stream read is what authenticates the last
   * segment of a decrypting stream). Call before the source is released; calls after the first
   * return empty.
   */
  public Optional<byte[]> finish() {
    if (finished) {
      return Optional.empty();
    }
    finished = true;
    try {
      if (broken || count != buffer.length) {
        return Optional.empty();
      }
      return super.read() == -1 ? Optional.of(buffer) : Optional.empty();
    } catch (IOException | RuntimeException e) {
      return Optional.empty();
    } finally {
      releaseBudget.run();
    }
  }

  @Override
  public void close() {
    // The source belongs to the response's release step (closed when read fully, else aborted).
  }
}
