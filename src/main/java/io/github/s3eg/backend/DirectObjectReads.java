package io.github.s3eg.backend;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;
import software.amazon.awssdk.awscore.exception.AwsErrorDetails;
import software.amazon.awssdk.core.ResponseInputStream;
import software.amazon.awssdk.core.exception.AbortedException;
import software.amazon.awssdk.core.exception.SdkClientException;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.http.AbortableInputStream;
import software.amazon.awssdk.http.HttpExecuteRequest;
import software.amazon.awssdk.http.HttpExecuteResponse;
import software.amazon.awssdk.http.SdkHttpClient;
import software.amazon.awssdk.http.SdkHttpFullRequest;
import software.amazon.awssdk.http.SdkHttpFullResponse;
import software.amazon.awssdk.http.SdkHttpMethod;
import software.amazon.awssdk.http.SdkHttpResponse;
import software.amazon.awssdk.http.auth.aws.signer.AwsV4HttpSigner;
import software.amazon.awssdk.protocols.xml.internal.unmarshall.XmlProtocolUnmarshaller;
import software.amazon.awssdk.retries.api.AcquireInitialTokenRequest;
import software.amazon.awssdk.retries.api.AcquireInitialTokenResponse;
import software.amazon.awssdk.retries.api.RecordSuccessRequest;
import software.amazon.awssdk.retries.api.RefreshRetryTokenRequest;
import software.amazon.awssdk.retries.api.RefreshRetryTokenResponse;
import software.amazon.awssdk.retries.api.RetryStrategy;
import software.amazon.awssdk.retries.api.RetryToken;
import software.amazon.awssdk.retries.api.TokenAcquisitionFailedException;
import software.amazon.awssdk.services.s3.model.GetObjectRequest;
import software.amazon.awssdk.services.s3.model.GetObjectResponse;
import software.amazon.awssdk.services.s3.model.HeadObjectRequest;
import software.amazon.awssdk.services.s3.model.HeadObjectResponse;
import software.amazon.awssdk.services.s3.model.InvalidObjectStateException;
import software.amazon.awssdk.services.s3.model.NoSuchBucketException;
import software.amazon.awssdk.services.s3.model.NoSuchKeyException;
import software.amazon.awssdk.services.s3.model.S3Exception;
import software.amazon.awssdk.utils.DateUtils;

/**
 * GetObject and HeadObject of one object without the SDK's request pipeline: the request is built,
 * signed with the SDK's SigV4 signer and sent on the backend clients' HTTP client, and the answer's
 * headers are read into the SDK's response types by the SDK's own unmarshaller. For a small object
 * the SDK pipeline (interceptors, execution attributes, endpoint and auth scheme resolution) cost
 * about a third of the gateway's CPU per GET; the answer is the same.
 *
 * <p>Everything around the request stays as the SDK does it, so the steps after it cannot tell the
 * difference: the same headers are signed ({@code UNSIGNED-PAYLOAD}: there is no body), a refusal
 * is the same exception (NoSuchKey, NoSuchBucket and InvalidObjectState as their own types, a
 * HEAD's bodiless 404 as NoSuchKey, 304/412/416 as an S3Exception with that status), and failures
 * are retried by the same {@link RetryStrategy} object the SDK client uses (same attempts, backoff
 * and retry quota). The body streams: it is handed on as the connection gives it.
 *
 * <p>Only requests made of the fields below are read here ({@link #handles}); anything else (a
 * customer key, response header overrides, a checksum mode …) goes to the SDK.
 */
public final class DirectObjectReads {

  /** How much of an error answer is read for its code and message. */
  private static final int MAX_ERROR_BYTES = 64 * 1024;

  private static final XmlProtocolUnmarshaller UNMARSHALLER = XmlProtocolUnmarshaller.create();

  private final SdkHttpClient http;
  private final BackendAddress address;
  private final String region;
  private final AwsCredentialsProvider credentials;
  private final RetryStrategy retries;
  private final AwsV4HttpSigner signer = new UnsignedPayloadSigner();

  DirectObjectReads(
      SdkHttpClient http,
      BackendAddress address,
      String region,
      AwsCredentialsProvider credentials,
      RetryStrategy retries) {
    this.http = http;
    this.address = address;
    this.region = region;
    this.credentials = credentials;
    this.retries = retries;
  }

  /** True when {@code r} sets only what this class sends (bucket, key, version, range, if-*). */
  public static boolean handles(GetObjectRequest r) {
    return r.overrideConfiguration().isEmpty()
        && r.equals(
            GetObjectRequest.builder()
                .bucket(r.bucket())
                .key(r.key())
                .versionId(r.versionId())
                .range(r.range())
                .partNumber(r.partNumber())
                .ifMatch(r.ifMatch())
                .ifNoneMatch(r.ifNoneMatch())
                .ifModifiedSince(r.ifModifiedSince())
                .ifUnmodifiedSince(r.ifUnmodifiedSince())
                .build());
  }

