package io.github.s3eg.s3.body;

import java.util.HexFormat;
import java.util.Locale;

/**
 * What a plain (not aws-chunked, or already decoded) body must turn out to be. Every part is
 * optional.
 *
 * @param length the exact byte count ({@code Content-Length} or the decoded length), or -1 if
 *     unknown
 * @param sha256 the SHA-256 from {@code x-amz-content-sha256}, or {@code null}
 * @param md5 the MD5 from {@code Content-MD5}, or {@code null}
 * @param checksumAlgorithm the algorithm of an {@code x-amz-checksum-*} header, or {@code null}
 * @param checksum that header's decoded value, or {@code null}
 */
public record PayloadExpectations(
    long length, byte[] sha256, byte[] md5, ChecksumAlgorithm checksumAlgorithm, byte[] checksum) {

  public PayloadExpectations {
    if (length < -1) {
      throw new IllegalArgumentException("length must be -1 (unknown) or at least 0");
    }
    if (sha256 != null && sha256.length != 32) {
      throw new IllegalArgumentException("a SHA-256 has 32 bytes");
    }
    if (md5 != null && md5.length != 16) {
      throw new IllegalArgumentException("an MD5 has 16 bytes");
    }
    if ((checksumAlgorithm == null) != (checksum == null)) {
      throw new IllegalArgumentException("checksum and its algorithm go together");
    }
    if (checksum != null && checksum.length != checksumAlgorithm.length()) {
      throw new IllegalArgumentException("checksum length does not match its algorithm");
    }
    sha256 = sha256 == null ? null : sha256.clone();
    md5 = md5 == null ? null : md5.clone();
    checksum = checksum == null ? null : checksum.clone();
  }

  /** Only a length (or nothing, with -1). */
  public static PayloadExpectations length(long length) {
    return new PayloadExpectations(length, null, null, null, null);
  }

  public PayloadExpectations withSha256Hex(String hex) {
    return new PayloadExpectations(
        length,
        HexFormat.of().parseHex(hex.toLowerCase(Locale.ROOT)),
        md5,
        checksumAlgorithm,
        checksum);
  }

  public PayloadExpectations withMd5(byte[] md5) {
    return new PayloadExpectations(length, sha256, md5, checksumAlgorithm, checksum);
  }

  public PayloadExpectations withChecksum(ChecksumAlgorithm algorithm, byte[] value) {
    return new PayloadExpectations(length, sha256, md5, algorithm, value);
  }

  /** Whether anything at all is checked. */
  public boolean isEmpty() {
    return length < 0 && sha256 == null && md5 == null && checksum == null;
  }
}
