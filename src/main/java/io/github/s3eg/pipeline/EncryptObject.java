package io.github.s3eg.pipeline;

import io.github.s3eg.backend.ContentMd5;
import io.github.s3eg.crypto.Compression;
import io.github.s3eg.crypto.CryptoException;
import io.github.s3eg.crypto.EncryptionSession;
import io.github.s3eg.crypto.ObjectEncryptor;
import io.github.s3eg.crypto.ObjectMetadata;
import io.github.s3eg.crypto.PlaintextChecksum;
import io.github.s3eg.s3.ObjectHeaders;
import io.github.s3eg.s3.S3ErrorCode;
import io.github.s3eg.s3.S3Exception;
import io.github.s3eg.s3.S3Request;
import io.github.s3eg.s3.body.ClientChecksum;
import io.github.s3eg.versions.LockSettings;
import io.github.s3eg.versions.WriteRequirements;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.util.Base64;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import org.apache.camel.Exchange;
import org.apache.camel.spi.Synchronization;

/**
 * The {@code encrypt} step of PutObject: replaces the plaintext body with its encryption (object
 * format v1, see {@code docs/object-format.md}) and sets the backend length to the ciphertext
 * length, computed from the plaintext length before a byte is read.
 *
 * <p>S3 clients check that the ETag is the plaintext MD5. The MD5 is stored in authenticated
 * metadata, and metadata travels before the body, so:
 *
 * <ul>
 *   <li>with {@code Content-MD5} from the client (awscli, boto3, rclone) the entry is sealed up
 *       front; the body verification fails the upload before its last byte if the MD5 is wrong;
 *   <li>a body up to {@code ENCRYPTION_SPOOL_LIMIT} is encrypted into memory first;
 *   <li>a larger body is uploaded, then the entry is added by a metadata-only server-side copy;
 *   <li>except in a bucket with versioning (where that copy would be a second version) or one that
 *       wants the ciphertext's MD5 (Object Lock, {@link WriteRequirements}): there a larger body's
 *       ciphertext is spooled first ({@link UploadSpool}), so the PUT carries everything.
 * </ul>
 *
 * <p>The ciphertext's own MD5 goes to the backend as {@code Content-MD5} whenever the ciphertext is
 * known whole before the upload (in memory or spooled).
 *
 * <p>The client's {@code x-amz-checksum-*} of the plaintext is kept the same way, as the
 * authenticated entry {@code s3eg-sum}: sealed up front when it came as a header, after the body
 * when it came as an aws-chunked trailer (in memory up to the spool limit, else by the same
 * metadata-only copy that records the ETag).
 *
 * <p>When the {@code compress} step chose compression, the session compresses the plaintext into
 * frames before encrypting it (object format version 2). The body length then depends on the data,
 * so the ciphertext is spooled ({@link UploadSpool}) and uploaded with its exact length; the
 * plaintext has been read and verified by then, so the authenticated ETag entry always goes on the
 * PUT.
 */
public final class EncryptObject {

  private final ObjectEncryptor encryptor;
  private final long spoolLimit;
  private final int compressionLevel;
  private WriteRequirements requirements;

  public EncryptObject(ObjectEncryptor encryptor, long spoolLimit, int compressionLevel) {
    this.encryptor = encryptor;
    this.spoolLimit = spoolLimit;
    this.compressionLevel = compressionLevel;
  }

  /** Uploads larger than the spool limit follow the bucket's {@link WriteRequirements}. */
  public void followBucketRequirements(WriteRequirements requirements) {
    this.requirements = requirements;
  }

  /**
   * Whether a body too large for memory is spooled anyway: its bucket wants the MD5 of its
   * ciphertext, or has versioning and would otherwise get its ETag entry by a second write.
   */
  private boolean mustSpool(S3Request s3, boolean metadataAfterUpload) {
    if (requirements == null) {
      return false;
    }
    WriteRequirements.Needs needs =
        requirements.of(s3.bucket(), !LockSettings.fromRequest(s3).isEmpty());
    return needs.ciphertextMd5() || (needs.metadataUpFront() && metadataAfterUpload);
  }

  Step step() {
    return Step.named("encrypt")
        .requires(
            Fact.REQUEST_BODY, Fact.COMPRESSION_CHOSEN, Fact.WRITE_CHECKED, Fact.BUCKET_FEATURES)
        .provides(Fact.CIPHERTEXT)
        .does(
            (state, exchange) -> {
              EncryptedUpload.Whole upload = encrypt(state, exchange);
              state.provideCiphertext(upload);
              exchange
                  .getIn()
                  .setBody(
                      ObjectOperations.putObjectRequest(
                          state.request(), upload, state.writeCondition(), state.acl()));
            });
  }

