package io.github.s3eg.crypto;

import java.io.IOException;

/**
 * The form in which encrypting and decrypting streams report a {@link CryptoException}: an {@link
 * IOException}, so it travels through {@code InputStream} APIs (Camel, the AWS SDK, {@code
 * transferTo}) unchanged. {@link #crypto()} returns the typed cause.
 */
public final class CryptoIOException extends IOException {

  CryptoIOException(CryptoException cause) {
    super(cause.getMessage(), cause);
  }

  /** The typed failure. */
  public CryptoException crypto() {
    return (CryptoException) getCause();
  }
}
