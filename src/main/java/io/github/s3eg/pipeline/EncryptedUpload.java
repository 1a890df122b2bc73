package io.github.s3eg.pipeline;

import io.github.s3eg.crypto.EncryptedPart;
import io.github.s3eg.crypto.EncryptionSession;
import io.github.s3eg.s3.ObjectHeaders;
import io.github.s3eg.s3.body.ClientChecksum;
import io.github.s3eg.s3.checksum.ObjectChecksum;
import java.io.InputStream;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

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
    private final boolean metadataAfterUpload;
    private final Optional<ClientChecksum> checksum;
    private final String ciphertextMd5;
    private final long startedNanos = System.nanoTime();

    /**
     * @param storedMetadata the client's metadata plus the {@code s3eg-} entries
     * @param metadataAfterUpload true when authenticated entries are added after the upload (the
     *     plaintext MD5, or the client's trailing checksum, was not known before the body)
     * @param checksum the client's checksum of the plaintext, if it sent one
     * @param ciphertextMd5 the {@code Content-MD5} of the ciphertext when it is known before the
     *     upload (in memory or spooled), else null
     */
    Whole(
        InputStream stream,
        long length,
        ObjectHeaders headers,
        Map<String, String> storedMetadata,
        EncryptionSession session,
        boolean metadataAfterUpload,
        Optional<ClientChecksum> checksum,
        String ciphertextMd5) {
      this.stream = stream;
      this.ciphertextMd5 = ciphertextMd5;
      this.length = length;
      this.headers = headers;
      this.storedMetadata =
          java.util.Collections.unmodifiableMap(new java.util.LinkedHashMap<>(storedMetadata));
      this.session = session;
      this.metadataAfterUpload = metadataAfterUpload;
      this.checksum = checksum;
    }

    @Override
    public InputStream stream() {
      return stream;
    }

    @Override
    public long length() {
      return length;
    }

    /** The ciphertext's {@code Content-MD5}, or null when it was not known before the upload. */
    public String ciphertextMd5() {
      return ciphertextMd5;
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

    /**
     * Whether {@link #metadataAfterUpload()} still has to be recorded once the body went through.
     */
    public boolean etagAfterUpload() {
      return metadataAfterUpload;
    }

    /** The authenticated entries known only after the body: ETag and size, and the checksum. */
    public Map<String, String> metadataAfterUpload() {
      Map<String, String> m = new LinkedHashMap<>(session.sealedTrailerMetadata());
      checksum.ifPresent(
          c -> m.putAll(session.sealedChecksumMetadata(c.algorithm().name(), c.value())));
      return m;
    }

    /** The checksum S3 answers a PUT with ({@code x-amz-checksum-*}, FULL_OBJECT). */
    public Optional<ObjectChecksum> answeredChecksum() {
      return checksum.map(c -> ObjectChecksum.fullObject(c.algorithm(), c.value()));
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
    private final InputStream spooled;

    Part(int partNumber, EncryptedPart part) {
      this(partNumber, part, null);
    }

    /**
     * @param spooled the part's ciphertext read back from a spool (its MD5 was needed before the
     *     upload), or null to stream it as it is encrypted
     */
    Part(int partNumber, EncryptedPart part, InputStream spooled) {
      this.partNumber = partNumber;
      this.part = part;
      this.spooled = spooled;
    }

    public int partNumber() {
      return partNumber;
    }

    public EncryptedPart part() {
      return part;
    }

    @Override
    public InputStream stream() {
      return spooled != null ? spooled : part.stream();
    }

    @Override
    public long length() {
      return part.ciphertextSize();
    }
  }
}