  /** True when {@code r} sets only what this class sends (bucket, key, version, range, if-*). */
  public static boolean handles(HeadObjectRequest r) {
    return r.overrideConfiguration().isEmpty()
        && r.equals(
            HeadObjectRequest.builder()
                .bucket(r.bucket())
                .key(r.key())
                .versionId(r.versionId())
                .range(r.range())
                .partNumber(r.partNumber())
                .ifMatch(r.ifMatch())
                .ifNoneMatch(r.ifNoneMatch())
                .ifModifiedSince(r.ifModifiedSince())
                .ifUnmodifiedSince(r.ifUnmodifiedSince())
                .build());
  }

  /**
   * The object (or the range asked for) as a stream with the backend's answer.
   *
   * @throws S3Exception the backend refused (as the SDK's {@code getObject} throws it)
   * @throws SdkClientException the backend could not be reached, after the retries
   */
  public ResponseInputStream<GetObjectResponse> getObject(GetObjectRequest r) {
    SdkHttpFullRequest.Builder b = address.request(SdkHttpMethod.GET, r.bucket(), r.key());
    conditions(
        b,
        r.versionId(),
        r.partNumber(),
        r.range(),
        r.ifMatch(),
        r.ifNoneMatch(),
        r.ifModifiedSince(),
        r.ifUnmodifiedSince());
    SdkHttpFullRequest request = b.build();
    return withRetries(
        () -> {
          HttpExecuteResponse answer = send(request, false);
          GetObjectResponse.Builder response = GetObjectResponse.builder();
          GetObjectResponse unmarshalled = UNMARSHALLER.unmarshall(response, full(answer));
          AbortableInputStream body =
              answer
                  .responseBody()
                  .orElseGet(() -> AbortableInputStream.create(InputStream.nullInputStream()));
          return new ResponseInputStream<>(
              (GetObjectResponse)
                  unmarshalled.toBuilder().sdkHttpResponse(answer.httpResponse()).build(),
              body);
        });
  }

  /**
   * The backend's HEAD answer for the object.
   *
   * @throws S3Exception the backend refused (a missing object is {@link NoSuchKeyException})
   * @throws SdkClientException the backend could not be reached, after the retries
   */
  public HeadObjectResponse headObject(HeadObjectRequest r) {
    SdkHttpFullRequest.Builder b = address.request(SdkHttpMethod.HEAD, r.bucket(), r.key());
    conditions(
        b,
        r.versionId(),
        r.partNumber(),
        r.range(),
        r.ifMatch(),
        r.ifNoneMatch(),
        r.ifModifiedSince(),
        r.ifUnmodifiedSince());
    SdkHttpFullRequest request = b.build();
    return withRetries(
        () -> {
          HttpExecuteResponse answer = send(request, true);
          answer.responseBody().ifPresent(DirectObjectReads::closeQuietly);
          HeadObjectResponse unmarshalled =
              UNMARSHALLER.unmarshall(HeadObjectResponse.builder(), full(answer));
          return (HeadObjectResponse)
              unmarshalled.toBuilder().sdkHttpResponse(answer.httpResponse()).build();
        });
  }

  private static void conditions(
      SdkHttpFullRequest.Builder b,
      String versionId,
      Integer partNumber,
      String range,
      String ifMatch,
      String ifNoneMatch,
      Instant ifModifiedSince,
      Instant ifUnmodifiedSince) {
    if (versionId != null) {
      b.putRawQueryParameter("versionId", versionId);
    }
    if (partNumber != null) {
      b.putRawQueryParameter("partNumber", partNumber.toString());
    }
    if (range != null) {
      b.putHeader("Range", range);
    }
    if (ifMatch != null) {
      b.putHeader("If-Match", ifMatch);
    }
    if (ifNoneMatch != null) {
      b.putHeader("If-None-Match", ifNoneMatch);
    }
    if (ifModifiedSince != null) {
      b.putHeader("If-Modified-Since", DateUtils.formatRfc822Date(ifModifiedSince));
    }
    if (ifUnmodifiedSince != null) {
      b.putHeader("If-Unmodified-Since", DateUtils.formatRfc822Date(ifUnmodifiedSince));
    }
  }

