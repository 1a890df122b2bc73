package io.github.s3eg.crypto;

import java.io.InputStream;
import java.util.EnumSet;
import java.util.HexFormat;
import java.util.Map;
import java.util.Set;

/**
 * The encryption of one object, from {@link ObjectEncryptor#begin}. Use it in this order:
 *
 * <ol>
 *   <li>{@link #metadata()} — the entries to send with the PUT (everything known before the body),
 *       and {@link #ciphertextSize(long)} for the backend's {@code Content-Length};
 *   <li>{@link #encrypt(InputStream)} — once; read the returned stream to its end to upload;
 *   <li>after the end: {@link #plaintextSize()}, {@link #plaintextMd5()}, {@link
 *       #checksum(PlaintextChecksum)} and {@link #sealedTrailerMetadata()} (the authenticated
 *       {@code s3eg-etag} entry, for a later metadata update).
 * </ol>
 *
 * <p>A compressed session (format version 2, {@link #isCompressed()}) compresses the plaintext into
 * a {@linkplain FrameLayout frame container} inside {@code encrypt}, and encrypts that; sizes,
 * digests and the trailer still describe the plaintext, but the body size is known only after the
 * end, so {@link #ciphertextSize(long)} is refused.
 *
 * <p>The session holds the derived segment key and the trailer MAC key, never the DEK itself. It is
 * for one thread; a second {@code encrypt} is refused because it would repeat nonces.
 */
public final class EncryptionSession {

  private final ObjectMetadata metadata;
  private final SegmentCipher cipher;
  private final byte[] trailerMacKey;
  private final byte[] checksumMacKey;
  private final PlaintextDigests digests;
  private final int compressionLevel;
  private boolean started;
  private byte[] verifiedMd5;

  EncryptionSession(
      ObjectMetadata metadata, byte[] dek, Set<PlaintextChecksum> checksums, int compressionLevel) {
    this.metadata = metadata;
    this.compressionLevel = compressionLevel;
    this.cipher =
        SegmentCipher.create(
            metadata.algorithm(),
            dek,
            metadata.header(),
            ObjectFormat.bodyAssociatedData(metadata.version()));
    this.trailerMacKey = EtagTrailer.macKey(dek);
    this.checksumMacKey = ChecksumSeal.macKey(dek);
    this.digests = new PlaintextDigests(checksums);
  }

  /** The {@code s3eg-} entries to store with the object (without {@code x-amz-meta-}). */
  public Map<String, String> metadata() {
    return metadata.toMap();
  }

  /**
   * The exact body size for a plaintext size (for {@code Content-Length} to the backend).
   *
   * @throws IllegalStateException for a compressed session: its size depends on the data
   */
  public long ciphertextSize(long plaintextSize) {
    if (isCompressed()) {
      throw new IllegalStateException("a compressed body's size is known only after its end");
    }
    return metadata.layout().ciphertextSize(plaintextSize);
  }

  /** Whether this is a compressed object (format version 2). */
  public boolean isCompressed() {
    return metadata.compression().isPresent();
  }

  /** The object's format version (1, or 2 when compressed). */
  public int formatVersion() {
    return metadata.version();
  }

  public Algorithm algorithm() {
    return metadata.algorithm();
  }

  public SegmentLayout layout() {
    return metadata.layout();
  }

  /**
   * The body: reading it reads {@code plaintext} and returns ciphertext, one segment at a time.
   * Closing it closes {@code plaintext}.
   *
   * @throws IllegalStateException on a second call
   */
  public InputStream encrypt(InputStream plaintext) {
    if (started) {
      throw new IllegalStateException("an encryption session encrypts one body only");
    }
    started = true;
    if (isCompressed()) {
      InputStream container =
          new CompressingStream(plaintext, metadata.compression().get(), compressionLevel, digests);
      return new EncryptingStream(
          cipher,
          metadata.layout(),
          metadata.header(),
          container,
          new PlaintextDigests(EnumSet.noneOf(PlaintextChecksum.class)));
    }
    return new EncryptingStream(cipher, metadata.layout(), metadata.header(), plaintext, digests);
  }

