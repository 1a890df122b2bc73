package io.github.s3eg.pipeline;

import io.github.s3eg.crypto.EncryptedPart;
import io.github.s3eg.crypto.EncryptionSession;
import io.github.s3eg.s3.ObjectHeaders;
import java.io.InputStream;
import java.util.Map;

/**
 * A body that may go to the backend: ciphertext, made by {@code encrypt} (a whole object) or {@code
 * encryptPart} (one part of a multipart upload); the constructors are this package's, so a step
 * from elsewhere cannot make one. The backend's write steps take nothing else, so no route edit can
 * send a client's plaintext to the backend: a step that is missing leaves no {@code
 * EncryptedUpload}, and the write fails before it starts.
 */
public sealed interface EncryptedUpload {

  /** The ciphertext, read once by the backend upload. */
  InputStream stream();

  /** Its exact length, sent as the backend's {@code Content-Length}. */
  long length();

  /** A PutObject's ciphertext and what to store with it. */
  final class Whole implements EncryptedUpload {
    private final InputStream stream;
    private final long length;
    private final ObjectHeaders headers;
    private final Map<String, String> storedMetadata;
    private final EncryptionSession session;
    private final boolean etagAfterUpload;
    private final long startedNanos = System.nanoTime();

    /**
     * @param storedMetadata the client's metadata plus the {@code s3eg-} entries
     * @param etagAfterUpload true when the authenticated ETag entry is added after the upload (the
     *     plaintext MD5 was not known before the body)
     */
    Whole(
        InputStream stream,
        long length,
        ObjectHeaders headers,
        Map<String, String> storedMetadata,
        EncryptionSession session,
        boolean etagAfterUpload) {
      this.stream = stream;
      this.length = length;
      this.headers = headers;
      this.storedMetadata =
          java.util.Collections.unmodifiableMap(new java.util.LinkedHashMap<>(storedMetadata));
      this.session = session;
      this.etagAfterUpload = etagAfterUpload;
    }

    @Override
    public InputStream stream() {
      return stream;
    }

    @Override
    public long length() {
      return length;
    }

    /** The object headers to store. */
    public ObjectHeaders headers() {
      return headers;
    }

    /** The user metadata to store. */
    public Map<String, String> storedMetadata() {
      return storedMetadata;
    }

    /** The encryption, for the ETag and metrics once the body went through. */
    public EncryptionSession session() {
      return session;
    }

    public boolean etagAfterUpload() {
      return etagAfterUpload;
    }

    /** When the encryption began ({@link System#nanoTime()}), for the metrics. */
    long startedNanos() {
      return startedNanos;
    }
  }

  /** One part of a multipart upload, encrypted under the upload's data key. */
  final class Part implements EncryptedUpload {
    private final int partNumber;
    private final EncryptedPart part;

    Part(int partNumber, EncryptedPart part) {
      this.partNumber = partNumber;
      this.part = part;
    }

    public int partNumber() {
      return partNumber;
    }

    public EncryptedPart part() {
      return part;
    }

    @Override
    public InputStream stream() {
      return part.stream();
    }

    @Override
    public long length() {
      return part.ciphertextSize();
    }
  }
}