  /** One attempt: signs {@code request} now and sends it; a refusal is thrown as the SDK would. */
  private HttpExecuteResponse send(SdkHttpFullRequest request, boolean head) {
    SdkHttpFullRequest.Builder unsigned = request.toBuilder();
    var signed =
        signer.sign(
            s ->
                s.identity(credentials.resolveCredentials())
                    .request(unsigned.build())
                    .putProperty(AwsV4HttpSigner.SERVICE_SIGNING_NAME, "s3")
                    .putProperty(AwsV4HttpSigner.REGION_NAME, region)
                    .putProperty(AwsV4HttpSigner.DOUBLE_URL_ENCODE, false)
                    .putProperty(AwsV4HttpSigner.NORMALIZE_PATH, false)
                    .putProperty(AwsV4HttpSigner.PAYLOAD_SIGNING_ENABLED, false));
    HttpExecuteResponse answer;
    try {
      answer =
          http.prepareRequest(HttpExecuteRequest.builder().request(signed.request()).build())
              .call();
    } catch (IOException e) {
      throw SdkClientException.builder()
          .message("Unable to execute HTTP request: " + e.getMessage())
          .cause(e)
          .build();
    }
    int status = answer.httpResponse().statusCode();
    if (status >= 200 && status < 300) {
      return answer;
    }
    throw refusal(answer, head);
  }

  /** The exception the SDK's S3 client throws for this answer (its XML error, or the status). */
  private static S3Exception refusal(HttpExecuteResponse answer, boolean head) {
    SdkHttpResponse response = answer.httpResponse();
    byte[] body = errorBody(answer);
    Map<String, String> error = ForwardedRequests.errorDocument(body);
    String code = error.get("Code");
    String message = error.get("Message");
    if (head && response.statusCode() == 404) {
      // The SDK's ExceptionTranslationInterceptor: a HEAD has no body to say which is missing.
      code = "NoSuchKey";
      message = "The specified key does not exist.";
    }
    String requestId =
        response
            .firstMatchingHeader("x-amz-request-id")
            .orElse(response.firstMatchingHeader("x-amz-id-2").orElse(null));
    S3Exception.Builder b =
        switch (code == null ? "" : code) {
          case "NoSuchKey" -> NoSuchKeyException.builder();
          case "NoSuchBucket" -> NoSuchBucketException.builder();
          case "InvalidObjectState" -> InvalidObjectStateException.builder();
          default -> S3Exception.builder();
        };
    return (S3Exception)
        b.statusCode(response.statusCode())
            .requestId(requestId)
            .extendedRequestId(response.firstMatchingHeader("x-amz-id-2").orElse(null))
            .message(message)
            .awsErrorDetails(
                AwsErrorDetails.builder()
                    .errorCode(code)
                    .errorMessage(message)
                    .serviceName("S3")
                    .sdkHttpResponse(response)
                    .build())
            .build();
  }

  private static byte[] errorBody(HttpExecuteResponse answer) {
    if (answer.responseBody().isEmpty()) {
      return new byte[0];
    }
    AbortableInputStream in = answer.responseBody().get();
    try (in) {
      byte[] bytes = in.readNBytes(MAX_ERROR_BYTES + 1);
      if (bytes.length > MAX_ERROR_BYTES) {
        in.abort(); // not an S3 error document; not worth draining
        return new byte[0];
      }
      return bytes;
    } catch (IOException e) {
      return new byte[0];
    }
  }

  private static SdkHttpFullResponse full(HttpExecuteResponse answer) {
    SdkHttpResponse r = answer.httpResponse();
    return SdkHttpFullResponse.builder()
        .statusCode(r.statusCode())
        .statusText(r.statusText().orElse(null))
        .headers(r.headers())
        .build();
  }

  private static void closeQuietly(InputStream in) {
    try {
      in.close();
    } catch (IOException ignored) {
      // a HEAD answer has no body; nothing was lost
    }
  }

  /** One attempt of a call. */
  @FunctionalInterface
  private interface Attempt<T> {
    T run();
  }

  /** Runs {@code attempt} until it succeeds or {@link #retries} says to stop, as the SDK does. */
  private <T> T withRetries(Attempt<T> attempt) {
    AcquireInitialTokenResponse initial =
        retries.acquireInitialToken(AcquireInitialTokenRequest.create("s3"));
    RetryToken token = initial.token();
    pause(initial.delay());
    while (true) {
      try {
        T result = attempt.run();
        retries.recordSuccess(RecordSuccessRequest.create(token));
        return result;
      } catch (SdkException | UncheckedIOException failure) {
        RefreshRetryTokenResponse refreshed;
        try {
          refreshed =
              retries.refreshRetryToken(
                  RefreshRetryTokenRequest.builder().token(token).failure(failure).build());
        } catch (TokenAcquisitionFailedException noMore) {
          throw failure;
        }
        token = refreshed.token();
        pause(refreshed.delay());
      }
    }
  }

  private static void pause(Duration delay) {
    if (delay.isZero() || delay.isNegative()) {
      return;
    }
    try {
      Thread.sleep(delay);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw AbortedException.builder().message("Thread was interrupted").cause(e).build();
    }
  }
}
