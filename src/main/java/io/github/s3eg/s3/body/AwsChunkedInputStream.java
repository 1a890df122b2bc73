package io.github.s3eg.s3.body;

import io.github.s3eg.s3.S3ErrorCode;
import io.github.s3eg.s3.auth.ChunkSigner;
import io.github.s3eg.s3.auth.PayloadMode;
import io.github.s3eg.s3.auth.SigV4Signing;
import io.github.s3eg.s3.auth.SigningContext;
import io.github.s3eg.s3.body.ChecksumAlgorithm.RunningChecksum;
import java.io.IOException;
import java.io.InputStream;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.Objects;

/**
 * Decodes an {@code aws-chunked} request body and verifies it while it streams:
 *
 * <pre>
 * chunk   = hex-size [";chunk-signature=" 64HEX] CRLF data CRLF     (data of hex-size bytes)
 * final   = "0" [";chunk-signature=" 64HEX] CRLF
 * trailer = *(name ":" value CRLF) ["x-amz-trailer-signature:" 64HEX CRLF]
 * body    = *chunk final trailer CRLF
 * </pre>
 *
 * <p>In the signed modes each chunk's signature is verified (chained from the seed signature, see
 * {@link ChunkSigner}) before any of its bytes are handed to the reader; one chunk is buffered for
 * that, and chunks larger than {@link #MAX_CHUNK_SIZE} are refused to bound memory. In the trailer
 * modes the checksum named by {@code x-amz-trailer} is computed over the decoded data and compared
 * with the trailer, whose own signature is verified in {@link
 * PayloadMode#STREAMING_SIGNED_TRAILER}. The decoded length must equal {@code
 * x-amz-decoded-content-length}.
 *
 * <p><b>Contract for the caller.</b> A bad chunk fails the read that would have returned it, so
 * earlier, verified chunks may already have been consumed (and sent to the backend). Checks that
 * need the whole body — trailer checksum, trailer signature, decoded length, final chunk — run
 * before the <em>last</em> data chunk is released: a reader that stops after exactly the decoded
 * length still gets them. Either way the failure is a {@link BodyVerificationException} (an {@code
 * IOException}) carrying the S3 error, and the caller must then abort the backend upload (abort the
 * multipart upload / cancel the PUT) so that no object is created from an unverified body. After a
 * failure every further read throws the same exception.
 *
 * <p>Not thread-safe, like any stream.
 */
public final class AwsChunkedInputStream extends InputStream {

  /** The largest chunk accepted (the AWS SDKs send 64 KiB to 1 MiB). */
  public static final int MAX_CHUNK_SIZE = 16 * 1024 * 1024;

  static final int MAX_LINE_LENGTH = 4096;

  private static final String CHUNK_SIGNATURE = "chunk-signature";
  private static final HexFormat HEX = HexFormat.of();

  private final FramedInput in;
  private final PayloadMode mode;
  private final ChunkSigner signer;
  private final MessageDigest chunkDigest;
  private final long decodedLength;
  private final ChecksumAlgorithm trailerChecksum;
  private final RunningChecksum checksum;

  private String previousSignature;
  private byte[] chunk = new byte[0];
  private int chunkPos;
  private int chunkLen;
  private long decoded;
  private long chunkIndex;
  private boolean ended;
  private boolean closed;
  private BodyVerificationException failure;
  private byte[] trailerValue;

  /**
   * @param raw the encoded body as received
   * @param mode one of the streaming modes
   * @param signing the request's signing context; required for the signed modes
   * @param decodedLength {@code x-amz-decoded-content-length}
   * @param trailerChecksum the checksum named in {@code x-amz-trailer}, or {@code null}; only with
   *     a trailer mode
   */
  public AwsChunkedInputStream(
      InputStream raw,
      PayloadMode mode,
      SigningContext signing,
      long decodedLength,
      ChecksumAlgorithm trailerChecksum) {
    Objects.requireNonNull(raw, "raw");
    if (!mode.isStreaming()) {
      throw new IllegalArgumentException(mode + " is not an aws-chunked mode");
    }
    // A null signing context in a signed mode comes only from AuthResult.unauthenticated
    // (authentication switched off): the framing is decoded, the signatures cannot be checked.
    if (decodedLength < 0) {
      throw new IllegalArgumentException("decodedLength must not be negative");
    }
    if (trailerChecksum != null && !mode.hasTrailer()) {
      throw new IllegalArgumentException(mode + " has no trailer for a checksum");
    }
    this.in = new FramedInput(raw);
    this.mode = mode;
    boolean verify = mode.hasChunkSignatures() && signing != null;
    this.signer = verify ? signing.newChunkSigner() : null;
    this.previousSignature = verify ? signing.seedSignature() : null;
    this.chunkDigest = verify ? SigV4Signing.sha256() : null;
    this.decodedLength = decodedLength;
    this.trailerChecksum = trailerChecksum;
    this.checksum = trailerChecksum == null ? null : trailerChecksum.newChecksum();
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
    ensureUsable();
    if (len == 0) {
      return 0;
    }
    while (chunkPos == chunkLen) {
      if (ended) {
        return -1;
      }
      try {
        nextChunk();
      } catch (BodyVerificationException e) {
        failure = e;
        throw e;
      }
    }
    int n = Math.min(len, chunkLen - chunkPos);
    System.arraycopy(chunk, chunkPos, b, off, n);
    chunkPos += n;
    return n;
  }

  @Override
  public int available() {
    return failure == null && !closed ? chunkLen - chunkPos : 0;
  }

  @Override
  public void close() throws IOException {
    if (!closed) {
      closed = true;
      in.close();
    }
  }

