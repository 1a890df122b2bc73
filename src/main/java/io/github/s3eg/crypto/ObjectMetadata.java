package io.github.s3eg.crypto;

import io.github.s3eg.keys.KeyReference;
import io.github.s3eg.keys.WrappedKey;
import java.util.Base64;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * An object's crypto metadata: S3 user-metadata entries (names without {@code x-amz-meta-},
 * lowercase, all starting with {@value #PREFIX}).
 *
 * <table>
 *   <caption>Entries of format version 1</caption>
 *   <tr><th>name</th><th>value</th></tr>
 *   <tr><td>{@value #VERSION}</td><td>format version, decimal ({@code 1})</td></tr>
 *   <tr><td>{@value #ALGORITHM}</td><td>{@link Algorithm#configName()}</td></tr>
 *   <tr><td>{@value #SEGMENT_SIZE}</td><td>plaintext segment size in bytes, decimal</td></tr>
 *   <tr><td>{@value #HEADER}</td><td>the 40-byte body header, base64</td></tr>
 *   <tr><td>{@value #KEK}</td><td>{@link KeyReference#encode()} of the wrapping KEK</td></tr>
 *   <tr><td>{@value #DEK}</td><td>the wrapped DEK, base64</td></tr>
 *   <tr><td>{@value #ETAG}</td><td>optional {@link EtagTrailer}, written after the body</td></tr>
 *   <tr><td>{@value #CHECKSUM}</td><td>optional {@link ChecksumSeal}: the client's checksum</td></tr>
 * </table>
 *
 * <p>Format version 2 (a compressed object) has the same entries with {@code s3eg-v = 2}, plus
 * {@value #COMPRESSION} ({@link Compression#encode()}), and its {@value #ETAG} is required: the
 * plaintext size cannot be computed from the body size of a compressed object.
 *
 * <p>Parsing is strict and never falls back to plaintext: a missing, duplicated (names compare
 * case-insensitively, as HTTP headers do), unknown or non-canonical entry is {@link
 * CryptoException.MalformedMetadata}; a well-formed version other than 1 is {@link
 * CryptoException.UnsupportedVersion} (checked first, so a future version with other entries is
 * reported as such); an unknown algorithm is {@link CryptoException.UnsupportedAlgorithm}. Entries
 * not starting with {@value #PREFIX} belong to the client and are ignored. Base64 is the standard
 * alphabet with padding; the parser accepts only the canonical encoding, so that no two strings
 * name the same value. Immutable.
 */
public final class ObjectMetadata {

  /** Every crypto entry starts with this. */
  public static final String PREFIX = "s3eg-";

  public static final String VERSION = "s3eg-v";
  public static final String ALGORITHM = "s3eg-alg";
  public static final String SEGMENT_SIZE = "s3eg-seg";
  public static final String HEADER = "s3eg-hdr";
  public static final String KEK = "s3eg-kek";
  public static final String DEK = "s3eg-dek";
  public static final String ETAG = "s3eg-etag";
  public static final String COMPRESSION = "s3eg-cmp";
  public static final String CHECKSUM = "s3eg-sum";

  /** Largest wrapped DEK accepted, in bytes; generous for any KEK wrap, small beside S3's 2 KB. */
  static final int MAX_WRAPPED_KEY_SIZE = 1024;

  private static final Set<String> KNOWN =
      Set.of(VERSION, ALGORITHM, SEGMENT_SIZE, HEADER, KEK, DEK, ETAG, CHECKSUM);
  private static final Set<String> KNOWN_MULTIPART =
      Set.of(VERSION, ALGORITHM, SEGMENT_SIZE, HEADER, KEK, DEK);
  private static final Set<String> KNOWN_COMPRESSED =
      Set.of(VERSION, ALGORITHM, SEGMENT_SIZE, HEADER, KEK, DEK, ETAG, COMPRESSION, CHECKSUM);
  private static final Pattern DECIMAL_VERSION = Pattern.compile("0|[1-9][0-9]{0,8}");
  private static final Pattern DECIMAL_SIZE = Pattern.compile("[1-9][0-9]{0,8}");

  private final int version;
  private final Algorithm algorithm;
  private final SegmentLayout layout;
  private final StreamHeader header;
  private final Compression compression;
  private final WrappedKey wrappedKey;
  private final EtagTrailer trailer;
  private final ChecksumSeal checksum;

  /** A version 1 (uncompressed) object's metadata. */
  public ObjectMetadata(
      Algorithm algorithm, SegmentLayout layout, StreamHeader header, WrappedKey wrappedKey) {
    this(ObjectFormat.VERSION, algorithm, layout, header, null, wrappedKey, null, null);
  }

  /** A version 2 (compressed) object's metadata; {@code compression} null for version 1. */
  public ObjectMetadata(
      Algorithm algorithm,
      SegmentLayout layout,
      StreamHeader header,
      Compression compression,
      WrappedKey wrappedKey) {
    this(
        compression == null ? ObjectFormat.VERSION : ObjectFormat.COMPRESSED_VERSION,
        algorithm,
        layout,
        header,
        compression,
        wrappedKey,
        null,
        null);
  }

  /**
   * The metadata of a multipart upload and of the object it completes ({@link
   * ObjectFormat#MULTIPART_VERSION}): {@code header} is the upload's random identity (it names no
   * body; each part has its own header), and there is no trailer (the ETag is in the index).
   */
  public static ObjectMetadata multipart(
      Algorithm algorithm, SegmentLayout layout, StreamHeader uploadHeader, WrappedKey wrappedKey) {
    return multipart(ObjectFormat.MULTIPART_VERSION, algorithm, layout, uploadHeader, wrappedKey);
  }

  static ObjectMetadata multipart(
      int version,
      Algorithm algorithm,
      SegmentLayout layout,
      StreamHeader uploadHeader,
      WrappedKey wrappedKey) {
    if (version != ObjectFormat.MULTIPART_VERSION
        && version != ObjectFormat.LEGACY_MULTIPART_VERSION) {
      throw new IllegalArgumentException("not a multipart format version: " + version);
    }
    return new ObjectMetadata(
        version, algorithm, layout, uploadHeader, null, wrappedKey, null, null);
  }

  private ObjectMetadata(
      int version,
      Algorithm algorithm,
      SegmentLayout layout,
      StreamHeader header,
      Compression compression,
      WrappedKey wrappedKey,
      EtagTrailer trailer,
      ChecksumSeal checksum) {
    this.version = version;
    this.algorithm = Objects.requireNonNull(algorithm, "algorithm");
    this.layout = Objects.requireNonNull(layout, "layout");
    this.header = Objects.requireNonNull(header, "header");
    this.compression = compression;
    this.wrappedKey = Objects.requireNonNull(wrappedKey, "wrappedKey");
    this.trailer = trailer;
    this.checksum = checksum;
  }

  /** A copy with the authenticated trailer entry. */
  public ObjectMetadata withTrailer(EtagTrailer trailer) {
    if (isMultipart()) {
      throw new IllegalStateException("multipart objects keep their ETag in the index");
    }
    return new ObjectMetadata(
        version,
        algorithm,
        layout,
        header,
        compression,
        wrappedKey,
        Objects.requireNonNull(trailer, "trailer"),
        checksum);
  }

  /** A copy with the authenticated client checksum entry (single-PUT objects only). */
  public ObjectMetadata withChecksum(ChecksumSeal checksum) {
    if (isMultipart()) {
      throw new IllegalStateException("multipart objects keep their checksum beside the index");
    }
    return new ObjectMetadata(
        version,
        algorithm,
        layout,
        header,
        compression,
        wrappedKey,
        trailer,
        Objects.requireNonNull(checksum, "checksum"));
  }

  /**
   * A multipart object's metadata under another upload header: a copy of a multipart object is an
   * upload of its own (its index and records name it), with the same data key and parts.
   */
  public ObjectMetadata withUploadHeader(StreamHeader uploadHeader) {
    if (!isMultipart()) {
      throw new IllegalStateException("only a multipart object's header names no body");
    }
    return new ObjectMetadata(
        version,
        algorithm,
        layout,
        Objects.requireNonNull(uploadHeader, "uploadHeader"),
        compression,
        wrappedKey,
        trailer,
        checksum);
  }

  /** A copy with another wrapped data key (a re-wrap for another name or KEK). */
  public ObjectMetadata withWrappedKey(WrappedKey rewrapped) {
    return new ObjectMetadata(
        version, algorithm, layout, header, compression, rewrapped, trailer, checksum);
  }

  /**
   * The metadata a copy or re-wrap writes: the current version for a multipart object (a version 3
   * object is the same bytes; only where its index lives and when it was written differ), this one
   * otherwise. Wrap the key under the result's {@link #wrapAssociatedData} (it names the version).
   */
  public ObjectMetadata asWritten() {
    if (version != ObjectFormat.LEGACY_MULTIPART_VERSION) {
      return this;
    }
    return new ObjectMetadata(
        ObjectFormat.MULTIPART_VERSION,
        algorithm,
        layout,
        header,
        compression,
        wrappedKey,
        trailer,
        checksum);
  }

  /** How the object is compressed; empty unless version 2. */
  public Optional<Compression> compression() {
    return Optional.ofNullable(compression);
  }

  /** Whether a user-metadata name (without {@code x-amz-meta-}) belongs to the gateway. */
  public static boolean isCryptoEntry(String name) {
    return name != null && name.toLowerCase(Locale.ROOT).startsWith(PREFIX);
  }

  /** 1 (single PUT), 2 (compressed single PUT), 3 or 4 (multipart). */
  public int version() {
    return version;
  }

  /** Whether this describes an object uploaded in parts (version 3 or 4). */
  public boolean isMultipart() {
    return version == ObjectFormat.MULTIPART_VERSION
        || version == ObjectFormat.LEGACY_MULTIPART_VERSION;
  }

  /** The associated data the DEK is wrapped under, for this object's bucket and key. */
  byte[] wrapAssociatedData(String bucket, String key) {
    return ObjectBinding.wrapAssociatedData(
        version, algorithm, layout, header, compression, bucket, key);
  }

  public Algorithm algorithm() {
    return algorithm;
  }

  public SegmentLayout layout() {
    return layout;
  }

  public StreamHeader header() {
    return header;
  }

  public WrappedKey wrappedKey() {
    return wrappedKey;
  }

  public Optional<EtagTrailer> trailer() {
    return Optional.ofNullable(trailer);
  }

  /** The client's checksum of the plaintext, when it sent one ({@value #CHECKSUM}). */
  public Optional<ChecksumSeal> checksum() {
    return Optional.ofNullable(checksum);
  }

  /**
   * The entries, in a fixed order; with {@value #ETAG} when a trailer is present and {@value
   * #CHECKSUM} when a checksum is.
   */
  public Map<String, String> toMap() {
    Base64.Encoder b64 = Base64.getEncoder();
    Map<String, String> m = new LinkedHashMap<>();
    m.put(VERSION, Integer.toString(version));
    m.put(ALGORITHM, algorithm.configName());
    m.put(SEGMENT_SIZE, Integer.toString(layout.plaintextSegmentSize()));
    m.put(HEADER, b64.encodeToString(header.encode()));
    m.put(KEK, wrappedKey.kek().encode());
    m.put(DEK, b64.encodeToString(wrappedKey.ciphertext()));
    if (compression != null) {
      m.put(COMPRESSION, compression.encode());
    }
    if (trailer != null) {
      m.put(ETAG, trailer.encode());
    }
    if (checksum != null) {
      m.put(CHECKSUM, checksum.encode());
    }
    return m;
  }

  /**
   * Reads the crypto entries out of an object's user metadata (other entries are ignored).
   *
   * @throws CryptoException.NoEncryptionMetadata if there is no {@value #PREFIX} entry at all
   */
  public static ObjectMetadata parse(Map<String, String> userMetadata) throws CryptoException {
    // Compressed objects are version 2; everything else below applies to both versions.
    Map<String, String> entries = cryptoEntries(userMetadata);
    if (entries.isEmpty()) {
      throw new CryptoException.NoEncryptionMetadata(
          "the object has no s3eg- metadata: it was not written through the gateway");
    }
    int version = parseVersion(required(entries, VERSION));
    if (version < ObjectFormat.VERSION || version > ObjectFormat.MULTIPART_VERSION) {
      throw new CryptoException.UnsupportedVersion(
          "object format version " + version + " is not supported (this build reads 1 to 4)");
    }
    Set<String> known =
        switch (version) {
          case ObjectFormat.COMPRESSED_VERSION -> KNOWN_COMPRESSED;
          case ObjectFormat.MULTIPART_VERSION, ObjectFormat.LEGACY_MULTIPART_VERSION ->
              KNOWN_MULTIPART;
          default -> KNOWN;
        };
    for (String name : entries.keySet()) {
      if (!known.contains(name)) {
        throw new CryptoException.MalformedMetadata(
            "unknown entry " + name + " in a v" + version + " object");
      }
    }
    String algName = required(entries, ALGORITHM);
    Algorithm algorithm =
        Algorithm.byConfigName(algName)
            .orElseThrow(
                () ->
                    new CryptoException.UnsupportedAlgorithm(
                        "unknown algorithm in " + ALGORITHM + ": '" + printable(algName) + "'"));
    SegmentLayout layout = parseLayout(required(entries, SEGMENT_SIZE));
    StreamHeader header = parseHeader(required(entries, HEADER));
    KeyReference kek = parseKek(required(entries, KEK));
    byte[] wrapped = strictBase64(DEK, required(entries, DEK));
    if (wrapped.length == 0 || wrapped.length > MAX_WRAPPED_KEY_SIZE) {
      throw new CryptoException.MalformedMetadata(DEK + " has an impossible length");
    }
    Compression compression =
        version == ObjectFormat.COMPRESSED_VERSION
            ? Compression.parse(required(entries, COMPRESSION))
            : null;
    String etag =
        version == ObjectFormat.COMPRESSED_VERSION ? required(entries, ETAG) : entries.get(ETAG);
    EtagTrailer trailer = etag == null ? null : EtagTrailer.parse(etag, version);
    String sum = entries.get(CHECKSUM);
    ChecksumSeal checksum = sum == null ? null : ChecksumSeal.parse(sum, version);
    return new ObjectMetadata(
        version,
        algorithm,
        layout,
        header,
        compression,
        new WrappedKey(kek, wrapped),
        trailer,
        checksum);
  }

  private static Map<String, String> cryptoEntries(Map<String, String> userMetadata)
      throws CryptoException.MalformedMetadata {
    Map<String, String> entries = new HashMap<>();
    for (Map.Entry<String, String> e : userMetadata.entrySet()) {
      if (isCryptoEntry(e.getKey())) {
        String name = e.getKey().toLowerCase(Locale.ROOT);
        if (e.getValue() == null) {
          throw new CryptoException.MalformedMetadata("entry " + name + " has no value");
        }
        if (entries.put(name, e.getValue()) != null) {
          throw new CryptoException.MalformedMetadata("duplicated entry " + name);
        }
      }
    }
    return entries;
  }

  private static String required(Map<String, String> entries, String name)
      throws CryptoException.MalformedMetadata {
    String value = entries.get(name);
    if (value == null) {
      throw new CryptoException.MalformedMetadata("missing entry " + name);
    }
    return value;
  }

  private static int parseVersion(String value) throws CryptoException.MalformedMetadata {
    if (!DECIMAL_VERSION.matcher(value).matches()) {
      throw new CryptoException.MalformedMetadata(VERSION + " is not a decimal version");
    }
    return Integer.parseInt(value);
  }

  private static SegmentLayout parseLayout(String value) throws CryptoException.MalformedMetadata {
    if (DECIMAL_SIZE.matcher(value).matches()) {
      try {
        return SegmentLayout.of(Integer.parseInt(value));
      } catch (IllegalArgumentException e) {
        // Falls through to the uniform message.
      }
    }
    throw new CryptoException.MalformedMetadata(
        SEGMENT_SIZE + " must be a segment size in bytes within the format's range");
  }

  private static StreamHeader parseHeader(String value) throws CryptoException.MalformedMetadata {
    byte[] encoded = strictBase64(HEADER, value);
    try {
      return StreamHeader.decode(encoded);
    } catch (IllegalArgumentException e) {
      throw new CryptoException.MalformedMetadata(HEADER + " is not a v1 body header");
    }
  }

  private static KeyReference parseKek(String value) throws CryptoException.MalformedMetadata {
    try {
      KeyReference ref = KeyReference.decode(value);
      if (ref.encode().equals(value)) {
        return ref;
      }
    } catch (IllegalArgumentException e) {
      // Falls through to the uniform message (NumberFormatException is one).
    }
    throw new CryptoException.MalformedMetadata(KEK + " is not a canonical id:version reference");
  }

  private static byte[] strictBase64(String name, String value)
      throws CryptoException.MalformedMetadata {
    try {
      byte[] decoded = Base64.getDecoder().decode(value);
      if (Base64.getEncoder().encodeToString(decoded).equals(value)) {
        return decoded;
      }
    } catch (IllegalArgumentException e) {
      // Falls through to the uniform message.
    }
    throw new CryptoException.MalformedMetadata(name + " is not canonical padded base64");
  }

  /** Keeps error messages printable and short whatever the metadata holds. */
  private static String printable(String s) {
    StringBuilder b = new StringBuilder();
    for (int i = 0; i < s.length() && i < 32; i++) {
      char c = s.charAt(i);
      b.append(c >= 0x20 && c < 0x7f ? c : '?');
    }
    return b.toString();
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof ObjectMetadata m && toMap().equals(m.toMap());
  }

  @Override
  public int hashCode() {
    return toMap().hashCode();
  }

  @Override
  public String toString() {
    return "ObjectMetadata" + toMap();
  }
}
