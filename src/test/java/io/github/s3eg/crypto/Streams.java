package io.github.s3eg.crypto;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.Arrays;
import java.util.Random;

/** Stream helpers for the crypto tests. */
final class Streams {

  private Streams() {}

  /** Deterministic pseudo-random bytes. */
  static byte[] randomBytes(long seed, int length) {
    byte[] b = new byte[length];
    new Random(seed).nextBytes(b);
    return b;
  }

  static byte[] readAll(InputStream in) {
    try (in) {
      return in.readAllBytes();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** A source that hands out at most a few bytes per read, of varying sizes, like a network. */
  static InputStream trickle(byte[] data, long seed) {
    Random random = new Random(seed);
    ByteArrayInputStream source = new ByteArrayInputStream(data);
    return new InputStream() {
      @Override
      public int read() {
        return source.read();
      }

      @Override
      public int read(byte[] b, int off, int len) {
        return source.read(b, off, Math.min(len, 1 + random.nextInt(97)));
      }
    };
  }

  static byte[] slice(byte[] data, long first, long lastInclusive) {
    return Arrays.copyOfRange(data, (int) first, (int) lastInclusive + 1);
  }

  static byte[] concat(byte[]... parts) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    for (byte[] p : parts) {
      out.writeBytes(p);
    }
    return out.toByteArray();
  }

  /**
   * Reads a stream until it ends or fails, with reads of {@code chunk} bytes, recording exactly the
   * bytes it released before failing.
   */
  static Outcome drain(InputStream in, int chunk) {
    ByteArrayOutputStream released = new ByteArrayOutputStream();
    byte[] buffer = new byte[chunk];
    try (in) {
      for (int n; (n = in.read(buffer)) >= 0; ) {
        released.write(buffer, 0, n);
      }
      return new Outcome(released.toByteArray(), null);
    } catch (IOException e) {
      return new Outcome(released.toByteArray(), e);
    }
  }

  /** What a reader got: the released bytes and the failure, if any. */
  record Outcome(byte[] released, IOException failure) {

    /** The typed failure; fails the test if the stream ended normally or failed untyped. */
    CryptoException crypto() {
      if (failure == null) {
        throw new AssertionError("the stream ended without a failure");
      }
      if (!(failure instanceof CryptoIOException c)) {
        throw new AssertionError("untyped failure", failure);
      }
      return c.crypto();
    }
  }
}
