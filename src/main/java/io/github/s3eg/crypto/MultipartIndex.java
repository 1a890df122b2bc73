package io.github.s3eg.crypto;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.Objects;

/**
 * The authenticated table of contents of a multipart object: which parts it holds, in order, with
 * their plaintext sizes, and the S3 ETag Complete returned. With it a reader maps any plaintext
 * range to one backend range without reading the parts in between. (Each part's body header is in
 * the part itself: ListParts cannot tell it before Complete, and a ranged read fetches it.)
 *
 * <pre>
 *   index = 0x02 || uploadHeader(40) || etagMd5(16) || uint32(count)
 *           || count × (uint32(partNumber) || uint64(plaintextSize))
 *           || mac(32)
 *   mac   = HMAC-SHA256(HKDF(DEK, -, "s3eg/v2/index-mac"),
 *                       "s3eg/v2/index" || uint16(len(bucket)) || bucket || uint32(len(key)) || key
 *                       || every byte before mac)
 * </pre>
 *
 * <p>The MAC key comes from the object's DEK, so only the gateway can write an index the object
 * accepts; the upload header ties it to this upload (an index left by an earlier object under the
 * same name does not verify), the bucket and key to this name. Immutable.
 */
public final class MultipartIndex {

  /** A part as stored: its number and plaintext size. */
  public record Part(int number, long plaintextSize) {
    public Part {
      MultipartLayout.partPrefix(number, plaintextSize); // validates
    }
  }

  static final String MAC_KEY_INFO = "s3eg/v2/index-mac";
  private static final String MAC_LABEL = "s3eg/v2/index";
  private static final int VERSION = 2;
  private static final int MAC_SIZE = 32;
  private static final int ENTRY_SIZE = MultipartLayout.PART_PREFIX_LENGTH;
  private static final int FIXED_SIZE = 1 + StreamHeader.LENGTH + 16 + Integer.BYTES + MAC_SIZE;

  private final StreamHeader uploadHeader;
  private final byte[] etagMd5;
  private final List<Part> parts;
  private final SegmentLayout layout;
  private final long[] plaintextStart;
  private final long[] ciphertextStart;

  /**
   * @param etagMd5 the 16 bytes whose hex, with {@code -count}, is the object's ETag
   * @throws IllegalArgumentException if there are no parts, or their numbers do not ascend
   */
  public MultipartIndex(
      StreamHeader uploadHeader, byte[] etagMd5, List<Part> parts, SegmentLayout layout) {
    this.uploadHeader = Objects.requireNonNull(uploadHeader, "uploadHeader");
    if (etagMd5.length != 16) {
      throw new IllegalArgumentException("the ETag digest is 16 bytes");
    }
    this.etagMd5 = etagMd5.clone();
    this.parts = List.copyOf(parts);
    this.layout = Objects.requireNonNull(layout, "layout");
    if (this.parts.isEmpty() || this.parts.size() > MultipartLayout.MAX_PART_NUMBER) {
      throw new IllegalArgumentException("an object has 1 to 10000 parts");
    }
    plaintextStart = new long[this.parts.size() + 1];
    ciphertextStart = new long[this.parts.size() + 1];
    for (int i = 0; i < this.parts.size(); i++) {
      Part p = this.parts.get(i);
      if (i > 0 && p.number() <= this.parts.get(i - 1).number()) {
        throw new IllegalArgumentException("part numbers must ascend");
      }
      plaintextStart[i + 1] = Math.addExact(plaintextStart[i], p.plaintextSize());
      ciphertextStart[i + 1] =
          Math.addExact(
              ciphertextStart[i], MultipartLayout.partCiphertextSize(layout, p.plaintextSize()));
    }
  }

  /** The same part table for another upload of the same parts (a copy, {@code uploadHeader}). */
  public MultipartIndex forUpload(StreamHeader uploadHeader) {
    return new MultipartIndex(uploadHeader, etagMd5, parts, layout);
  }

  /** The number of parts of an index of {@code encodedSize} bytes, or -1 if none has that size. */
  public static int partCountOfEncodedSize(long encodedSize) {
    long entries = encodedSize - FIXED_SIZE;
    if (entries < ENTRY_SIZE || entries % ENTRY_SIZE != 0) {
      return -1;
    }
    long n = entries / ENTRY_SIZE;
    return n > MultipartLayout.MAX_PART_NUMBER ? -1 : (int) n;
  }

