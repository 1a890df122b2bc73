package io.github.s3eg.crypto;

import io.github.s3eg.keys.KeyManagerException;
import io.github.s3eg.keys.KeyReference;
import java.util.Optional;

/**
 * Typed failures of the encrypted object format. Every way an object can be damaged, moved or
 * misconfigured has its own subtype, so the S3 layer (and tests) switch on types, never on
 * messages. Messages name what was wrong and where (segment index, metadata field), never key
 * material or plaintext.
 *
 * <p>Streams cannot throw checked exceptions other than {@link java.io.IOException}; they throw a
 * {@link CryptoIOException} that carries one of these as its cause. {@link #of(Throwable)} finds
 * the typed failure in any exception chain.
 */
public abstract sealed class CryptoException extends Exception {

  CryptoException(String message, Throwable cause) {
    super(message, cause);
  }

  /** This failure wrapped for {@link java.io.InputStream} APIs. */
  public CryptoIOException asIOException() {
    return new CryptoIOException(this);
  }

  /** The typed crypto failure in {@code t}'s cause chain, if any. */
  public static Optional<CryptoException> of(Throwable t) {
    for (Throwable c = t; c != null; c = c.getCause()) {
      if (c instanceof CryptoException e) {
        return Optional.of(e);
      }
    }
    return Optional.empty();
  }

  /**
   * Maps a key-manager failure while writing (wrapping under the active key), or one that names no
   * stored key (an S3 Encryption Client object's key service being unavailable).
   */
  public static CryptoException fromKeyManager(KeyManagerException e) {
    return fromKeyManager(e, null);
  }

  /**
   * Maps a key-manager failure while opening a stored object whose data key is wrapped under {@code
   * objectKey}.
   */
  static CryptoException fromKeyManager(KeyManagerException e, KeyReference objectKey) {
    return switch (e) {
      case KeyManagerException.KeyNotFound k -> new UnknownKey(k.getMessage(), objectKey, k);
      case KeyManagerException.UnwrapFailed u ->
          new KeyUnwrapFailed(
              "the wrapped data key does not open for this bucket and key: the object was moved"
                  + " or renamed, its metadata was swapped with another object's, or the"
                  + " metadata was altered",
              u);
      case KeyManagerException.Unavailable u -> new KeyServiceUnavailable(u.getMessage(), u);
    };
  }

  /** The object carries no {@code s3eg-} metadata at all: it was not written by the gateway. */
  public static final class NoEncryptionMetadata extends CryptoException {
    NoEncryptionMetadata(String message) {
      super(message, null);
    }
  }

  /** An {@code s3eg-} entry is missing, duplicated, unknown or not in its canonical encoding. */
  public static final class MalformedMetadata extends CryptoException {
    public MalformedMetadata(String message) {
      super(message, null);
    }
  }

  /** The format version is well formed but not one this build reads. */
  public static final class UnsupportedVersion extends CryptoException {
    public UnsupportedVersion(String message) {
      super(message, null);
    }
  }

  /** The algorithm is unknown, or known but not in the set allowed for reading. */
  public static final class UnsupportedAlgorithm extends CryptoException {
    public UnsupportedAlgorithm(String message) {
      super(message, null);
    }
  }

  /**
   * The KEK refused to open the wrapped DEK with this object's associated data. Because the
   * associated data names the bucket, the key, the version, the algorithm, the segment size and the
   * body header, this is how a moved/renamed object or swapped metadata is detected.
   */
  public static final class KeyUnwrapFailed extends CryptoException {
    public KeyUnwrapFailed(String message, Throwable cause) {
      super(message, cause);
    }
  }

  /**
   * The KEK the object names is not known to this gateway (a lost key file, a different password or
   * salt, a key version no longer configured); or, when writing, the active KEK is unusable.
   */
  public static final class UnknownKey extends CryptoException {
    private final KeyReference objectKey;

    /** A failure that names no single stored key (an S3 Encryption Client object's candidates). */
    public UnknownKey(String message, Throwable cause) {
      this(message, null, cause);
    }

    UnknownKey(String message, KeyReference objectKey, Throwable cause) {
      super(message, cause);
      this.objectKey = objectKey;
    }

    /** The key a stored object names; empty when the failure was the active key's, on a write. */
    public Optional<KeyReference> objectKey() {
      return Optional.ofNullable(objectKey);
    }
  }

  /** The key service could not be reached; the S3 layer answers 503. */
  public static final class KeyServiceUnavailable extends CryptoException {
    public KeyServiceUnavailable(String message, Throwable cause) {
      super(message, cause);
    }
  }

  /** The authenticated trailer entry ({@code s3eg-etag}) does not verify under the object's DEK. */
  public static final class MetadataAuthenticationFailed extends CryptoException {
    public MetadataAuthenticationFailed(String message) {
      super(message, null);
    }
  }

  /** The body's header is malformed or is not the header the metadata names (bodies swapped). */
  public static final class HeaderMismatch extends CryptoException {
    HeaderMismatch(String message) {
      super(message, null);
    }
  }

  /**
   * A segment's tag did not verify at its position: the segment was altered, reordered, duplicated,
   * dropped or spliced in from another object. No byte of it was released.
   */
  public static final class TamperedSegment extends CryptoException {
    private final long segmentIndex;

    public TamperedSegment(long segmentIndex) {
      super("segment " + segmentIndex + " failed authentication", null);
      this.segmentIndex = segmentIndex;
    }

    public long segmentIndex() {
      return segmentIndex;
    }
  }

  /** The ciphertext ends before its final segment (at or inside a segment boundary). */
  public static final class TruncatedCiphertext extends CryptoException {
    public TruncatedCiphertext(String message) {
      super(message, null);
    }
  }

  /** Bytes follow the final segment. */
  public static final class TrailingData extends CryptoException {
    public TrailingData(String message) {
      super(message, null);
    }
  }

  /**
   * A compressed object's frame container is inconsistent: a frame or index entry is not where the
   * layout says, a frame does not decode to its exact size, or the index disagrees with the frames.
   * The container is authenticated by the encryption, so this means a writer defect or a forgery by
   * someone holding the data key; nothing of the affected frame is released.
   */
  public static final class CorruptCompressedData extends CryptoException {
    CorruptCompressedData(String message) {
      super(message, null);
    }
  }

  /** The object's compression is unknown to this build, or cannot run on this machine. */
  public static final class UnsupportedCompression extends CryptoException {
    UnsupportedCompression(String message) {
      super(message, null);
    }
  }

  /** A ciphertext length that no plaintext length produces under this object's layout. */
  public static final class ImpossibleCiphertextSize extends CryptoException {
    public ImpossibleCiphertextSize(String message) {
      super(message, null);
    }
  }
}