  EncryptedUpload.Whole encrypt(RequestState state, Exchange exchange)
      throws IOException, CryptoException {
    S3Request s3 = state.request();
    if (requirements != null) {
      requirements.requireObjectLockFor(s3.bucket(), LockSettings.fromRequest(s3));
    }
    ObjectHeaders headers = ObjectHeaders.fromRequest(s3);
    rejectReservedMetadata(headers.userMetadata());
    InputStream plaintext = state.body().stream();
    long length = state.body().length();

    Optional<Compression> compression = state.compression();
    if (compression.isPresent()) {
      return encryptCompressed(state, exchange, s3, headers, plaintext, compression.get());
    }
    byte[] declaredMd5 = declaredMd5(s3);
    EncryptionSession session;
    if (declaredMd5 == null) {
      session = encryptor.begin(s3.bucket(), s3.key());
    } else {
      // readRequestBody verifies Content-MD5 before the body's last byte: computing the MD5 again
      // here would hash every byte twice.
      session = encryptor.begin(s3.bucket(), s3.key(), EnumSet.noneOf(PlaintextChecksum.class));
      session.useVerifiedMd5(declaredMd5);
    }
    Optional<ClientChecksum> checksum = state.body().checksum();
    Map<String, String> stored = new LinkedHashMap<>(headers.userMetadata());
    stored.putAll(session.metadata());
    boolean sealedUpFront = checksum.isEmpty() || checksum.get().knownUpFront();
    checksum
        .filter(ClientChecksum::knownUpFront)
        .ifPresent(c -> stored.putAll(sealedChecksum(session, c)));
    boolean metadataAfterUpload = false;
    String ciphertextMd5 = null;
    InputStream ciphertext;
    if (length <= spoolLimit && !(declaredMd5 != null && sealedUpFront)) {
      byte[] sealed = session.encrypt(plaintext).readAllBytes();
      stored.putAll(session.sealedTrailerMetadata());
      checksum.ifPresent(c -> stored.putAll(sealedChecksum(session, c)));
      ciphertext = new ByteArrayInputStream(sealed);
      ciphertextMd5 = ContentMd5.of(sealed);
    } else if (mustSpool(s3, declaredMd5 == null || !sealedUpFront)) {
      // Versioning or Object Lock: the whole ciphertext first (see WriteRequirements).
      UploadSpool spool = UploadSpool.fill(session.encrypt(plaintext), spoolLimit);
      exchange.getExchangeExtension().addOnCompletion(new SpoolCleanup(spool));
      stored.putAll(session.sealedTrailerMetadata());
      checksum.ifPresent(c -> stored.putAll(sealedChecksum(session, c)));
      ciphertext = spool.open();
      ciphertextMd5 = ContentMd5.encode(spool.md5());
    } else {
      if (declaredMd5 != null) {
        stored.putAll(session.sealedTrailerMetadata(declaredMd5, length));
      }
      ciphertext = session.encrypt(plaintext);
      metadataAfterUpload = declaredMd5 == null || !sealedUpFront;
    }
    return new EncryptedUpload.Whole(
        ciphertext,
        session.ciphertextSize(length),
        headers,
        stored,
        session,
        metadataAfterUpload,
        checksum,
        ciphertextMd5);
  }

  private static Map<String, String> sealedChecksum(
      EncryptionSession session, ClientChecksum checksum) {
    return session.sealedChecksumMetadata(checksum.algorithm().name(), checksum.value());
  }

  private EncryptedUpload.Whole encryptCompressed(
      RequestState state,
      Exchange exchange,
      S3Request s3,
      ObjectHeaders headers,
      InputStream plaintext,
      Compression compression)
      throws IOException, CryptoException {
    EncryptionSession session =
        encryptor.begin(s3.bucket(), s3.key(), compression, compressionLevel);
    UploadSpool spool = UploadSpool.fill(session.encrypt(plaintext), spoolLimit);
    // Deleted however the exchange ends; reading the body to its end also deletes it.
    exchange.getExchangeExtension().addOnCompletion(new SpoolCleanup(spool));
    Map<String, String> stored = new LinkedHashMap<>(headers.userMetadata());
    stored.putAll(session.completeMetadata());
    Optional<ClientChecksum> checksum = state.body().checksum();
    checksum.ifPresent(c -> stored.putAll(sealedChecksum(session, c)));
    return new EncryptedUpload.Whole(
        spool.open(),
        spool.length(),
        headers,
        stored,
        session,
        false,
        checksum,
        ContentMd5.encode(spool.md5()));
  }

  /** Deletes a spool file when the exchange is done, whether the upload happened or not. */
  record SpoolCleanup(UploadSpool spool) implements Synchronization {
    @Override
    public void onComplete(Exchange exchange) {
      close();
    }

    @Override
    public void onFailure(Exchange exchange) {
      close();
    }

    private void close() {
      try {
        spool.close();
      } catch (IOException e) {
        // The file is in the temporary directory; the next cleaner removes it.
      }
    }
  }

  /** Clients cannot set the gateway's own metadata: it would let them forge encryption state. */
  static void rejectReservedMetadata(Map<String, String> userMetadata) {
    for (String name : userMetadata.keySet()) {
      if (ObjectMetadata.isCryptoEntry(name)) {
        throw new S3Exception(
                S3ErrorCode.INVALID_ARGUMENT,
                "Metadata names starting with x-amz-meta-"
                    + ObjectMetadata.PREFIX
                    + " are reserved by the gateway")
            .with("ArgumentName", "x-amz-meta-" + name);
      }
    }
  }

  /** The client's Content-MD5 (already validated by the body verification), or null. */
  static byte[] declaredMd5(S3Request s3) {
    String header = s3.header("Content-MD5");
    return header == null ? null : Base64.getDecoder().decode(header.trim());
  }
}
