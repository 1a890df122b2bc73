package io.github.s3eg.pipeline;

import io.github.s3eg.backend.BackendClients;
import io.github.s3eg.backend.WriteCondition;
import io.github.s3eg.crypto.CryptoException;
import io.github.s3eg.multipart.MultipartIndexes;
import io.github.s3eg.s3.Preconditions;
import io.github.s3eg.s3.S3ErrorCode;
import io.github.s3eg.s3.S3Exception;
import io.github.s3eg.s3.S3Request;
import software.amazon.awssdk.services.s3.model.NoSuchKeyException;

/**
 * S3's conditional writes ({@code If-None-Match: *}, {@code If-Match: "etag"}) on PutObject,
 * CompleteMultipartUpload and CopyObject's destination, evaluated against the ETag clients see (the
 * plaintext MD5, or the gateway's multipart ETag), never the backend's ciphertext ETag:
 *
 * <ul>
 *   <li>{@code If-None-Match: *} over an existing object: 412 PreconditionFailed; any other
 *       If-None-Match value on a write: 501 NotImplemented, as S3 answers.
 *   <li>{@code If-Match} on a missing key: 404 NoSuchKey; with none of the object's ETags: 412.
 * </ul>
 *
 * A condition that holds travels with the backend write as a {@link WriteCondition}, so the write
 * is as atomic as the backend: {@code If-None-Match: *} as it is, {@code If-Match} as the backend
 * ETag of the object whose client ETag matched. If another writer got in between, the backend
 * refuses (412, or 409 ConditionalRequestConflict) and the client gets that answer.
 */
public final class ConditionalWrites {

  private final BackendClients backend;
  private final PlaintextReader objects;

  ConditionalWrites(BackendClients backend, PlaintextReader objects) {
    this.backend = backend;
    this.objects = objects;
  }

  /** The service behind the {@code checkWriteConditions} step and the copy and Complete steps. */
  public static ConditionalWrites create(
      BackendClients backend, DecryptObject decryption, MultipartIndexes indexes) {
    return new ConditionalWrites(backend, new PlaintextReader(backend, decryption, indexes));
  }

  /**
   * The {@code checkWriteConditions} step (PutObject, before the body is read): checks the
   * request's conditions and keeps what the backend write must carry.
   */
  Step step() {
    return Step.named("checkWriteConditions")
        .callsBackend()
        .provides(Fact.WRITE_CHECKED)
        .does((state, exchange) -> state.provideWriteCondition(evaluate(state.request())));
  }

  /**
   * Checks the conditions of a write to the request's bucket and key.
   *
   * @return what the backend write must carry
   * @throws S3Exception PreconditionFailed, NoSuchKey or NotImplemented as described above
   */
  WriteCondition evaluate(S3Request s3) throws CryptoException {
    String ifNoneMatch = s3.header("If-None-Match");
    String ifMatch = s3.header("If-Match");
    if (ifNoneMatch == null && ifMatch == null) {
      return WriteCondition.NONE;
    }
    if (ifNoneMatch != null && !ifNoneMatch.trim().equals("*")) {
      throw new S3Exception(
              S3ErrorCode.NOT_IMPLEMENTED,
              "A header you provided implies functionality that is not implemented")
          .with("Header", "If-None-Match");
    }
    if (ifMatch == null) {
      if (exists(s3)) {
        throw failed("If-None-Match");
      }
      return WriteCondition.ifAbsent();
    }
    PlaintextReader.Described current;
    try {
      current = objects.describe(s3.bucket(), s3.key());
    } catch (NoSuchKeyException missing) {
      throw new S3Exception(S3ErrorCode.NO_SUCH_KEY, "The specified key does not exist.")
          .with("Key", s3.key());
    } catch (S3Exception unreadable) {
      if (unreadable.errorCode() == S3ErrorCode.ACCESS_DENIED) {
        // Not written through the gateway: no ETag a client was shown can be its.
        throw failed("If-Match");
      }
      throw unreadable;
    }
    if (ifNoneMatch != null) {
      throw failed("If-None-Match");
    }
    if (!Preconditions.matches(ifMatch, current.etag())) {
      throw failed("If-Match");
    }
    return WriteCondition.ifStill(current.head().eTag());
  }

  private boolean exists(S3Request s3) {
    try {
      backend.s3().headObject(h -> h.bucket(s3.bucket()).key(s3.key()));
      return true;
    } catch (NoSuchKeyException missing) {
      return false;
    }
  }

  private static S3Exception failed(String condition) {
    return new S3Exception(
            S3ErrorCode.PRECONDITION_FAILED,
            "At least one of the pre-conditions you specified did not hold")
        .with("Condition", condition);
  }
}