  /**
   * The trailer's checksum, verified against the decoded data.
   *
   * @throws IllegalStateException before the body was read and verified to its end, or without a
   *     trailer checksum
   */
  public byte[] trailerChecksumValue() {
    if (!ended || failure != null || trailerValue == null) {
      throw new IllegalStateException("the trailer checksum is not verified (yet)");
    }
    return trailerValue.clone();
  }

  /** Decoded bytes verified so far (for diagnostics). */
  public long decodedBytes() {
    return decoded;
  }

  private void ensureUsable() throws IOException {
    if (failure != null) {
      throw failure;
    }
    if (closed) {
      throw new IOException("Stream closed");
    }
  }

  private void nextChunk() throws IOException {
    int size = readChunk();
    if (size > 0 && decoded == decodedLength) {
      // The declared length is reached: verify the final chunk and the trailer now, so that the
      // last data is only released once the whole body is known to be good.
      if (readChunk() != 0) {
        throw new IllegalStateException("readChunk accepted data beyond the decoded length");
      }
    }
    if (size == 0 || decoded == decodedLength) {
      finishBody();
    }
    chunkPos = 0;
    chunkLen = size;
  }

  /**
   * Reads one chunk header and its data into {@link #chunk}, verifies its signature and feeds the
   * checksum. A zero-size (final) chunk leaves the buffer untouched.
   *
   * @return the chunk size
   */
  private int readChunk() throws IOException {
    String header = in.readLine(MAX_LINE_LENGTH, "a chunk header");
    if (header == null) {
      throw FramedInput.fail(
          S3ErrorCode.INCOMPLETE_BODY,
          "The request body ended before the final chunk ("
              + decoded
              + " of "
              + decodedLength
              + " bytes received).");
    }
    int semicolon = header.indexOf(';');
    int size = parseSize(semicolon < 0 ? header : header.substring(0, semicolon));
    String signature = semicolon < 0 ? null : chunkSignature(header.substring(semicolon + 1));
    if (signer != null && signature == null) {
      throw FramedInput.malformed("chunk " + chunkIndex + " has no chunk-signature");
    }
    if (size > decodedLength - decoded) {
      throw FramedInput.fail(
          S3ErrorCode.INVALID_REQUEST,
          "The aws-chunked body holds more data than x-amz-decoded-content-length ("
              + decodedLength
              + ").");
    }
    if (size > 0) {
      if (chunk.length < size) {
        chunk = new byte[size];
      }
      in.readFully(chunk, size, "chunk " + chunkIndex);
      in.expectCrlf("chunk " + chunkIndex);
    }
    if (signer != null) {
      verifyChunkSignature(signature, size);
    }
    if (checksum != null) {
      checksum.update(chunk, 0, size);
    }
    decoded += size;
    chunkIndex++;
    return size;
  }

  private static int parseSize(String hex) throws BodyVerificationException {
    if (hex.isEmpty() || hex.length() > 8) {
      throw FramedInput.malformed(
          "chunk size '" + FramedInput.clip(hex) + "' is not a hexadecimal number");
    }
    long size = 0;
    for (int i = 0; i < hex.length(); i++) {
      int digit = Character.digit(hex.charAt(i), 16);
      if (digit < 0) {
        throw FramedInput.malformed(
            "chunk size '" + FramedInput.clip(hex) + "' is not a hexadecimal number");
      }
      size = size << 4 | digit;
    }
    if (size > MAX_CHUNK_SIZE) {
      throw FramedInput.fail(
          S3ErrorCode.INVALID_REQUEST,
          "Chunk size " + size + " exceeds the maximum of " + MAX_CHUNK_SIZE + " bytes.");
    }
    return (int) size;
  }

  /** The {@code chunk-signature} among the chunk extensions, or {@code null}. */
  private static String chunkSignature(String extensions) throws BodyVerificationException {
    String signature = null;
    for (String extension : extensions.split(";", -1)) {
      int eq = extension.indexOf('=');
      String name = eq < 0 ? extension : extension.substring(0, eq);
      if (name.equals(CHUNK_SIGNATURE)) {
        if (signature != null || eq < 0) {
          throw FramedInput.malformed("a chunk has a repeated or empty chunk-signature");
        }
        signature = extension.substring(eq + 1);
      }
    }
    return signature;
  }

  private void verifyChunkSignature(String signatureHex, int size)
      throws BodyVerificationException {
    byte[] provided = SigV4Signing.parseSignature(signatureHex);
    if (provided == null) {
      throw FramedInput.malformed("chunk-signature must be 64 hexadecimal characters");
    }
    chunkDigest.update(chunk, 0, size);
    byte[] expected = signer.chunkSignature(previousSignature, chunkDigest.digest());
    if (!MessageDigest.isEqual(expected, provided)) {
      throw FramedInput.fail(
          S3ErrorCode.SIGNATURE_DOES_NOT_MATCH,
          "The chunk signature we calculated does not match the signature you provided (chunk "
              + chunkIndex
              + ").");
    }
    previousSignature = HEX.formatHex(expected);
  }

  private void finishBody() throws IOException {
    ChunkedTrailer trailer = ChunkedTrailer.read(in, MAX_LINE_LENGTH);
    if (decoded != decodedLength) {
      throw FramedInput.fail(
          S3ErrorCode.INCOMPLETE_BODY,
          "You did not provide the number of bytes specified by the"
              + " x-amz-decoded-content-length header ("
              + decoded
              + " of "
              + decodedLength
              + ").");
    }
    trailer.verify(mode, signer, previousSignature, trailerChecksum, checksum);
    trailerValue = trailer.verifiedChecksum();
    if (!in.atEnd()) {
      throw FramedInput.malformed("there is data after the end of the body");
    }
    ended = true;
  }
}
