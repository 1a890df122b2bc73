package io.github.s3eg.crypto;

import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.EnumMap;
import java.util.Map;
import java.util.Set;
import java.util.zip.CRC32;
import java.util.zip.CRC32C;
import java.util.zip.Checksum;

/**
 * Accumulates the requested {@link PlaintextChecksum}s and the byte count of a plaintext while it
 * streams through the encrypter; the values are readable once the stream reached its end. Not
 * thread-safe: one per stream.
 */
final class PlaintextDigests {

  private final EnumMap<PlaintextChecksum, Accumulator> accumulators =
      new EnumMap<>(PlaintextChecksum.class);
  private final Accumulator[] active;
  private final EnumMap<PlaintextChecksum, byte[]> results = new EnumMap<>(PlaintextChecksum.class);
  private long size;
  private boolean finished;

  PlaintextDigests(Set<PlaintextChecksum> requested) {
    for (PlaintextChecksum c : requested) {
      accumulators.put(c, accumulatorFor(c));
    }
    this.active = accumulators.values().toArray(new Accumulator[0]);
  }

  void update(byte[] b, int off, int len) {
    if (finished) {
      throw new IllegalStateException("digests already finished");
    }
    for (Accumulator a : active) {
      a.update(b, off, len);
    }
    size += len;
  }

  void finish() {
    if (!finished) {
      for (Map.Entry<PlaintextChecksum, Accumulator> e : accumulators.entrySet()) {
        results.put(e.getKey(), e.getValue().finish());
      }
      finished = true;
    }
  }

  /** Whether {@code checksum} is one of those computed. */
  boolean computes(PlaintextChecksum checksum) {
    return accumulators.containsKey(checksum);
  }

  boolean finished() {
    return finished;
  }

  /** Plaintext bytes seen so far (all of them once finished). */
  long size() {
    return size;
  }

  /** The checksum's value; the stream must have ended and the checksum must have been requested. */
  byte[] value(PlaintextChecksum checksum) {
    if (!finished) {
      throw new IllegalStateException("the plaintext has not been read to its end yet");
    }
    byte[] v = results.get(checksum);
    if (v == null) {
      throw new IllegalStateException(checksum + " was not requested for this object");
    }
    return v.clone();
  }

  private interface Accumulator {
    void update(byte[] b, int off, int len);

    byte[] finish();
  }

  private static Accumulator accumulatorFor(PlaintextChecksum checksum) {
    return switch (checksum) {
      case MD5 -> digest("MD5");
      case SHA1 -> digest("SHA-1");
      case SHA256 -> digest("SHA-256");
      case CRC32 -> crc(new CRC32());
      case CRC32C -> crc(new CRC32C());
    };
  }

  private static Accumulator digest(String algorithm) {
    MessageDigest md;
    try {
      md = MessageDigest.getInstance(algorithm);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(algorithm + " is required by every Java platform", e);
    }
    return new Accumulator() {
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

  private static Accumulator crc(Checksum crc) {
    return new Accumulator() {
      @Override
      public void update(byte[] b, int off, int len) {
        crc.update(b, off, len);
      }

      @Override
      public byte[] finish() {
        int v = (int) crc.getValue();
        return new byte[] {(byte) (v >>> 24), (byte) (v >>> 16), (byte) (v >>> 8), (byte) v};
      }
    };
  }
}
