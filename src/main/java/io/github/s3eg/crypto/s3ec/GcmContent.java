package io.github.s3eg.crypto.s3ec;

import io.github.s3eg.crypto.CryptoException;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.util.Arrays;
import javax.crypto.Cipher;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.IvParameterSpec;
import javax.crypto.spec.SecretKeySpec;

/**
 * One AES-256-GCM message (96-bit IV, 128-bit tag at the end) read as a stream with bounded memory.
 * The JDK's GCM decryption holds the whole message until it has checked the tag, so the message is
 * decrypted here as what GCM is underneath, AES-CTR from counter block {@code iv || 00000002}, and
 * the tag is recomputed by encrypting the recovered plaintext again with the JDK's streaming GCM
 * encryption (same key, IV and associated data give the same ciphertext, hence the tag the writer
 * computed) and compared in constant time. Costs two AES passes; every cipher is the JDK's.
 */
final class GcmContent {

  private static final String PROVIDER = "SunJCE";
  private static final int BUFFER = 64 * 1024;

  private final SecretKeySpec key;
  private final byte[] iv;
  private final byte[] ad;

  GcmContent(byte[] key, byte[] iv, byte[] ad) {
    if (iv.length != 12) {
      throw new IllegalArgumentException("GCM IV must be 12 bytes");
    }
    this.key = new SecretKeySpec(key.clone(), "AES");
    this.iv = iv.clone();
    this.ad = ad.clone();
  }

  /** AES-CTR positioned at plaintext offset {@code offset} (a multiple of 16). */
  private Cipher ctrAt(long offset) throws GeneralSecurityException {
    byte[] counter = Arrays.copyOf(iv, 16);
    // GCM's first data block uses inc32(J0) = iv || 2; 32-bit counter arithmetic (GCM caps a
    // message at 2^32 − 2 blocks, so it never wraps).
    ByteBuffer.wrap(counter, 12, 4).putInt((int) (2 + offset / 16));
    Cipher ctr = Cipher.getInstance("AES/CTR/NoPadding", PROVIDER);
    ctr.init(Cipher.DECRYPT_MODE, key, new IvParameterSpec(counter));
    return ctr;
  }

  private Cipher tagCipher() throws GeneralSecurityException {
    Cipher gcm = Cipher.getInstance("AES/GCM/NoPadding", PROVIDER);
    gcm.init(Cipher.ENCRYPT_MODE, key, new GCMParameterSpec(128, iv));
    gcm.updateAAD(ad);
    return gcm;
  }

  InputStream deferred(InputStream body, long plaintextSize) {
    try {
      return new DeferredStream(body, plaintextSize, ctrAt(0), tagCipher());
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("AES-GCM and AES-CTR are required by the JDK", e);
    }
  }

  InputStream verifiedRange(
      InputStream body, long plaintextSize, long first, long last, long memoryLimit)
      throws IOException, CryptoException {
    if (first < 0 || last < first - 1 || last >= plaintextSize) {
      throw new IllegalArgumentException("range outside the plaintext");
    }
    CiphertextSpool spool = new CiphertextSpool(memoryLimit);
    try {
      InputStream tee = new RangeTee(body, first, last, spool);
      try (InputStream plaintext = deferred(nonClosing(tee), plaintextSize)) {
        byte[] discard = new byte[BUFFER];
        while (plaintext.read(discard) >= 0) {
          // decrypt, recompute the tag, throw at the end if it does not verify
        }
      }
      InputStream ciphertext = spool.open();
      try {
        Cipher ctr = ctrAt(first - first % 16);
        ctr.update(new byte[(int) (first % 16)]); // skip the keystream before the range
        return new CtrStream(ciphertext, ctr);
      } catch (GeneralSecurityException e) {
        ciphertext.close();
        throw new IllegalStateException("AES-CTR is required by the JDK", e);
      }
    } catch (IOException | RuntimeException | Error e) {
      spool.close();
      throw e;
    }
  }

  private static InputStream nonClosing(InputStream in) {
    return new FilterInputStream(in) {
      @Override
      public void close() {}
    };
  }

  /**
   * Plaintext as it decrypts (through a {@link CtrStream} over the body, never asked for more than
   * the ciphertext so the tag stays unread); the tag check replaces the end of the stream.
   */
  private static final class DeferredStream extends ChunkedFilter {
    private final InputStream body;
    private final Cipher tag;
    private long remaining;
    private byte[] scratch = new byte[BUFFER + 32];
    private boolean verified;

    DeferredStream(InputStream body, long plaintextSize, Cipher ctr, Cipher tag) {
      super(new CtrStream(body, ctr));
      this.body = body;
      this.remaining = plaintextSize;
      this.tag = tag;
    }

