package io.github.s3eg.pipeline;

import io.github.s3eg.crypto.CryptoException;
import io.github.s3eg.crypto.CryptoIOException;
import io.github.s3eg.s3.S3ErrorCode;
import io.github.s3eg.s3.S3Exception;
import io.github.s3eg.s3.S3Request;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Maps encryption failures to what the client sees. An object that fails its integrity or binding
 * checks is a 500 InternalError with a clear message (and a warning in the log naming the object
 * and the reason); an unreachable key service is 503 ServiceUnavailable; an object under a key the
 * gateway does not have is 403 EncryptionKeyNotFound naming that key (GET, HEAD, copy alike: a
 * client retry cannot help). Never key material, never the raw exception text of a KMS.
 */
final class CryptoErrors {

  private static final Logger LOG = LoggerFactory.getLogger(CryptoErrors.class);

  private CryptoErrors() {}

  static S3Exception map(Throwable failure, S3Request request, String requestId) {
    CryptoException crypto = null;
    for (Throwable t = failure; t != null && crypto == null; t = t.getCause()) {
      if (t instanceof CryptoException c) {
        crypto = c;
      } else if (t instanceof CryptoIOException io) {
        crypto = io.crypto();
      }
    }
    if (crypto == null) {
      return null;
    }
    String object = request == null ? "?" : request.resource();
    LOG.warn(
        "request {}: {} on {}: {}",
        requestId,
        crypto.getClass().getSimpleName(),
        object,
        crypto.getMessage());
    return switch (crypto) {
      case CryptoException.KeyServiceUnavailable e ->
          new S3Exception(
              S3ErrorCode.SERVICE_UNAVAILABLE, "The key service is unavailable; please retry.");
      case CryptoException.UnknownKey e when e.objectKey().isPresent() ->
          new S3Exception(
                  S3ErrorCode.ENCRYPTION_KEY_NOT_FOUND,
                  "The object is encrypted under key "
                      + e.objectKey().get().encode()
                      + ", which this gateway does not have. Restore the key it was written"
                      + " with (the key file, the same ENCRYPTION_PASSWORD and salt, or the key"
                      + " manager's key) and restart the gateway; see docs/troubleshooting.md,"
                      + " \"A lost or changed key\".")
              .with("EncryptionKeyId", e.objectKey().get().encode());
      case CryptoException.UnknownKey e ->
          new S3Exception(
              S3ErrorCode.INTERNAL_ERROR,
              "The gateway's active key is not available: " + e.getMessage());
      case CryptoException.UnsupportedCompression e ->
          new S3Exception(
              S3ErrorCode.INTERNAL_ERROR,
              "The object's compression is not available on this gateway: " + e.getMessage());
      case CryptoException.UnsupportedAlgorithm e ->
          new S3Exception(
              S3ErrorCode.INTERNAL_ERROR,
              "The object's encryption algorithm is not enabled: " + e.getMessage());
      default ->
          new S3Exception(
              S3ErrorCode.INTERNAL_ERROR,
              "The stored object failed its integrity check ("
                  + crypto.getClass().getSimpleName()
                  + "); it is not served.");
    };
  }
}
