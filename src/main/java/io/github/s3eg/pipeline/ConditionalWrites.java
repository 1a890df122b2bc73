package io.github.s3eg.pipeline;

import io.github.s3eg.backend.WriteCondition;
import io.github.s3eg.crypto.CryptoException;
import io.github.s3eg.crypto.OpenedObject;
import io.github.s3eg.multipart.MultipartState;
import io.github.s3eg.s3.Preconditions;
import io.github.s3eg.s3.S3ErrorCode;
import io.github.s3eg.s3.S3Exception;
import io.github.s3eg.s3.S3Request;
import java.io.IOException;
import java.util.Optional;
import software.amazon.awssdk.core.ResponseInputStream;
import software.amazon.awssdk.services.s3.model.GetObjectResponse;
import software.amazon.awssdk.services.s3.model.HeadObjectRequest;
import software.amazon.awssdk.services.s3.model.HeadObjectResponse;

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
 *
 * <p>The step {@code checkWriteConditions} asks for what it needs one backend read at a time (the
 * key's HEAD; for a multipart object, its part index), each read a {@code backend:} step of the
 * route, like {@code locateCiphertext}.
 */
public final class ConditionalWrites {

  private final DecryptObject keys;
  private final MultipartState indexCache;

  public ConditionalWrites(DecryptObject keys, MultipartState indexCache) {
    this.keys = keys;
    this.indexCache = indexCache;
  }

  /** One request's check, between its backend reads. */
  static final class Check {
    private final String ifNoneMatch;
    private final String ifMatch;
    private HeadObjectResponse head;
    private CiphertextLocator locator;

    Check(String ifNoneMatch, String ifMatch) {
      this.ifNoneMatch = ifNoneMatch;
      this.ifMatch = ifMatch;
    }
  }

  /**
   * The {@code checkWriteConditions} step: the first call reads the request's conditions and asks
   * for the key's HEAD (none: the write is unconditional); each later call takes the answer to the
   * read it asked for and asks for the next one, until the condition is decided (the body is then
   * null and the state holds the {@link WriteCondition} the backend write carries).
   */
  Step step() {
    return Step.named("checkWriteConditions")
        .callsBackend()
        .provides(Fact.WRITE_CHECKED)
        .does(
            (state, exchange) -> exchange.getIn().setBody(next(state, exchange.getIn().getBody())));
  }

  Object next(RequestState state, Object answer) throws IOException, CryptoException {
    S3Request s3 = state.request();
    Check check = state.writeConditionCheck();
    if (check == null) {
      String ifNoneMatch = s3.header("If-None-Match");
      String ifMatch = s3.header("If-Match");
      if (ifNoneMatch == null && ifMatch == null) {
        state.provideWriteCondition(WriteCondition.NONE);
        return null;
      }
      if (ifNoneMatch != null && !ifNoneMatch.trim().equals("*")) {
        throw new S3Exception(
                S3ErrorCode.NOT_IMPLEMENTED,
                "A header you provided implies functionality that is not implemented")
            .with("Header", "If-None-Match");
      }
      state.beginWriteConditionCheck(new Check(ifNoneMatch, ifMatch));
      return HeadObjectRequest.builder().bucket(s3.bucket()).key(s3.key()).build();
    }
    if (check.locator == null) {
      return headAnswered(state, s3, check, (HeadObjectResponse) answer);
    }
    @SuppressWarnings("unchecked")
    ResponseInputStream<GetObjectResponse> in = (ResponseInputStream<GetObjectResponse>) answer;
    check.locator.accept(in);
    return located(state, check);
  }

  private Object headAnswered(
      RequestState state, S3Request s3, Check check, HeadObjectResponse head)
      throws IOException, CryptoException {
    if (head == null) {
      if (check.ifMatch != null) {
        throw new S3Exception(S3ErrorCode.NO_SUCH_KEY, "The specified key does not exist.")
            .with("Key", s3.key());
      }
      state.provideWriteCondition(WriteCondition.ifAbsent());
      return null;
    }
    if (check.ifMatch == null) {
      throw failed("If-None-Match");
    }
    check.head = head;
    ObjectKey key;
    try {
      key = keys.resolve(s3.bucket(), s3.key(), head.metadata());
    } catch (S3Exception unreadable) {
      if (unreadable.errorCode() == S3ErrorCode.ACCESS_DENIED) {
        // Not written through the gateway: no ETag a client was shown can be its.
        throw failed("If-Match");
      }
      throw unreadable;
    }
    if (key.s3ecOrNull() != null) {
      // An S3 Encryption Client object: the ETag clients were shown is its marked one.
      decide(state, check, S3ecReads.etag(head.eTag()));
      return null;
    }
    Optional<OpenedObject> opened = key.opened();
    if (opened.isEmpty() || !opened.get().isMultipart()) {
      decide(state, check, ObjectOperations.etag(opened.orElse(null), head.eTag()));
      return null;
    }
    check.locator =
        new CiphertextLocator(
            key,
            StoredObject.of(s3.bucket(), s3.key(), head),
            null,
            false,
            indexCache,
            state::release,
            false);
    return located(state, check);
  }

  /** The multipart object's index was found (its ETag then decides), or the next read. */
  private static Object located(RequestState state, Check check) {
    if (check.locator.next() != null) {
      return check.locator.next();
    }
    decide(state, check, ((CiphertextLocator.Located.Described) check.locator.located()).etag());
    return null;
  }

  private static void decide(RequestState state, Check check, String clientEtag) {
    if (check.ifNoneMatch != null) {
      throw failed("If-None-Match");
    }
    if (!Preconditions.matches(check.ifMatch, clientEtag)) {
      throw failed("If-Match");
    }
    state.provideWriteCondition(WriteCondition.ifStill(check.head.eTag()));
  }

  private static S3Exception failed(String condition) {
    return new S3Exception(
            S3ErrorCode.PRECONDITION_FAILED,
            "At least one of the pre-conditions you specified did not hold")
        .with("Condition", condition);
  }
}
