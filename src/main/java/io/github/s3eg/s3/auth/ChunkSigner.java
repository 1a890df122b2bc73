package io.github.s3eg.s3.auth;

import java.nio.charset.StandardCharsets;
import javax.crypto.Mac;

/**
 * Computes the signatures of {@code aws-chunked} chunks and trailers:
 *
 * <pre>
 * chunk:   HMAC(kSigning, "AWS4-HMAC-SHA256-PAYLOAD\n" + timestamp + "\n" + scope + "\n"
 *                         + previousSignature + "\n" + SHA256("") + "\n" + SHA256(chunkData))
 * trailer: HMAC(kSigning, "AWS4-HMAC-SHA256-TRAILER\n" + timestamp + "\n" + scope + "\n"
 *                         + previousSignature + "\n" + SHA256(canonicalTrailer))
 * </pre>
 *
 * Signatures are hex strings in the string to sign, so they are passed as hex here too.
 */
public final class ChunkSigner {

  private static final String CHUNK_ALGORITHM = "AWS4-HMAC-SHA256-PAYLOAD";
  private static final String TRAILER_ALGORITHM = "AWS4-HMAC-SHA256-TRAILER";

  private final Mac mac;
  private final String prefix;

  ChunkSigner(Mac mac, String scope, String timestamp) {
    this.mac = mac;
    this.prefix = "\n" + timestamp + "\n" + scope + "\n";
  }

  /** The signature of a chunk whose data hashes to {@code chunkSha256}. */
  public byte[] chunkSignature(String previousSignatureHex, byte[] chunkSha256) {
    return sign(
        CHUNK_ALGORITHM
            + prefix
            + previousSignatureHex
            + "\n"
            + SigV4Signing.EMPTY_SHA256
            + "\n"
            + SigV4Signing.hex(chunkSha256));
  }

  /** The signature of a trailer whose canonical form hashes to {@code trailerSha256}. */
  public byte[] trailerSignature(String previousSignatureHex, byte[] trailerSha256) {
    return sign(
        TRAILER_ALGORITHM + prefix + previousSignatureHex + "\n" + SigV4Signing.hex(trailerSha256));
  }

  private byte[] sign(String stringToSign) {
    return mac.doFinal(stringToSign.getBytes(StandardCharsets.UTF_8));
  }
}
