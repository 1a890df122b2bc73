package io.github.s3eg.s3.body;

import io.github.s3eg.s3.S3ErrorCode;
import io.github.s3eg.s3.S3Exception;
import io.github.s3eg.s3.auth.ChunkSigner;
import io.github.s3eg.s3.auth.PayloadMode;
import io.github.s3eg.s3.auth.SigV4Signing;
import io.github.s3eg.s3.body.ChecksumAlgorithm.RunningChecksum;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/**
 * The trailer section of an {@code aws-chunked} body — {@code name:value} lines after the final
 * chunk, up to an empty line — and its checks: only the checksum declared in {@code x-amz-trailer}
 * may appear and must match the decoded data; in signed-trailer mode {@code
 * x-amz-trailer-signature} must sign the canonical trailer ({@code name:value\n} per line), chained
 * from the final chunk's signature.
 */
final class ChunkedTrailer {

  static final int MAX_LINES = 16;
  private static final String SIGNATURE = "x-amz-trailer-signature";

  private final Map<String, String> headers;
  private final String signature;
  private byte[] verifiedChecksum;

  private ChunkedTrailer(Map<String, String> headers, String signature) {
    this.headers = headers;
    this.signature = signature;
  }

  /** Reads trailer lines up to the empty line; names lower-cased, values trimmed. */
  static ChunkedTrailer read(FramedInput in, int maxLineLength) throws IOException {
    Map<String, String> headers = new LinkedHashMap<>();
    for (int lines = 0; ; lines++) {
      String line = in.readLine(maxLineLength, "the trailer");
      if (line == null) {
        throw FramedInput.fail(
            S3ErrorCode.INCOMPLETE_BODY, "The request body ended before the end of the trailer.");
      }
      if (line.isEmpty()) {
        String signature = headers.remove(SIGNATURE);
        return new ChunkedTrailer(headers, signature);
      }
      if (lines >= MAX_LINES) {
        throw malformed("too many trailing headers");
      }
      int colon = line.indexOf(':');
      if (colon <= 0) {
        throw malformed("a trailing header is not name:value");
      }
      String name = line.substring(0, colon).trim().toLowerCase(Locale.ROOT);
      if (headers.put(name, line.substring(colon + 1).trim()) != null) {
        throw malformed("the trailing header " + FramedInput.clip(name) + " is repeated");
      }
    }
  }

  /**
   * Checks the trailer against the mode and the data.
   *
   * @param signer the chunk signer, for {@link PayloadMode#STREAMING_SIGNED_TRAILER}
   * @param previousSignature the final chunk's signature (hex), in signed mode
   * @param declared the checksum named by {@code x-amz-trailer}, or {@code null}
   * @param computed that checksum computed over the decoded data, or {@code null}
   */
  void verify(
      PayloadMode mode,
      ChunkSigner signer,
      String previousSignature,
      ChecksumAlgorithm declared,
      RunningChecksum computed)
      throws BodyVerificationException {
    if (!mode.hasTrailer() && (!headers.isEmpty() || signature != null)) {
      throw malformed("trailing headers are not allowed without x-amz-trailer");
    }
    if (mode == PayloadMode.STREAMING_SIGNED_TRAILER && signer != null) {
      verifySignature(signer, previousSignature);
    } else if (signature != null) {
      throw malformed(SIGNATURE + " is only allowed in signed trailers");
    }
    for (String name : headers.keySet()) {
      if (declared == null || !declared.headerName().equals(name)) {
        throw malformed("the trailing header " + FramedInput.clip(name) + " was not declared");
      }
    }
    if (declared != null) {
      verifyChecksum(declared, computed);
    }
  }

  private void verifySignature(ChunkSigner signer, String previousSignature)
      throws BodyVerificationException {
    if (signature == null) {
      throw malformed("the signed trailer has no " + SIGNATURE);
    }
    byte[] provided = SigV4Signing.parseSignature(signature);
    if (provided == null) {
      throw malformed(SIGNATURE + " must be 64 hexadecimal characters");
    }
    StringBuilder canonical = new StringBuilder();
    headers.forEach((name, value) -> canonical.append(name).append(':').append(value).append('\n'));
    byte[] hash =
        SigV4Signing.sha256().digest(canonical.toString().getBytes(StandardCharsets.ISO_8859_1));
    if (!MessageDigest.isEqual(signer.trailerSignature(previousSignature, hash), provided)) {
      throw FramedInput.fail(
          S3ErrorCode.SIGNATURE_DOES_NOT_MATCH,
          "The trailer signature we calculated does not match the signature you provided.");
    }
  }

  private void verifyChecksum(ChecksumAlgorithm declared, RunningChecksum computed)
      throws BodyVerificationException {
    String value = headers.get(declared.headerName());
    if (value == null) {
      throw malformed("x-amz-trailer declares " + declared.headerName() + " but it was not sent");
    }
    byte[] expected;
    try {
      expected = declared.decode(value, "trailing header");
    } catch (S3Exception e) {
      throw new BodyVerificationException(e);
    }
    if (!MessageDigest.isEqual(expected, computed.finish())) {
      throw new BodyVerificationException(declared.mismatch());
    }
    verifiedChecksum = expected;
  }

  /** The declared checksum once {@link #verify} accepted it, else {@code null}. */
  byte[] verifiedChecksum() {
    return verifiedChecksum;
  }

  private static BodyVerificationException malformed(String detail) {
    return FramedInput.fail(
        S3ErrorCode.MALFORMED_TRAILER_ERROR,
        "The request contained trailing data that was not well-formed: " + detail + ".");
  }
}
