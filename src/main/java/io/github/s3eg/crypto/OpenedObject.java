package io.github.s3eg.crypto;

import java.io.InputStream;
import java.security.SecureRandom;
import java.util.Optional;
import java.util.OptionalLong;

/**
 * An object whose metadata verified and whose DEK is unwrapped: it decrypts the whole body or any
 * byte range of it. Immutable and thread-safe; every stream is independent. It holds a copy of the
 * DEK for as long as it is reachable, so keep it for the request that opened it, not in a cache.
 *
 * <p>When the metadata carries the authenticated trailer, the plaintext size is known before the
 * body is read, so {@link #decrypt} reports a cut anywhere as {@link
 * CryptoException.TruncatedCiphertext} and extra bytes as {@link CryptoException.TrailingData}
 * before releasing the affected segment. Without it, the last-segment flag still detects both.
 *
 * <p>A compressed object (format version 2, {@link #compression()} present) always has the trailer,
 * which gives its plaintext size; {@link #decrypt} decompresses as it decrypts, and ranged reads go
 * through {@link #compressedRange} instead of {@link #rangeFor}.
 */
public final class OpenedObject {

  private static final SecureRandom RANDOM = new SecureRandom();

  private final ObjectMetadata metadata;
  private final SegmentedAead aead;
  private final byte[] indexMacKey;
  private final byte[] checksumMacKey;

  OpenedObject(
      ObjectMetadata metadata, SegmentedAead aead, byte[] indexMacKey, byte[] checksumMacKey) {
    this.metadata = metadata;
    this.aead = aead;
    this.indexMacKey = indexMacKey;
    this.checksumMacKey = checksumMacKey;
  }

  /** The client's checksum of a single-PUT object, verified when the object was opened. */
  public Optional<ChecksumSeal> checksum() {
    return metadata.checksum();
  }

  /**
   * The MAC key for a multipart upload's checksum records ({@code docs/object-format.md} §12.7); a
   * copy the caller may keep for the request.
   */
  public byte[] multipartChecksumKey() {
    requireMultipart();
    return checksumMacKey.clone();
  }

  /** Whether this is a multipart upload or an object completed from one (format version 3 or 4). */
  public boolean isMultipart() {
    return metadata.isMultipart();
  }

  /** The metadata entries (for a multipart upload: what its upload record stores). */
  public ObjectMetadata metadata() {
    return metadata;
  }

  // ---- multipart (format versions 3 and 4)

  /**
   * Encrypts one part of this multipart upload under a fresh random header.
   *
   * @param plaintext exactly {@code plaintextSize} bytes
   */
  public EncryptedPart encryptPart(int partNumber, long plaintextSize, InputStream plaintext) {
    requireMultipart();
    return new EncryptedPart(
        aead, StreamHeader.random(RANDOM), partNumber, plaintextSize, plaintext);
  }

  /** The index for this object under {@code bucket}/{@code key}, MAC'd with the object's DEK. */
  public byte[] sealIndex(MultipartIndex index, String bucket, String key) {
    requireMultipart();
    if (!index.uploadHeader().equals(metadata.header())) {
      throw new IllegalArgumentException("the index belongs to another upload");
    }
    return index.seal(indexMacKey, bucket, key);
  }

  /** Verifies and parses this object's index as read from the backend. */
  public MultipartIndex openIndex(byte[] encoded, String bucket, String key)
      throws CryptoException {
    requireMultipart();
    return MultipartIndex.open(
        encoded, indexMacKey, metadata.layout(), metadata.header(), bucket, key);
  }

  /** Plans the read of plaintext bytes {@code first..last} (clamped) of a multipart object. */
  public MultipartDecryption planRead(MultipartIndex index, long first, long last) {
    requireMultipart();
    return new MultipartDecryption(aead, index, first, last);
  }

  private void requireMultipart() {
    if (!metadata.isMultipart()) {
      throw new IllegalStateException("not a multipart object");
    }
  }

  public Algorithm algorithm() {
    return metadata.algorithm();
  }

  public SegmentLayout layout() {
    return metadata.layout();
  }

  /** How the object is compressed; empty for an uncompressed (version 1) object. */
  public Optional<Compression> compression() {
    return metadata.compression();
  }

  /** The body header, as stored in metadata. */
  public StreamHeader header() {
    return metadata.header();
  }

  /** The plaintext ETag (hex MD5), when the authenticated trailer is present. */
  public Optional<String> plaintextEtag() {
    return metadata.trailer().map(EtagTrailer::etag);
  }

  /** The plaintext size from the authenticated trailer, when present. */
  public OptionalLong authenticatedPlaintextSize() {
    return metadata.trailer().isPresent()
        ? OptionalLong.of(metadata.trailer().get().plaintextSize())
        : OptionalLong.empty();
  }

