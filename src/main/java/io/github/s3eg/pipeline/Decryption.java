package io.github.s3eg.pipeline;

import io.github.s3eg.crypto.BoundedInputStream;
import io.github.s3eg.crypto.CryptoException;
import io.github.s3eg.crypto.CryptoIOException;
import io.github.s3eg.crypto.OpenedObject;
import io.github.s3eg.pipeline.CiphertextLocator.Located;
import io.github.s3eg.s3.ByteRange;
import io.github.s3eg.s3.S3ErrorCode;
import io.github.s3eg.s3.S3Exception;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.SequenceInputStream;
import java.security.GeneralSecurityException;
import software.amazon.awssdk.core.ResponseInputStream;

/**
 * The {@code decrypt} step's work: turns the located ciphertext into exactly the plaintext bytes
 * the client asked for, under the key {@code resolveKey} unwrapped, and reads (so authenticates)
 * the first segment or frame before any byte goes to the client, so that a tampered object is
 * answered with an error instead of a broken transfer. Compressed objects (format version 2) are
 * decrypted and decompressed here too. Plain Java, tested without Camel.
 */
final class Decryption {

  /** Plaintext read ahead of a compressed object: enough to cover its first frame's check. */
  private static final int VERIFIED_COMPRESSED_PREFIX = 64 * 1024;

  private Decryption() {}

  static AuthenticatedPlaintext decrypt(
      ObjectKey key, Located located, CiphertextLocator.StreamReleaser releaser)
      throws IOException, CryptoException {
    try {
      return switch (located) {
        case Located.Plain p ->
            new AuthenticatedPlaintext(
                p.source(),
                p.length(),
                p.range(),
                p.total(),
                null,
                () -> releaser.release(p.source()));
        case Located.Single s -> single(key.openedOrNull(), s, releaser);
        case Located.Multipart m -> multipart(key.openedOrNull(), m, releaser);
        case Located.CompressedWhole c ->
            verified(
                key.openedOrNull().decrypt(c.source()),
                VERIFIED_COMPRESSED_PREFIX,
                c.plaintextSize(),
                null,
                c.plaintextSize(),
                c.source(),
                releaser);
        case Located.CompressedRanged c ->
            verified(
                c.read().decrypt(c.frames()),
                VERIFIED_COMPRESSED_PREFIX,
                c.wanted().length(),
                c.wanted(),
                c.plaintextSize(),
                c.frames(),
                releaser);
        case Located.Described d ->
            throw new IllegalStateException("a HEAD has no body to decrypt");
        case Located.S3ec e ->
            throw new IllegalStateException("S3 Encryption Client objects are read by S3ecReads");
      };
    } catch (CryptoIOException e) {
      throw e;
    } catch (IOException e) {
      if (e.getCause() instanceof GeneralSecurityException) {
        throw e;
      }
      // Not the object's fault: the backend connection broke (reset, timeout, short body) before
      // the first byte went to the client, so the client can still get a clean, retryable error.
      throw new S3Exception(
          S3ErrorCode.SERVICE_UNAVAILABLE,
          "The storage backend failed while the object was read; please retry.",
          e);
    }
  }

  private static AuthenticatedPlaintext single(
      OpenedObject o, Located.Single s, CiphertextLocator.StreamReleaser releaser)
      throws IOException {
    int segment = o.layout().plaintextSegmentSize();
    if (s.needed() == null) {
      return verified(
          o.decrypt(s.source()),
          segment,
          s.plaintextSize(),
          null,
          s.plaintextSize(),
          s.source(),
          releaser);
    }
    s.source().skipNBytes(s.skip());
    InputStream segments = new BoundedInputStream(s.source(), s.needed().ciphertextLength());
    return verified(
        o.decryptRange(segments, s.needed()),
        segment,
        s.wanted().length(),
        s.wanted(),
        s.plaintextSize(),
        s.source(),
        releaser);
  }

  private static AuthenticatedPlaintext multipart(
      OpenedObject o, Located.Multipart m, CiphertextLocator.StreamReleaser releaser)
      throws IOException {
    if (m.source() == null) {
      return new AuthenticatedPlaintext(
          InputStream.nullInputStream(), 0, null, 0, m.etag(), () -> {});
    }
    m.source().skipNBytes(m.skip());
    InputStream segments = new BoundedInputStream(m.source(), m.plan().ciphertextLength());
    return verified(
            m.plan().decrypt(segments, m.partStart()),
            o.layout().plaintextSegmentSize(),
            m.plan().plaintextLength(),
            m.range(),
            m.plaintextSize(),
            m.source(),
            releaser)
        .withEtag(m.etag());
  }

  /**
   * Reads (and so authenticates) the first {@code prefix} bytes of plaintext before any byte goes
   * to the client.
   */
  private static AuthenticatedPlaintext verified(
      InputStream plaintext,
      int prefix,
      long length,
      ByteRange range,
      long objectSize,
      ResponseInputStream<?> source,
      CiphertextLocator.StreamReleaser releaser)
      throws IOException {
    int first = (int) Math.min(length, prefix);
    byte[] head = plaintext.readNBytes(first);
    if (head.length < first) {
      throw new IOException("the object ended before its declared size");
    }
    return new AuthenticatedPlaintext(
        new SequenceInputStream(new ByteArrayInputStream(head), plaintext),
        length,
        range,
        objectSize,
        null,
        () -> releaser.release(source));
  }
}
