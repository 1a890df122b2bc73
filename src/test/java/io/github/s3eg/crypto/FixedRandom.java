package io.github.s3eg.crypto;

import java.security.SecureRandom;
import java.util.ArrayDeque;
import java.util.Deque;

/**
 * A {@link SecureRandom} that hands out given byte strings in order, one per {@code nextBytes}
 * call, and fails if a request does not match the next string's length: the order and sizes of
 * random draws are part of what the known-answer vectors pin down.
 */
final class FixedRandom extends SecureRandom {

  private final Deque<byte[]> values = new ArrayDeque<>();

  FixedRandom(byte[]... values) {
    for (byte[] v : values) {
      this.values.add(v.clone());
    }
  }

  @Override
  public synchronized void nextBytes(byte[] bytes) {
    byte[] next = values.poll();
    if (next == null || next.length != bytes.length) {
      throw new IllegalStateException(
          "unexpected random draw of "
              + bytes.length
              + " bytes, next fixed value: "
              + (next == null ? "none" : next.length + " bytes"));
    }
    System.arraycopy(next, 0, bytes, 0, bytes.length);
  }

  boolean exhausted() {
    return values.isEmpty();
  }
}
