package io.github.s3eg.s3.checksum;

import io.github.s3eg.s3.body.ChecksumAlgorithm;
import io.github.s3eg.s3.body.ChecksumAlgorithm.RunningChecksum;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;

/**
 * Computes a checksum of the bytes read through it: the part checksum of a FULL_OBJECT multipart
 * upload whose client sent none for that part (S3 computes it then too). Read exactly the bytes to
 * cover, then take {@link #value()} once.
 */
public final class ChecksumComputingStream extends FilterInputStream {

  private final RunningChecksum checksum;

  public ChecksumComputingStream(InputStream in, ChecksumAlgorithm algorithm) {
    super(in);
    this.checksum = algorithm.newChecksum();
  }

  @Override
  public int read() throws IOException {
    byte[] one = new byte[1];
    int n = read(one, 0, 1);
    return n < 0 ? -1 : one[0] & 0xFF;
  }

  @Override
  public int read(byte[] b, int off, int len) throws IOException {
    int n = in.read(b, off, len);
    if (n > 0) {
      checksum.update(b, off, n);
    }
    return n;
  }

  @Override
  public long skip(long n) {
    throw new UnsupportedOperationException("every byte must be checksummed");
  }

  @Override
  public boolean markSupported() {
    return false;
  }

  /** The checksum of everything read; once. */
  public byte[] value() {
    return checksum.finish();
  }
}