    @Override
    public int read(byte[] b, int off, int len) throws IOException {
      if (len == 0) {
        return 0;
      }
      if (remaining == 0) {
        verify();
        return -1;
      }
      int n = in.read(b, off, (int) Math.min(len, remaining));
      if (n < 0) {
        throw new CryptoException.TruncatedCiphertext(
                "the body ended " + (remaining + S3ecObject.TAG_BYTES) + " bytes early")
            .asIOException();
      }
      try {
        if (scratch.length < tag.getOutputSize(n)) {
          scratch = new byte[tag.getOutputSize(n)];
        }
        tag.update(b, off, n, scratch, 0);
        remaining -= n;
        return n;
      } catch (GeneralSecurityException e) {
        throw new IOException("cipher failure", e);
      }
    }

    private void verify() throws IOException {
      if (verified) {
        return;
      }
      byte[] stored = body.readNBytes(S3ecObject.TAG_BYTES);
      if (stored.length < S3ecObject.TAG_BYTES) {
        throw new CryptoException.TruncatedCiphertext("the body ends inside its tag")
            .asIOException();
      }
      if (body.read() >= 0) {
        throw new CryptoException.TrailingData("bytes follow the tag").asIOException();
      }
      byte[] expected;
      try {
        byte[] last = tag.doFinal();
        expected = Arrays.copyOfRange(last, last.length - S3ecObject.TAG_BYTES, last.length);
      } catch (GeneralSecurityException e) {
        throw new IOException("cipher failure", e);
      }
      if (!MessageDigest.isEqual(expected, stored)) {
        throw new CryptoException.TamperedSegment(0).asIOException();
      }
      verified = true;
    }
  }

  /** Copies the ciphertext of plaintext bytes {@code first..last} to a spool as it passes. */
  private static final class RangeTee extends ChunkedFilter {
    private final long first;
    private final long last;
    private final OutputStream spool;
    private long position;

    RangeTee(InputStream in, long first, long last, OutputStream spool) {
      super(in);
      this.first = first;
      this.last = last;
      this.spool = spool;
    }

    @Override
    public int read(byte[] b, int off, int len) throws IOException {
      int n = in.read(b, off, len);
      if (n > 0) {
        long from = Math.max(position, first);
        long to = Math.min(position + n - 1, last);
        if (from <= to) {
          spool.write(b, off + (int) (from - position), (int) (to - from + 1));
        }
        position += n;
      }
      return n;
    }
  }

  /** Decrypts ciphertext with a positioned AES-CTR, byte for byte as it is read. */
  private static final class CtrStream extends ChunkedFilter {
    private final Cipher ctr;
    private final byte[] buffer = new byte[BUFFER];

    CtrStream(InputStream ciphertext, Cipher ctr) {
      super(ciphertext);
      this.ctr = ctr;
    }

    @Override
    public int read(byte[] b, int off, int len) throws IOException {
      int n = in.read(buffer, 0, Math.min(len, buffer.length));
      if (n <= 0) {
        return n;
      }
      try {
        return ctr.update(buffer, 0, n, b, off);
      } catch (GeneralSecurityException e) {
        throw new IOException("cipher failure", e);
      }
    }
  }

  /**
   * A filter whose every byte passes through {@link #read(byte[], int, int)}: single-byte reads and
   * skips go through it, and nothing reaches the wrapped stream around it (no skip, mark or
   * available of its own), so a cipher or tag fed there sees each byte exactly once.
   */
  private abstract static class ChunkedFilter extends FilterInputStream {

    ChunkedFilter(InputStream in) {
      super(in);
    }

    @Override
    public abstract int read(byte[] b, int off, int len) throws IOException;

    @Override
    public final int read() throws IOException {
      byte[] one = new byte[1];
      int n = read(one, 0, 1);
      return n < 0 ? -1 : one[0] & 0xff;
    }

    @Override
    public final long skip(long n) throws IOException {
      long skipped = 0;
      byte[] discard = new byte[(int) Math.min(BUFFER, Math.max(n, 1))];
      while (skipped < n) {
        int r = read(discard, 0, (int) Math.min(discard.length, n - skipped));
        if (r < 0) {
          break;
        }
        skipped += r;
      }
      return skipped;
    }

    @Override
    public final int available() {
      return 0;
    }

    @Override
    public final boolean markSupported() {
      return false;
    }

    @Override
    public final void mark(int readlimit) {}

    @Override
    public final void reset() throws IOException {
      throw new IOException("mark/reset not supported");
    }
  }
}