  public List<Part> parts() {
    return parts;
  }

  public SegmentLayout layout() {
    return layout;
  }

  public StreamHeader uploadHeader() {
    return uploadHeader;
  }

  /** The object's plaintext size: the sum of its parts'. */
  public long plaintextSize() {
    return plaintextStart[parts.size()];
  }

  /** The stored object's size. */
  public long ciphertextSize() {
    return ciphertextStart[parts.size()];
  }

  /** The S3 multipart ETag: hex MD5 of the parts' MD5s, {@code -}, the part count; no quotes. */
  public String etag() {
    return HexFormat.of().formatHex(etagMd5) + "-" + parts.size();
  }

  /** Plaintext offset of part {@code i} (0-based position, not part number). */
  public long plaintextStart(int i) {
    return plaintextStart[i];
  }

  /** Offset in the stored object where part {@code i} (its prefix) starts. */
  public long ciphertextStart(int i) {
    return ciphertextStart[i];
  }

  /** The position of the part holding plaintext offset {@code offset}. */
  public int partAt(long offset) {
    if (offset < 0 || offset >= plaintextSize()) {
      throw new IllegalArgumentException("offset " + offset + " outside the object");
    }
    int i = Arrays.binarySearch(plaintextStart, 0, parts.size(), offset);
    if (i < 0) {
      i = -i - 2;
    }
    // Skip empty parts that start at the same offset.
    while (parts.get(i).plaintextSize() == 0
        || plaintextStart[i] + parts.get(i).plaintextSize() <= offset) {
      i++;
    }
    return i;
  }

  /** The encoded, MAC'd index for {@code bucket}/{@code key}. */
  public byte[] seal(byte[] macKey, String bucket, String key) {
    ByteBuffer b = ByteBuffer.allocate(FIXED_SIZE + parts.size() * ENTRY_SIZE);
    b.put((byte) VERSION).put(uploadHeader.encode()).put(etagMd5).putInt(parts.size());
    for (Part p : parts) {
      b.put(MultipartLayout.partPrefix(p.number(), p.plaintextSize()));
    }
    byte[] body = Arrays.copyOf(b.array(), b.position());
    b.put(mac(macKey, bucket, key, body));
    return b.array();
  }

  /**
   * Verifies and parses an index read from the backend.
   *
   * @throws CryptoException.MetadataAuthenticationFailed if it was altered, belongs to another
   *     object or name, or to another upload of this name
   * @throws CryptoException.MalformedMetadata if it cannot be an index at all
   */
  public static MultipartIndex open(
      byte[] encoded,
      byte[] macKey,
      SegmentLayout layout,
      StreamHeader expectedUploadHeader,
      String bucket,
      String key)
      throws CryptoException {
    if (encoded.length < FIXED_SIZE + ENTRY_SIZE
        || (encoded.length - FIXED_SIZE) % ENTRY_SIZE != 0
        || encoded[0] != VERSION) {
      throw new CryptoException.MalformedMetadata("the multipart index is malformed");
    }
    byte[] body = Arrays.copyOf(encoded, encoded.length - MAC_SIZE);
    byte[] mac = Arrays.copyOfRange(encoded, encoded.length - MAC_SIZE, encoded.length);
    if (!MessageDigest.isEqual(mac, mac(macKey, bucket, key, body))) {
      throw new CryptoException.MetadataAuthenticationFailed(
          "the multipart index does not verify: altered, or not this object's");
    }
    ByteBuffer b = ByteBuffer.wrap(body);
    b.get();
    byte[] h = new byte[StreamHeader.LENGTH];
    b.get(h);
    StreamHeader uploadHeader = StreamHeader.decode(h);
    if (!uploadHeader.equals(expectedUploadHeader)) {
      throw new CryptoException.MetadataAuthenticationFailed(
          "the multipart index belongs to another upload of this name");
    }
    byte[] md5 = new byte[16];
    b.get(md5);
    int count = b.getInt();
    if (count != (encoded.length - FIXED_SIZE) / ENTRY_SIZE) {
      throw new CryptoException.MalformedMetadata("the multipart index is malformed");
    }
    List<Part> parts = new ArrayList<>(count);
    try {
      for (int i = 0; i < count; i++) {
        int number = b.getInt();
        long size = b.getLong();
        parts.add(new Part(number, size));
      }
      return new MultipartIndex(uploadHeader, md5, parts, layout);
    } catch (IllegalArgumentException | ArithmeticException e) {
      throw new CryptoException.MalformedMetadata("the multipart index is malformed");
    }
  }

