package io.github.s3eg.recovery;

import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;

/**
 * Paces a scrub: at most {@code objectsPerSecond} objects and {@code bytesPerSecond} bytes per
 * second (0: no limit), by sleeping before the object or after the bytes that would exceed the
 * rate. Each limit keeps its own schedule ("the next object may start at …"), which never lags
 * behind the clock by more than one second, so a pause does not buy a burst. Thread-safe.
 */
public final class Throttle {

  private static final long SECOND = 1_000_000_000L;

  private final int objectsPerSecond;
  private final long bytesPerSecond;
  private long nextObject;
  private long nextByte;

  public Throttle(int objectsPerSecond, long bytesPerSecond) {
    this.objectsPerSecond = objectsPerSecond;
    this.bytesPerSecond = bytesPerSecond;
    this.nextObject = System.nanoTime();
    this.nextByte = nextObject;
  }

  public static Throttle unlimited() {
    return new Throttle(0, 0);
  }

  /** Waits until the next object may be read. */
  public void object() throws InterruptedException {
    if (objectsPerSecond > 0) {
      sleepUntil(reserveObject());
    }
  }

  /** Waits until {@code n} more bytes fit the byte rate. */
  public void bytes(long n) throws InterruptedException {
    if (bytesPerSecond > 0 && n > 0) {
      sleepUntil(reserveBytes(n));
    }
  }

  private synchronized long reserveObject() {
    long now = System.nanoTime();
    long at = Math.max(nextObject, now - SECOND);
    nextObject = at + SECOND / objectsPerSecond;
    return at;
  }

  private synchronized long reserveBytes(long n) {
    long now = System.nanoTime();
    long at = Math.max(nextByte, now - SECOND);
    nextByte = at + (long) ((double) n * SECOND / bytesPerSecond);
    return nextByte;
  }

  private static void sleepUntil(long at) throws InterruptedException {
    long wait = at - System.nanoTime();
    if (wait > 0) {
      Thread.sleep(wait / 1_000_000, (int) (wait % 1_000_000));
    }
  }

  /** {@code in}, paced by the byte rate. */
  public InputStream paced(InputStream in) {
    if (bytesPerSecond <= 0) {
      return in;
    }
    return new FilterInputStream(in) {
      @Override
      public int read() throws IOException {
        int b = super.read();
        if (b >= 0) {
          pace(1);
        }
        return b;
      }

      @Override
      public int read(byte[] b, int off, int len) throws IOException {
        int n = super.read(b, off, len);
        if (n > 0) {
          pace(n);
        }
        return n;
      }

      private void pace(long n) throws IOException {
        try {
          bytes(n);
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
          throw new java.io.InterruptedIOException("scrub interrupted");
        }
      }
    };
  }
}
