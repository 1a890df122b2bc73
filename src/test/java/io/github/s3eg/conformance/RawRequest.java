package io.github.s3eg.conformance;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import software.amazon.awssdk.http.ContentStreamProvider;
import software.amazon.awssdk.http.HttpExecuteRequest;
import software.amazon.awssdk.http.HttpExecuteResponse;
import software.amazon.awssdk.http.SdkHttpClient;
import software.amazon.awssdk.http.SdkHttpFullRequest;
import software.amazon.awssdk.http.SdkHttpMethod;
import software.amazon.awssdk.http.SdkHttpRequest;
import software.amazon.awssdk.http.auth.aws.signer.AwsV4FamilyHttpSigner;
import software.amazon.awssdk.http.auth.aws.signer.AwsV4HttpSigner;
import software.amazon.awssdk.http.auth.spi.signer.HttpSigner;
import software.amazon.awssdk.identity.spi.AwsCredentialsIdentity;
import software.amazon.awssdk.utils.http.SdkHttpUtils;

/**
 * A request built by hand for what no SDK operation sends (a raw query, a malformed header, no
 * signature, a signature made an hour ago), signed with SigV4 by the SDK's own signer unless asked
 * otherwise. Built from {@link CaseContext#request}.
 */
public final class RawRequest {

  private final SdkHttpClient http;
  private final java.util.concurrent.atomic.AtomicInteger retried;
  private final Target target;
  private final String method;
  private String bucket;
  private String encodedKey;
  private String rawPath;
  private final Map<String, String> query = new LinkedHashMap<>();
  private final Map<String, List<String>> headers = new LinkedHashMap<>();
  private byte[] body;
  private String accessKey;
  private String secretKey;
  private Instant signedAt;
  private boolean unsignedPayload;
  private byte[] signedBody;

  RawRequest(
      SdkHttpClient http,
      Target target,
      String method,
      java.util.concurrent.atomic.AtomicInteger retried) {
    this.http = http;
    this.retried = retried;
    this.target = target;
    this.method = method;
    this.accessKey = target.accessKey();
    this.secretKey = target.secretKey();
  }

  public RawRequest bucket(String bucket) {
    this.bucket = bucket;
    return this;
  }

  /** The object key, percent-encoded as S3 clients do (every byte but unreserved ones and '/'). */
  public RawRequest key(String key) {
    this.encodedKey = SdkHttpUtils.urlEncodeIgnoreSlashes(key);
    return this;
  }

  /** The request path exactly as given (already encoded), instead of bucket and key. */
  public RawRequest rawPath(String path) {
    this.rawPath = path;
    return this;
  }

  /** A query parameter {@code name=value}; a null value sends the bare name ({@code ?uploads}). */
  public RawRequest query(String name, String value) {
    query.put(name, value);
    return this;
  }

  public RawRequest header(String name, String value) {
    headers.computeIfAbsent(name, n -> new ArrayList<>()).add(value);
    return this;
  }

  public RawRequest body(byte[] body) {
    this.body = body;
    return this;
  }

  public RawRequest body(String body) {
    return body(body.getBytes(StandardCharsets.UTF_8));
  }

  /** Signs as if the body were {@code body} while sending the real one (a tampered body). */
  public RawRequest signedBody(byte[] body) {
    this.signedBody = body;
    return this;
  }

  /** Signs with these credentials instead of the target's. */
  public RawRequest credentials(String accessKey, String secretKey) {
    this.accessKey = accessKey;
    this.secretKey = secretKey;
    return this;
  }

  /** Signs as if the clock said {@code instant}. */
  public RawRequest signedAt(Instant instant) {
    this.signedAt = instant;
    return this;
  }

  /** Signs with {@code x-amz-content-sha256: UNSIGNED-PAYLOAD} instead of the body's hash. */
  public RawRequest unsignedPayload() {
    this.unsignedPayload = true;
    return this;
  }

  /** Sends the request signed with SigV4 in the Authorization header. */
  public HttpResult send() {
    return execute(sign(unsigned(true), false, null));
  }

  /** Sends the request without any signature. */
  public HttpResult sendAnonymous() {
    return execute(unsigned(true));
  }

  /** A presigned URL (SigV4 query string) valid for {@code expires} from the signing time. */
  public URI presign(Duration expires) {
    return sign(unsigned(false), true, expires).getUri();
  }

