package io.github.s3eg.crypto;

import java.io.ByteArrayInputStream;
import java.io.InputStream;
import java.io.SequenceInputStream;
import java.util.EnumSet;
import java.util.HexFormat;

/**
 * One part of a multipart upload being encrypted: the stored bytes ({@link #stream()}, exactly
 * {@link #ciphertextSize()} of them) and, once read to the end, the plaintext MD5 that S3 returns
 * as the part's ETag. Every call to {@link OpenedObject#encryptPart} draws a fresh header (salt and
 * nonce prefix), so uploading a part number again never repeats a segment key or a nonce. For one
 * thread.
 */
public final class EncryptedPart {

  private final long ciphertextSize;
  private final StreamHeader header;
  private final PlaintextDigests digests;
  private final InputStream stream;

  EncryptedPart(
      SegmentedAead aead,
      StreamHeader header,
      int partNumber,
      long plaintextSize,
      InputStream plain) {
    this.header = header;
    this.digests = new PlaintextDigests(EnumSet.of(PlaintextChecksum.MD5));
    this.ciphertextSize = MultipartLayout.partCiphertextSize(aead.layout(), plaintextSize);
    InputStream body =
        aead.newEncryptingStream(
            plain, header, ObjectFormat.partBodyAssociatedData(partNumber, plaintextSize), digests);
    this.stream =
        new SequenceInputStream(
            new ByteArrayInputStream(MultipartLayout.partPrefix(partNumber, plaintextSize)), body);
  }

  public InputStream stream() {
    return stream;
  }

  public long ciphertextSize() {
    return ciphertextSize;
  }

  /** The part's body header (also in the stored bytes): the index records it. */
  public StreamHeader header() {
    return header;
  }

  /** Whether the plaintext has been read to its end. */
  public boolean isComplete() {
    return digests.finished();
  }

  /** Hex MD5 of the plaintext, after the end. */
  public String plaintextEtag() {
    return HexFormat.of().formatHex(digests.value(PlaintextChecksum.MD5));
  }
}
