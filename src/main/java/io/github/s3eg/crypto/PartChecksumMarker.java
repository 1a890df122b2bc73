package io.github.s3eg.crypto;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Arrays;
import java.util.Base64;
import java.util.HexFormat;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The checksum of one uploaded part of a multipart upload that chose a checksum algorithm, kept
 * until Complete as the <em>name</em> of an empty object, so that one listing of the upload's
 * folder returns every part's checksum ({@code docs/object-format.md} §12.7):
 *
 * <pre>
 *   name    = decimal5(partNumber) "." etagTag "." alg "." base64url(checksum) "." hex(mac)
 *   etagTag = hex(SHA-256(backend ETag of the stored part, without quotes))[0..16)
 *   mac     = HMAC-SHA256(checksumMacKey, "s3eg/v3/part-checksum" || uploadHeader(40)
 *                         || uint32(partNumber) || etagTag || uint8(len(alg)) || alg
 *                         || checksum)[0..16)
 * </pre>
 *
 * <p>{@code checksumMacKey} is the object's {@code s3eg-sum} MAC key (from the upload's DEK). The
 * ETag tag binds a marker to the stored part it describes: a part uploaded again under the same
 * number has another ETag, and the older marker no longer matches it. Immutable.
 */
public record PartChecksumMarker(
    int partNumber, String etagTag, String algorithm, byte[] checksum) {

  private static final String LABEL = "s3eg/v3/part-checksum";
  private static final Pattern NAME =
      Pattern.compile(
          "([0-9]{5})\\.([0-9a-f]{16})\\.([A-Z0-9]{1,16})\\.([A-Za-z0-9_-]{4,44}={0,2})\\.([0-9a-f]{32})");
  private static final HexFormat HEX = HexFormat.of();

  public PartChecksumMarker {
    checksum = checksum.clone();
  }

  @Override
  public byte[] checksum() {
    return checksum.clone();
  }

  /** The tag of a stored part's backend ETag. */
  public static String etagTag(String backendEtag) {
    String etag = backendEtag == null ? "" : backendEtag.replace("\"", "");
    try {
      byte[] digest =
          MessageDigest.getInstance("SHA-256").digest(etag.getBytes(StandardCharsets.UTF_8));
      return HEX.formatHex(digest, 0, 8);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is required by every Java platform", e);
    }
  }

  /** The marker's object name (relative to the upload's folder), MAC'd. */
  public String name(byte[] macKey, StreamHeader uploadHeader) {
    return String.format("%05d", partNumber)
        + "."
        + etagTag
        + "."
        + algorithm
        + "."
        + Base64.getUrlEncoder().encodeToString(checksum)
        + "."
        + HEX.formatHex(mac(macKey, uploadHeader));
  }

  /** The marker a name holds, if it is well-formed and its MAC verifies; else empty. */
  public static Optional<PartChecksumMarker> open(
      String name, byte[] macKey, StreamHeader uploadHeader) {
    Matcher m = NAME.matcher(name);
    if (!m.matches()) {
      return Optional.empty();
    }
    try {
      PartChecksumMarker marker =
          new PartChecksumMarker(
              Integer.parseInt(m.group(1)),
              m.group(2),
              m.group(3),
              Base64.getUrlDecoder().decode(m.group(4)));
      if (MessageDigest.isEqual(marker.mac(macKey, uploadHeader), HEX.parseHex(m.group(5)))) {
        return Optional.of(marker);
      }
    } catch (IllegalArgumentException e) {
      // Not a marker the gateway wrote.
    }
    return Optional.empty();
  }

  private byte[] mac(byte[] macKey, StreamHeader uploadHeader) {
    byte[] label = LABEL.getBytes(StandardCharsets.US_ASCII);
    byte[] tag = etagTag.getBytes(StandardCharsets.US_ASCII);
    byte[] alg = algorithm.getBytes(StandardCharsets.US_ASCII);
    ByteBuffer b =
        ByteBuffer.allocate(
            label.length + StreamHeader.LENGTH + 4 + tag.length + 1 + alg.length + checksum.length);
    b.put(label).put(uploadHeader.encode()).putInt(partNumber).put(tag);
    b.put((byte) alg.length).put(alg).put(checksum);
    return Arrays.copyOf(Hkdf.hmac(macKey, b.array()), 16);
  }
}
