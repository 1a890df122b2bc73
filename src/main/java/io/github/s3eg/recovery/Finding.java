package io.github.s3eg.recovery;

import io.github.s3eg.crypto.CryptoException;
import java.util.Locale;
import java.util.Optional;

/**
 * What a scrub found wrong, or worth knowing, about one object. The first six are failures (the
 * object is not served), the last three notices (it is served, but something should be done).
 */
public enum Finding {
  /** A segment, tag, header, index, trailer or metadata entry was altered. */
  TAMPERED(true),
  /** The body is shorter than the object it claims to be (or no plaintext has its size). */
  TRUNCATED(true),
  /** A multipart object without its part index: its part list cannot be proved complete. */
  MISSING_INDEX(true),
  /** The data key does not open for this bucket and key: moved, renamed or metadata swapped. */
  WRONG_BINDING(true),
  /** The key that wrapped the data key is unknown here (or outside the dual-read window). */
  KEY_NOT_FOUND(true),
  /** The format version, algorithm or compression is not one this gateway reads. */
  UNSUPPORTED(true),
  /** Not checked: the key service or the backend failed (try again). */
  UNCHECKED(true),
  /** No encryption metadata: stored in plaintext (not written by the gateway). */
  PLAINTEXT(false),
  /** Verified, but its data key is wrapped under another key than the active one: re-wrap it. */
  RETIRED_KEY(false),
  /** An AWS S3 Encryption Client object that verified: convert it ({@code rewrap --convert}). */
  S3EC_OBJECT(false);

  private final boolean failure;

  Finding(boolean failure) {
    this.failure = failure;
  }

  public boolean failure() {
    return failure;
  }

  /** The name in reports and metrics: {@code missing-index}, … */
  public String label() {
    return name().toLowerCase(Locale.ROOT).replace('_', '-');
  }

  /** The finding a failed check means; {@link #UNCHECKED} when it is not the object's fault. */
  static Finding of(Throwable failure) {
    Optional<CryptoException> crypto = CryptoException.of(failure);
    if (crypto.isEmpty()) {
      return UNCHECKED;
    }
    return switch (crypto.get()) {
      case CryptoException.TruncatedCiphertext e -> TRUNCATED;
      case CryptoException.ImpossibleCiphertextSize e -> TRUNCATED;
      case CryptoException.KeyUnwrapFailed e -> WRONG_BINDING;
      case CryptoException.UnknownKey e -> KEY_NOT_FOUND;
      case CryptoException.KeyServiceUnavailable e -> UNCHECKED;
      case CryptoException.UnsupportedVersion e -> UNSUPPORTED;
      case CryptoException.UnsupportedAlgorithm e -> UNSUPPORTED;
      case CryptoException.UnsupportedCompression e -> UNSUPPORTED;
      default -> TAMPERED;
    };
  }
}
