package io.github.s3eg.s3.testing;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * Writes aws-chunked bodies following the S3 documentation, with its own SigV4 chunk signing (not
 * the gateway's), so that hand-made and deliberately broken bodies can be fed to the decoder.
 */
public final class TestChunkEncoder {

  private static final HexFormat HEX = HexFormat.of();
  private static final String EMPTY_SHA256 =
      "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855";

  private final byte[] signingKey;
  private final String timestamp;
  private final String scope;
  private String previous;

  /** A signing encoder; {@code seed} is the request signature. */
  public TestChunkEncoder(String secret, String timestamp, String scope, String seed) {
    String[] s = scope.split("/");
    byte[] k = hmac(("AWS4" + secret).getBytes(StandardCharsets.UTF_8), s[0]);
    k = hmac(k, s[1]);
    k = hmac(k, s[2]);
    this.signingKey = hmac(k, "aws4_request");
    this.timestamp = timestamp;
    this.scope = scope;
    this.previous = seed;
  }

  /** The next chunk's signature, chained from the previous one. */
  public String chunkSignature(byte[] data) {
    String sts =
        "AWS4-HMAC-SHA256-PAYLOAD\n"
            + timestamp
            + "\n"
            + scope
            + "\n"
            + previous
            + "\n"
            + EMPTY_SHA256
            + "\n"
            + HEX.formatHex(sha256(data));
    previous = HEX.formatHex(hmac(signingKey, sts));
    return previous;
  }

  /** The trailer signature over {@code canonicalTrailer} ({@code name:value\n} lines). */
  public String trailerSignature(String canonicalTrailer) {
    String sts =
        "AWS4-HMAC-SHA256-TRAILER\n"
            + timestamp
            + "\n"
            + scope
            + "\n"
            + previous
            + "\n"
            + HEX.formatHex(sha256(canonicalTrailer.getBytes(StandardCharsets.UTF_8)));
    return HEX.formatHex(hmac(signingKey, sts));
  }

  /** {@code hex;chunk-signature=…\r\n data \r\n} (no CRLF after data for the final chunk). */
  public byte[] signedChunk(byte[] data) {
    String header =
        Integer.toHexString(data.length) + ";chunk-signature=" + chunkSignature(data) + "\r\n";
    return frame(header, data);
  }

  /** A whole signed body: data chunks, final chunk, optional trailer lines, end. */
  public byte[] signedBody(List<byte[]> chunks, List<String> trailerLines, boolean signTrailer) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    for (byte[] c : chunks) {
      out.writeBytes(signedChunk(c));
    }
    out.writeBytes(signedChunk(new byte[0]));
    out.writeBytes(trailer(trailerLines, signTrailer).getBytes(StandardCharsets.ISO_8859_1));
    return out.toByteArray();
  }

  /** The trailer section including its terminating empty line. */
  public String trailer(List<String> trailerLines, boolean sign) {
    StringBuilder sb = new StringBuilder();
    StringBuilder canonical = new StringBuilder();
    for (String line : trailerLines) {
      sb.append(line).append("\r\n");
      canonical.append(line).append('\n');
    }
    if (sign) {
      sb.append("x-amz-trailer-signature:")
          .append(trailerSignature(canonical.toString()))
          .append("\r\n");
    }
    return sb.append("\r\n").toString();
  }

  /** An unsigned body (STREAMING-UNSIGNED-PAYLOAD-TRAILER framing). */
  public static byte[] unsignedBody(List<byte[]> chunks, List<String> trailerLines) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    for (byte[] c : chunks) {
      out.writeBytes(frame(Integer.toHexString(c.length) + "\r\n", c));
    }
    out.writeBytes("0\r\n".getBytes(StandardCharsets.ISO_8859_1));
    for (String line : trailerLines) {
      out.writeBytes((line + "\r\n").getBytes(StandardCharsets.ISO_8859_1));
    }
    out.writeBytes("\r\n".getBytes(StandardCharsets.ISO_8859_1));
    return out.toByteArray();
  }

  /** Splits data into chunks of {@code size} bytes (the last may be shorter). */
  public static List<byte[]> split(byte[] data, int size) {
    List<byte[]> chunks = new ArrayList<>();
    for (int off = 0; off < data.length; off += size) {
      byte[] c = new byte[Math.min(size, data.length - off)];
      System.arraycopy(data, off, c, 0, c.length);
      chunks.add(c);
    }
    return chunks;
  }

  private static byte[] frame(String header, byte[] data) {
    ByteArrayOutputStream out = new ByteArrayOutputStream(header.length() + data.length + 2);
    out.writeBytes(header.getBytes(StandardCharsets.ISO_8859_1));
    if (data.length > 0) {
      out.writeBytes(data);
      out.writeBytes("\r\n".getBytes(StandardCharsets.ISO_8859_1));
    }
    return out.toByteArray();
  }

  private static byte[] sha256(byte[] data) {
    try {
      return MessageDigest.getInstance("SHA-256").digest(data);
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }

  private static byte[] hmac(byte[] key, String data) {
    try {
      Mac mac = Mac.getInstance("HmacSHA256");
      mac.init(new SecretKeySpec(key, "HmacSHA256"));
      return mac.doFinal(data.getBytes(StandardCharsets.UTF_8));
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }
}
