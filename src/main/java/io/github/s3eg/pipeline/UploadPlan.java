package io.github.s3eg.pipeline;

import io.github.s3eg.crypto.EncryptionSession;
import io.github.s3eg.s3.ObjectHeaders;
import java.util.Map;

/**
 * What {@code encrypt} decided for one PutObject, kept in the exchange property {@value #PROPERTY}
 * for {@code putObject}: the headers to store, the user metadata to store (the client's plus the
 * {@code s3eg-} entries), and whether the authenticated ETag entry still has to be added after the
 * upload (when the plaintext MD5 was not known before the body).
 */
public record UploadPlan(
    ObjectHeaders headers,
    Map<String, String> storedMetadata,
    EncryptionSession session,
    boolean etagAfterUpload) {

  public static final String PROPERTY = "s3UploadPlan";
}
