/**
 * The encrypted object format (versions 1 and 2) and its streaming engine. Independent of Camel and
 * S3 transport: it turns plaintext streams into encrypted bodies plus {@code s3eg-} user-metadata
 * entries and back. The byte-level specification is {@code docs/object-format.md}.
 *
 * <h2>Writing an object</h2>
 *
 * <ol>
 *   <li>{@link io.github.s3eg.crypto.ObjectEncryptor} (one per gateway: key manager, {@link
 *       io.github.s3eg.crypto.Algorithm}, segment size) → {@code begin(bucket, key)} gives an
 *       {@link io.github.s3eg.crypto.EncryptionSession};
 *   <li>{@code session.metadata()} goes on the PUT as {@code x-amz-meta-*}; {@code
 *       session.ciphertextSize(n)} is the backend {@code Content-Length};
 *   <li>{@code session.encrypt(plaintextStream)} is the body (pull-based, one segment of memory);
 *   <li>after its end: {@code plaintextEtag()}, {@code plaintextSize()}, checksums, and {@code
 *       sealedTrailerMetadata()} (the authenticated {@code s3eg-etag} entry).
 * </ol>
 *
 * <h2>Reading an object</h2>
 *
 * <ol>
 *   <li>{@link io.github.s3eg.crypto.ObjectDecryptor#open} validates the metadata and unwraps the
 *       DEK for this bucket and key → {@link io.github.s3eg.crypto.OpenedObject};
 *   <li>{@code decrypt(body)} for a whole object, or {@code rangeFor(first, last, size)} / {@code
 *       suffixRange(n, size)} → {@link io.github.s3eg.crypto.CiphertextRange} (fetch {@code
 *       httpRange()} from the backend) and {@code decryptRange(segments, range)}.
 * </ol>
 *
 * <h2>Compressed objects (format version 2)</h2>
 *
 * <p>{@code encryptor.begin(bucket, key, compression, level)} gives a session that compresses the
 * plaintext into a {@link io.github.s3eg.crypto.FrameLayout frame container} ({@link
 * io.github.s3eg.crypto.Codec zstd or gzip} frames and an index) before encrypting it; its body
 * size is known only at the end. {@link io.github.s3eg.crypto.OpenedObject#decrypt} decompresses as
 * it decrypts; ranged reads use {@link io.github.s3eg.crypto.OpenedObject#compressedRange} (index
 * entries first, then the frames).
 *
 * <p>{@link io.github.s3eg.crypto.ObjectRebinder} re-wraps a DEK for a server-side copy. All size
 * arithmetic is in {@link io.github.s3eg.crypto.SegmentLayout}. Failures are the sealed {@link
 * io.github.s3eg.crypto.CryptoException} hierarchy; streams throw {@link
 * io.github.s3eg.crypto.CryptoIOException} carrying one.
 */
package io.github.s3eg.crypto;