  /** {@code closeConnection}: a fresh connection for this request (not for a URL to share). */
  private SdkHttpFullRequest unsigned(boolean closeConnection) {
    String path;
    if (rawPath != null) {
      path = rawPath;
    } else if (bucket == null) {
      path = "/";
    } else {
      path = "/" + bucket + (encodedKey == null ? "" : "/" + encodedKey);
    }
    SdkHttpFullRequest.Builder b =
        SdkHttpFullRequest.builder()
            .method(SdkHttpMethod.fromValue(method))
            .uri(target.endpoint())
            .encodedPath(path);
    query.forEach(b::putRawQueryParameter);
    headers.forEach(b::putHeader);
    if (closeConnection) {
      // A fresh connection per hand-built request: one the server closed after an error is never
      // reused by the next case.
      b.putHeader("Connection", "close");
    }
    if (body != null) {
      byte[] bytes = body;
      b.contentStreamProvider(() -> new ByteArrayInputStream(bytes));
      if (!headers.containsKey("Content-Length")) {
        b.putHeader("Content-Length", Integer.toString(bytes.length));
      }
    }
    return b.build();
  }

  private SdkHttpFullRequest sign(SdkHttpFullRequest request, boolean presign, Duration expires) {
    ContentStreamProvider payload =
        signedBody != null
            ? () -> new ByteArrayInputStream(signedBody)
            : request.contentStreamProvider().orElse(() -> new ByteArrayInputStream(new byte[0]));
    Clock clock = signedAt == null ? Clock.systemUTC() : Clock.fixed(signedAt, ZoneOffset.UTC);
    boolean unsigned = presign || unsignedPayload;
    // The SDK's signer signs the payload of every plain-HTTP request whatever it is told; a
    // presigned URL (and UNSIGNED-PAYLOAD) needs the request signed as HTTPS. The scheme is not
    // part of the signature (the Host header is, port included), so the request goes out as HTTP.
    SdkHttpFullRequest toSign = unsigned ? request.toBuilder().protocol("https").build() : request;
    SdkHttpRequest signed =
        AwsV4HttpSigner.create()
            .sign(
                r -> {
                  r.identity(AwsCredentialsIdentity.create(accessKey, secretKey))
                      .request(toSign)
                      .payload(payload)
                      .putProperty(AwsV4FamilyHttpSigner.SERVICE_SIGNING_NAME, "s3")
                      .putProperty(AwsV4HttpSigner.REGION_NAME, Target.REGION)
                      .putProperty(AwsV4FamilyHttpSigner.DOUBLE_URL_ENCODE, false)
                      .putProperty(AwsV4FamilyHttpSigner.NORMALIZE_PATH, false)
                      .putProperty(HttpSigner.SIGNING_CLOCK, clock)
                      .putProperty(AwsV4FamilyHttpSigner.PAYLOAD_SIGNING_ENABLED, !unsigned);
                  if (presign) {
                    r.putProperty(
                            AwsV4FamilyHttpSigner.AUTH_LOCATION,
                            AwsV4FamilyHttpSigner.AuthLocation.QUERY_STRING)
                        .putProperty(AwsV4FamilyHttpSigner.EXPIRATION_DURATION, expires);
                  }
                })
            .request();
    return request.toBuilder()
        .headers(signed.headers())
        .rawQueryParameters(signed.rawQueryParameters())
        .build();
  }

  private HttpResult execute(SdkHttpFullRequest request) {
    HttpResult r = execute(http, request);
    // S3's "retry this" (see TargetClients): up to 3 attempts, as the SDKs' standard mode.
    for (int attempt = 2; r.status() == 503 && attempt <= TargetClients.ATTEMPTS; attempt++) {
      retried.incrementAndGet();
      r = execute(http, request);
    }
    return r;
  }

  static HttpResult execute(SdkHttpClient http, SdkHttpFullRequest request) {
    try {
      HttpExecuteResponse response =
          http.prepareRequest(
                  HttpExecuteRequest.builder()
                      .request(request)
                      .contentStreamProvider(request.contentStreamProvider().orElse(null))
                      .build())
              .call();
      byte[] bytes = new byte[0];
      if (response.responseBody().isPresent()) {
        try (InputStream in = response.responseBody().get()) {
          bytes = in.readAllBytes();
        }
      }
      return new HttpResult(
          response.httpResponse().statusCode(), response.httpResponse().headers(), bytes);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