  /** Whether the whole plaintext has been read and encrypted. */
  public boolean isComplete() {
    return digests.finished();
  }

  /** Plaintext bytes encrypted; after the end of the stream. */
  public long plaintextSize() {
    requireComplete();
    return digests.size();
  }

  /** The plaintext MD5 (16 bytes); after the end, if MD5 was requested (it is by default). */
  public byte[] plaintextMd5() {
    if (verifiedMd5 != null) {
      requireComplete();
      return verifiedMd5.clone();
    }
    return digests.value(PlaintextChecksum.MD5);
  }

  /**
   * Takes the plaintext MD5 the client declared ({@code Content-MD5}) as this session's, instead of
   * computing it a second time over the same bytes: for a session begun without MD5 whose plaintext
   * stream verifies that MD5 before it releases its last byte (the gateway's body verification), so
   * that the session cannot complete unless the plaintext really has it.
   *
   * @throws IllegalStateException if the session computes the MD5 itself or has started
   */
  public void useVerifiedMd5(byte[] md5) {
    if (digests.computes(PlaintextChecksum.MD5) || started) {
      throw new IllegalStateException("the MD5 is computed by this session, or it has started");
    }
    if (md5.length != 16) {
      throw new IllegalArgumentException("an MD5 is 16 bytes");
    }
    this.verifiedMd5 = md5.clone();
  }

  /** The plaintext ETag: lowercase hex MD5 without quotes. */
  public String plaintextEtag() {
    return HexFormat.of().formatHex(plaintextMd5());
  }

  /** A requested checksum of the plaintext (raw big-endian bytes); after the end. */
  public byte[] checksum(PlaintextChecksum checksum) {
    return digests.value(checksum);
  }

  /** The {@code s3eg-etag} entry authenticating MD5 and size; after the end, MD5 requested. */
  public Map<String, String> sealedTrailerMetadata() {
    return Map.of(ObjectMetadata.ETAG, trailer().encode());
  }

  /**
   * The {@code s3eg-etag} entry for a plaintext whose MD5 and size the client declared before the
   * body ({@code Content-MD5}), so that it can go on the PUT itself. The caller must make sure the
   * upload cannot complete unless the plaintext really has this MD5 and size (the gateway's body
   * verification fails the stream before its last byte otherwise).
   */
  public Map<String, String> sealedTrailerMetadata(byte[] declaredMd5, long declaredSize) {
    return Map.of(
        ObjectMetadata.ETAG,
        EtagTrailer.seal(metadata.version(), trailerMacKey, declaredMd5, declaredSize).encode());
  }

  /**
   * The {@code s3eg-sum} entry for the client's checksum of the plaintext. The caller makes sure
   * the upload cannot complete unless the plaintext has this checksum (the body verification fails
   * the stream before its last byte otherwise).
   *
   * @param algorithm {@code CRC32}, {@code CRC32C}, {@code CRC64NVME}, {@code SHA1} or {@code
   *     SHA256}
   */
  public Map<String, String> sealedChecksumMetadata(String algorithm, byte[] checksum) {
    return Map.of(
        ObjectMetadata.CHECKSUM,
        ChecksumSeal.seal(metadata.version(), checksumMacKey, algorithm, checksum).encode());
  }

  /** {@link #metadata()} plus {@link #sealedTrailerMetadata()}; after the end. */
  public Map<String, String> completeMetadata() {
    return metadata.withTrailer(trailer()).toMap();
  }

  private EtagTrailer trailer() {
    return EtagTrailer.seal(metadata.version(), trailerMacKey, plaintextMd5(), plaintextSize());
  }

  private void requireComplete() {
    if (!digests.finished()) {
      throw new IllegalStateException("the plaintext has not been read to its end yet");
    }
  }

  @Override
  public String toString() {
    return "EncryptionSession["
        + metadata.algorithm().configName()
        + ", "
        + metadata.layout()
        + (digests.finished() ? ", complete" : "")
        + "]";
  }
}
