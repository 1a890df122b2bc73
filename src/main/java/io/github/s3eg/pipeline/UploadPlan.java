package io.github.s3eg.pipeline;

import io.github.s3eg.crypto.EncryptionSession;
import io.github.s3eg.s3.ObjectHeaders;
import io.github.s3eg.s3.body.ClientChecksum;
import io.github.s3eg.s3.checksum.ObjectChecksum;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * What {@code encrypt} decided for one PutObject, kept in the exchange property {@value #PROPERTY}
 * for {@code putObject}: the headers to store, the user metadata to store (the client's plus the
 * {@code s3eg-} entries), and whether the authenticated ETag entry still has to be added after the
 * upload (when the plaintext MD5, or the client's trailing checksum, was not known before the
 * body), the client's checksum of the plaintext, if it sent one, and the {@code Content-MD5} of the
 * ciphertext when it is known before the upload (null otherwise).
 */
public record UploadPlan(
    ObjectHeaders headers,
    Map<String, String> storedMetadata,
    EncryptionSession session,
    boolean etagAfterUpload,
    Optional<ClientChecksum> checksum,
    String ciphertextMd5) {

  public static final String PROPERTY = "s3UploadPlan";

  /** A plan without a client checksum, whose ciphertext MD5 is not known up front. */
  public UploadPlan(
      ObjectHeaders headers,
      Map<String, String> storedMetadata,
      EncryptionSession session,
      boolean etagAfterUpload) {
    this(headers, storedMetadata, session, etagAfterUpload, Optional.empty(), null);
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
}
