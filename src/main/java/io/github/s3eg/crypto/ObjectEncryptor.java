package io.github.s3eg.crypto;

import io.github.s3eg.keys.KeyManager;
import io.github.s3eg.keys.KeyManagerException;
import io.github.s3eg.keys.WrappedKey;
import java.security.SecureRandom;
import java.util.Arrays;
import java.util.EnumSet;
import java.util.Objects;
import java.util.Set;

/**
 * Starts the encryption of objects: for each object a fresh random 256-bit DEK and body header, the
 * DEK wrapped by the {@link KeyManager}'s active KEK under associated data that names the bucket,
 * the key, the format version, the algorithm, the segment size and the header.
 *
 * <pre>{@code
 * ObjectEncryptor encryptor = new ObjectEncryptor(keys, Algorithm.AES256_GCM, 64 * 1024);
 * EncryptionSession s = encryptor.begin("bucket", "photos/cat.jpg");
 * Map<String, String> meta = s.metadata();           // x-amz-meta-s3eg-* on the PUT
 * long length = s.ciphertextSize(plaintextLength);     // Content-Length to the backend
 * InputStream body = s.encrypt(clientBody);            // pull: reading it encrypts
 * ... upload body ...
 * String etag = s.plaintextEtag();                     // after the end of body
 * }</pre>
 *
 * <p>Immutable and thread-safe (the key manager is thread-safe); sessions are not.
 */
public final class ObjectEncryptor {

  private final KeyManager keys;
  private final Algorithm algorithm;
  private final SegmentLayout layout;
  private final SecureRandom random;

  /**
   * @param plaintextSegmentSize 16 KiB to 1 MiB ({@link SegmentLayout#configured})
   * @throws IllegalArgumentException if the segment size is out of range
   */
  public ObjectEncryptor(KeyManager keys, Algorithm algorithm, int plaintextSegmentSize) {
    this(keys, algorithm, SegmentLayout.configured(plaintextSegmentSize), new SecureRandom());
  }

  /** AES-256-GCM with 64 KiB segments. */
  public ObjectEncryptor(KeyManager keys) {
    this(keys, Algorithm.AES256_GCM, SegmentLayout.DEFAULT_SEGMENT_SIZE);
  }

  /**
   * Any format layout and a chosen source of randomness: for known-answer vectors, which need small
   * segments and fixed DEK, salt and nonce prefix.
   */
  ObjectEncryptor(KeyManager keys, Algorithm algorithm, SegmentLayout layout, SecureRandom random) {
    this.keys = Objects.requireNonNull(keys, "keys");
    this.algorithm = Objects.requireNonNull(algorithm, "algorithm");
    this.layout = Objects.requireNonNull(layout, "layout");
    this.random = Objects.requireNonNull(random, "random");
  }

  public Algorithm algorithm() {
    return algorithm;
  }

  public SegmentLayout layout() {
    return layout;
  }

  /**
   * Begins a multipart upload: a fresh DEK wrapped under format version 4 associated data (with a
   * random upload header in place of a body header), for the upload's metadata and upload record.
   */
  public ObjectMetadata beginMultipart(String bucket, String key) throws CryptoException {
    return beginMultipart(bucket, key, ObjectFormat.MULTIPART_VERSION);
  }

  /**
   * {@code version}: 4, or 3 only to make the objects an earlier release wrote (tests, vectors).
   */
  ObjectMetadata beginMultipart(String bucket, String key, int version) throws CryptoException {
    byte[] dek = new byte[Algorithm.KEY_SIZE];
    random.nextBytes(dek);
    try {
      StreamHeader uploadHeader = StreamHeader.random(random);
      byte[] ad =
          ObjectBinding.wrapAssociatedData(
              version, algorithm, layout, uploadHeader, null, bucket, key);
      try {
        return ObjectMetadata.multipart(
            version, algorithm, layout, uploadHeader, keys.forBucket(bucket).wrap(dek, ad));
      } catch (KeyManagerException e) {
        throw CryptoException.fromKeyManager(e);
      }
    } finally {
      Arrays.fill(dek, (byte) 0);
    }
  }

  /** Begins an object whose plaintext MD5 is computed (for its ETag). */
  public EncryptionSession begin(String bucket, String key) throws CryptoException {
    return begin(bucket, key, EnumSet.of(PlaintextChecksum.MD5));
  }

  /**
   * Begins an object computing the given plaintext checksums (none at all is allowed: then there is
   * no ETag and no trailer entry).
   *
   * @throws CryptoException.KeyServiceUnavailable or another key failure if the wrap fails
   */
  public EncryptionSession begin(String bucket, String key, Set<PlaintextChecksum> checksums)
      throws CryptoException {
    return begin(bucket, key, checksums, null, 0);
  }

  /**
   * Begins a compressed object (format version 2): {@link EncryptionSession#encrypt} then
   * compresses the plaintext into frames before encrypting, and the checksums are of the plaintext.
   * Its body size is known only at the end ({@link EncryptionSession#isCompressed()}).
   *
   * @param level the codec's compression level ({@link Codec#minLevel()}..{@link Codec#maxLevel()})
   */
  public EncryptionSession begin(String bucket, String key, Compression compression, int level)
      throws CryptoException {
    return begin(
        bucket, key, EnumSet.of(PlaintextChecksum.MD5), Objects.requireNonNull(compression), level);
  }

  private EncryptionSession begin(
      String bucket,
      String key,
      Set<PlaintextChecksum> checksums,
      Compression compression,
      int level)
      throws CryptoException {
    byte[] dek = new byte[Algorithm.KEY_SIZE];
    random.nextBytes(dek);
    try {
      StreamHeader header = StreamHeader.random(random);
      byte[] ad =
          ObjectBinding.wrapAssociatedData(algorithm, layout, header, compression, bucket, key);
      WrappedKey wrapped;
      try {
        wrapped = keys.forBucket(bucket).wrap(dek, ad);
      } catch (KeyManagerException e) {
        throw CryptoException.fromKeyManager(e);
      }
      return new EncryptionSession(
          new ObjectMetadata(algorithm, layout, header, compression, wrapped),
          dek,
          checksums,
          level);
    } finally {
      Arrays.fill(dek, (byte) 0);
    }
  }
}