  /**
   * The plaintext size of a body of {@code ciphertextSize} bytes (e.g. the backend's {@code
   * Content-Length}), checked against the trailer when present.
   *
   * @throws CryptoException.ImpossibleCiphertextSize if no plaintext has that body size
   * @throws CryptoException.TruncatedCiphertext if the body is shorter than the trailer says
   * @throws CryptoException.TrailingData if it is longer
   */
  public long plaintextSize(long ciphertextSize) throws CryptoException {
    if (metadata.compression().isPresent()) {
      containerSize(ciphertextSize);
      return authenticatedPlaintextSize().getAsLong();
    }
    OptionalLong authenticated = authenticatedPlaintextSize();
    if (authenticated.isPresent()) {
      long expected = layout().ciphertextSize(authenticated.getAsLong());
      if (ciphertextSize < expected) {
        throw new CryptoException.TruncatedCiphertext(
            "the body has " + ciphertextSize + " bytes, the object " + expected);
      }
      if (ciphertextSize > expected) {
        throw new CryptoException.TrailingData(
            "the body has " + ciphertextSize + " bytes, the object " + expected);
      }
      return authenticated.getAsLong();
    }
    try {
      return layout().plaintextSize(ciphertextSize);
    } catch (IllegalArgumentException e) {
      throw new CryptoException.ImpossibleCiphertextSize(e.getMessage());
    }
  }

  /**
   * The container size of a compressed object whose body has {@code ciphertextSize} bytes.
   *
   * @throws CryptoException.ImpossibleCiphertextSize if no container of this object has that body
   */
  private long containerSize(long ciphertextSize) throws CryptoException {
    long plaintext = authenticatedPlaintextSize().getAsLong();
    try {
      long container = layout().plaintextSize(ciphertextSize);
      if (container >= metadata.compression().get().frames().minContainerSize(plaintext)) {
        return container;
      }
    } catch (IllegalArgumentException e) {
      // Falls through to the uniform failure.
    }
    throw new CryptoException.ImpossibleCiphertextSize(
        "a body of "
            + ciphertextSize
            + " bytes cannot hold the compressed frames of "
            + plaintext
            + " bytes");
  }

  /**
   * Decrypts a whole body (header included); a compressed object's frames are decompressed on the
   * way. Closing the result closes {@code fullBody}.
   */
  public InputStream decrypt(InputStream fullBody) {
    if (metadata.compression().isPresent()) {
      InputStream container =
          aead.newDecryptingStream(
              fullBody,
              metadata.header(),
              ObjectFormat.bodyAssociatedData(ObjectFormat.COMPRESSED_VERSION),
              -1);
      return DecompressingStream.whole(
          container, metadata.compression().get(), authenticatedPlaintextSize().getAsLong());
    }
    return aead.newDecryptingStream(
        fullBody,
        metadata.header(),
        ObjectFormat.singleObjectBodyAssociatedData(),
        authenticatedPlaintextSize().orElse(-1));
  }

  /** See {@link SegmentLayout#rangeFor}. */
  public CiphertextRange rangeFor(long firstPlaintext, long lastPlaintext, long plaintextSize) {
    requireUncompressed();
    return layout().rangeFor(firstPlaintext, lastPlaintext, plaintextSize);
  }

  /** See {@link SegmentLayout#suffixRange}. */
  public CiphertextRange suffixRange(long suffixLength, long plaintextSize) {
    requireUncompressed();
    return layout().suffixRange(suffixLength, plaintextSize);
  }

  /**
   * A ranged read of plaintext bytes {@code first..last} of a compressed object whose body has
   * {@code ciphertextSize} bytes (a {@code last} beyond the end is clamped).
   *
   * @throws CryptoException.ImpossibleCiphertextSize as {@link #plaintextSize(long)}
   * @throws IllegalStateException if the object is not compressed
   * @throws IllegalArgumentException if the range is not satisfiable
   */
  public CompressedRange compressedRange(long first, long last, long ciphertextSize)
      throws CryptoException {
    Compression compression =
        metadata
            .compression()
            .orElseThrow(() -> new IllegalStateException("the object is not compressed"));
    long size = authenticatedPlaintextSize().getAsLong();
    return new CompressedRange(
        aead,
        metadata.header(),
        compression,
        size,
        containerSize(ciphertextSize),
        first,
        Math.min(last, size - 1));
  }

  private void requireUncompressed() {
    if (metadata.compression().isPresent()) {
      throw new IllegalStateException("a compressed object is read through compressedRange");
    }
  }

  /**
   * Decrypts the body bytes {@code range.ciphertextFirst()..range.ciphertextLast()} (fetched with
   * {@link CiphertextRange#httpRange()}) and yields exactly plaintext bytes {@code
   * range.plaintextFirst()..range.plaintextLast()}.
   */
  public InputStream decryptRange(InputStream ciphertextOfSegments, CiphertextRange range) {
    requireUncompressed();
    return aead.newRangeDecryptingStream(
        ciphertextOfSegments,
        metadata.header(),
        ObjectFormat.singleObjectBodyAssociatedData(),
        range);
  }
}
