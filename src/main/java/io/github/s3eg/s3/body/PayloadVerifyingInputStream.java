package io.github.s3eg.s3.body;

import io.github.s3eg.s3.S3ErrorCode;
import io.github.s3eg.s3.S3Exception;
import io.github.s3eg.s3.body.ChecksumAlgorithm.RunningChecksum;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Objects;

/**
 * Verifies a plain request body against its headers while it streams: the byte count against {@code
 * Content-Length}, SHA-256 against {@code x-amz-content-sha256}, MD5 against {@code Content-MD5},
 * and an {@code x-amz-checksum-*} header. Memory use is constant.
 *
 * <p><b>Contract for the caller.</b> The digests can only be compared when the body is complete, so
 * failures surface at the end: in the read that would return the final bytes when the length is
 * known (those bytes are then held back, and a reader that stops after exactly {@code length} bytes
 * still gets the check), otherwise at end of stream. By then earlier bytes have been passed on — to
 * the backend, typically — so on a {@link BodyVerificationException} the caller must abort the
 * backend upload (abort the multipart upload / cancel the PUT) so that no object is created. After
 * a failure every further read throws the same exception.
 *
 * <p>Errors: fewer bytes than declared → IncompleteBody; more → IncompleteBody as well (S3 reads
 * exactly Content-Length bytes); MD5 → BadDigest; SHA-256 → XAmzContentSHA256Mismatch; checksum
 * header → BadDigest.
 */
public final class PayloadVerifyingInputStream extends FilterInputStream {

  private final PayloadExpectations expected;
  private final MessageDigest sha256;
  private final MessageDigest md5;
  private final RunningChecksum checksum;
  private long count;
  private boolean verified;
  private BodyVerificationException failure;

  public PayloadVerifyingInputStream(InputStream body, PayloadExpectations expected) {
    super(Objects.requireNonNull(body, "body"));
    this.expected = Objects.requireNonNull(expected, "expected");
    this.sha256 = expected.sha256() == null ? null : digest("SHA-256");
    this.md5 = expected.md5() == null ? null : digest("MD5");
    this.checksum =
        expected.checksumAlgorithm() == null ? null : expected.checksumAlgorithm().newChecksum();
  }

  @Override
  public int read() throws IOException {
    byte[] one = new byte[1];
    int n = read(one, 0, 1);
    return n < 0 ? -1 : one[0] & 0xFF;
  }

  @Override
  public int read(byte[] b, int off, int len) throws IOException {
    Objects.checkFromIndexSize(off, len, b.length);
    if (failure != null) {
      throw failure;
    }
    if (len == 0) {
      return 0;
    }
    if (verified) {
      return -1;
    }
    try {
      return readVerified(b, off, len);
    } catch (BodyVerificationException e) {
      failure = e;
      throw e;
    }
  }

  private int readVerified(byte[] b, int off, int len) throws IOException {
    long limit = expected.length();
    int want = limit < 0 ? len : (int) Math.min(len, limit - count);
    if (want == 0) {
      verifyEnd();
      return -1;
    }
    int n = in.read(b, off, want);
    if (n < 0) {
      verifyEnd();
      return -1;
    }
    update(b, off, n);
    if (limit >= 0 && count == limit) {
      // The last byte is here: check everything before handing it over.
      verifyEnd();
    }
    return n;
  }

  private void update(byte[] b, int off, int n) {
    count += n;
    if (sha256 != null) {
      sha256.update(b, off, n);
    }
    if (md5 != null) {
      md5.update(b, off, n);
    }
    if (checksum != null) {
      checksum.update(b, off, n);
    }
  }

  private void verifyEnd() throws IOException {
    long limit = expected.length();
    if (limit >= 0 && count == limit && in.read() >= 0) {
      throw fail(
          S3ErrorCode.INCOMPLETE_BODY,
          "The request body is longer than the " + limit + " bytes declared.");
    }
    if (limit >= 0 && count < limit) {
      throw fail(
          S3ErrorCode.INCOMPLETE_BODY,
          "You did not provide the number of bytes specified by the Content-Length HTTP header ("
              + count
              + " of "
              + limit
              + ").");
    }
    if (md5 != null && !MessageDigest.isEqual(md5.digest(), expected.md5())) {
      throw fail(
          S3ErrorCode.BAD_DIGEST, "The Content-MD5 you specified did not match what we received.");
    }
    if (sha256 != null) {
      byte[] actual = sha256.digest();
      if (!MessageDigest.isEqual(actual, expected.sha256())) {
        HexFormat hex = HexFormat.of();
        throw new BodyVerificationException(
            new S3Exception(
                    S3ErrorCode.X_AMZ_CONTENT_SHA256_MISMATCH,
                    "The provided 'x-amz-content-sha256' header does not match what was computed.")
                .with("ClientComputedContentSHA256", hex.formatHex(expected.sha256()))
                .with("S3ComputedContentSHA256", hex.formatHex(actual)));
      }
    }
    if (checksum != null && !MessageDigest.isEqual(checksum.finish(), expected.checksum())) {
      throw new BodyVerificationException(expected.checksumAlgorithm().mismatch());
    }
    verified = true;
  }

  /** Bytes passed through so far. */
  public long count() {
    return count;
  }

  @Override
  public long skip(long n) throws IOException {
    // Skipped bytes must still be hashed.
    byte[] scratch = new byte[(int) Math.min(8192, Math.max(n, 1))];
    long done = 0;
    while (done < n) {
      int r = read(scratch, 0, (int) Math.min(scratch.length, n - done));
      if (r < 0) {
        break;
      }
      done += r;
    }
    return done;
  }

  @Override
  public int available() throws IOException {
    return failure != null || verified ? 0 : super.available();
  }

  @Override
  public boolean markSupported() {
    return false;
  }

  @Override
  public synchronized void mark(int readlimit) {}

  @Override
  public synchronized void reset() throws IOException {
    throw new IOException("mark/reset not supported");
  }

  private static BodyVerificationException fail(S3ErrorCode code, String message) {
    return new BodyVerificationException(new S3Exception(code, message));
  }

  private static MessageDigest digest(String algorithm) {
    try {
      return MessageDigest.getInstance(algorithm);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(algorithm + " is not available", e);
    }
  }
}