  /**
   * Reads an index without verifying it, to plan a backend request before the object's key is
   * known. The plan is only a guess: the read verifies the index (and refetches if the guess was
   * wrong) before any byte is decrypted.
   *
   * @return empty if the bytes cannot be an index
   */
  public static java.util.Optional<MultipartIndex> parseForPlanning(
      byte[] encoded, SegmentLayout layout) {
    try {
      if (encoded.length < FIXED_SIZE + ENTRY_SIZE
          || (encoded.length - FIXED_SIZE) % ENTRY_SIZE != 0
          || encoded[0] != VERSION) {
        return java.util.Optional.empty();
      }
      ByteBuffer b = ByteBuffer.wrap(encoded);
      b.get();
      byte[] h = new byte[StreamHeader.LENGTH];
      b.get(h);
      byte[] md5 = new byte[16];
      b.get(md5);
      int count = b.getInt();
      List<Part> parts = new ArrayList<>();
      for (int i = 0; i < count && b.remaining() >= ENTRY_SIZE + MAC_SIZE; i++) {
        parts.add(new Part(b.getInt(), b.getLong()));
      }
      return java.util.Optional.of(new MultipartIndex(StreamHeader.decode(h), md5, parts, layout));
    } catch (RuntimeException e) {
      return java.util.Optional.empty();
    }
  }

  /**
   * The stored bytes that plaintext {@code first..last} (last clamped) needs: whole segments of the
   * parts it touches. When it starts in a part's first segment the span starts at that part's
   * prefix (so the part's header comes with it).
   */
  public record Span(
      int firstPart,
      int lastPart,
      boolean startsAtPartStart,
      long ciphertextFirst,
      long ciphertextLast) {
    /** {@code bytes=a-b} for the backend GET. */
    public String httpRange() {
      return "bytes=" + ciphertextFirst + "-" + ciphertextLast;
    }
  }

  /** See {@link Span}. */
  public Span span(long first, long last) {
    if (first < 0 || first > last || first >= plaintextSize()) {
      throw new IllegalArgumentException("unsatisfiable range " + first + "-" + last);
    }
    long clamped = Math.min(last, plaintextSize() - 1);
    int a = partAt(first);
    int z = partAt(clamped);
    CiphertextRange ra = rangeIn(a, first, clamped);
    CiphertextRange rz = rangeIn(z, first, clamped);
    boolean atStart = ra.firstSegment() == 0;
    long from =
        atStart
            ? ciphertextStart[a]
            : ciphertextStart[a] + MultipartLayout.PART_PREFIX_LENGTH + ra.ciphertextFirst();
    long to = ciphertextStart[z] + MultipartLayout.PART_PREFIX_LENGTH + rz.ciphertextLast();
    return new Span(a, z, atStart, from, to);
  }

  /** The part of {@code first..last} within part {@code i}, in that part's body coordinates. */
  CiphertextRange rangeIn(int i, long first, long last) {
    Part p = parts.get(i);
    long start = plaintextStart[i];
    long from = Math.max(first, start) - start;
    long to = Math.min(last, start + p.plaintextSize() - 1) - start;
    return layout.rangeFor(from, to, p.plaintextSize());
  }

  static byte[] macKey(byte[] dek) {
    return Hkdf.derive(dek, new byte[0], MAC_KEY_INFO.getBytes(StandardCharsets.US_ASCII), 32);
  }

  private static byte[] mac(byte[] macKey, String bucket, String key, byte[] body) {
    byte[] bucketBytes = ObjectBinding.strictUtf8(bucket, "bucket");
    byte[] keyBytes = ObjectBinding.strictUtf8(key, "key");
    byte[] label = MAC_LABEL.getBytes(StandardCharsets.US_ASCII);
    ByteBuffer input =
        ByteBuffer.allocate(
            label.length + 2 + bucketBytes.length + 4 + keyBytes.length + body.length);
    input
        .put(label)
        .putShort((short) bucketBytes.length)
        .put(bucketBytes)
        .putInt(keyBytes.length)
        .put(keyBytes)
        .put(body);
    return Hkdf.hmac(macKey, input.array());
  }
}
