package io.github.s3eg.backend;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import io.github.s3eg.it.TestBackend;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.awscore.exception.AwsServiceException;
import software.amazon.awssdk.awscore.retry.AwsRetryStrategy;
import software.amazon.awssdk.core.ResponseInputStream;
import software.amazon.awssdk.core.SdkPojo;
import software.amazon.awssdk.core.exception.SdkClientException;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.http.SdkHttpClient;
import software.amazon.awssdk.http.SdkHttpMethod;
import software.amazon.awssdk.http.apache.ApacheHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.retries.api.BackoffStrategy;
import software.amazon.awssdk.retries.api.RetryStrategy;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.GetObjectRequest;
import software.amazon.awssdk.services.s3.model.GetObjectResponse;
import software.amazon.awssdk.services.s3.model.HeadObjectRequest;
import software.amazon.awssdk.services.s3.model.S3Exception;

/**
 * GET and HEAD without the SDK pipeline answer exactly what the SDK's {@code getObject} and {@code
 * headObject} answer: the same response fields, the same bytes, the same exception types, statuses
 * and codes for refusals, and the same retries. Compared side by side on a real S3Proxy and, for
 * failures S3Proxy cannot make, on a scripted HTTP server.
 */
class DirectObjectReadsTest {

  private static final String BUCKET = "direct-reads";
  private static final String KEY = "dir/a b+c%2F&=?#ü;,~'!$()*@x";

  private static TestBackend backend;
  private static SdkHttpClient http;
  private static S3Client sdk;
  private static DirectObjectReads direct;
  private static String etag;

  @BeforeAll
  static void start() throws Exception {
    backend = TestBackend.start();
    http = ApacheHttpClient.create();
    sdk = client(backend.endpoint(), TestBackend.ACCESS_KEY, TestBackend.SECRET_KEY, fewRetries());
    direct =
        reads(backend.endpoint(), TestBackend.ACCESS_KEY, TestBackend.SECRET_KEY, fewRetries());
    sdk.createBucket(b -> b.bucket(BUCKET));
    etag =
        sdk.putObject(
                b ->
                    b.bucket(BUCKET)
                        .key(KEY)
                        .contentType("text/x-test; charset=utf-8")
                        .cacheControl("max-age=60")
                        .contentDisposition("attachment; filename=\"a.txt\"")
                        .contentEncoding("identity")
                        .contentLanguage("de")
                        .expires(Instant.parse("2030-01-02T03:04:05Z"))
                        .metadata(Map.of("color", "blue", "multi-word", "a b")),
                RequestBody.fromString("0123456789abcdefghij"))
            .eTag();
  }

  @AfterAll
  static void stop() throws Exception {
    sdk.close();
    http.close();
    backend.close();
  }

  @Test
  void aWholeGetAnswersWhatTheSdkAnswers() throws Exception {
    GetObjectRequest get = GetObjectRequest.builder().bucket(BUCKET).key(KEY).build();

    try (ResponseInputStream<GetObjectResponse> a = sdk.getObject(get);
        ResponseInputStream<GetObjectResponse> b = direct.getObject(get)) {
      assertSameFields(a.response(), b.response());
      assertThat(b.response().metadata()).containsEntry("color", "blue");
      assertThat(b.response().sdkHttpResponse().statusCode()).isEqualTo(200);
      assertThat(b.readAllBytes()).isEqualTo(a.readAllBytes());
    }
  }

  @Test
  void aRangedGetAnswersWhatTheSdkAnswers() throws Exception {
    GetObjectRequest get =
        GetObjectRequest.builder().bucket(BUCKET).key(KEY).range("bytes=5-9").build();

    try (ResponseInputStream<GetObjectResponse> a = sdk.getObject(get);
        ResponseInputStream<GetObjectResponse> b = direct.getObject(get)) {
      assertSameFields(a.response(), b.response());
      assertThat(b.response().contentRange()).isEqualTo("bytes 5-9/20");
      assertThat(new String(b.readAllBytes(), StandardCharsets.UTF_8)).isEqualTo("56789");
      a.readAllBytes();
    }
  }

  @Test
  void aHeadAnswersWhatTheSdkAnswers() {
    HeadObjectRequest head = HeadObjectRequest.builder().bucket(BUCKET).key(KEY).build();

    assertSameFields(sdk.headObject(head), direct.headObject(head));
    assertThat(direct.headObject(head).contentLength()).isEqualTo(20);
  }

  @Test
  void conditionsAndRefusalsAreTheSdksExceptions() {
    List<GetObjectRequest> gets =
        List.of(
            GetObjectRequest.builder().bucket(BUCKET).key("missing").build(),
            GetObjectRequest.builder().bucket("no-such-bucket-here").key(KEY).build(),
            GetObjectRequest.builder().bucket(BUCKET).key(KEY).ifNoneMatch(etag).build(),
            GetObjectRequest.builder().bucket(BUCKET).key(KEY).ifMatch("\"other\"").build(),
            GetObjectRequest.builder()
                .bucket(BUCKET)
                .key(KEY)
                .ifModifiedSince(Instant.now().plusSeconds(3600))
                .build(),
            GetObjectRequest.builder()
                .bucket(BUCKET)
                .key(KEY)
                .ifUnmodifiedSince(Instant.parse("2001-01-01T00:00:00Z"))
                .build(),
            GetObjectRequest.builder().bucket(BUCKET).key(KEY).range("bytes=100-200").build());
    for (GetObjectRequest get : gets) {
      assertSameFailure(failure(() -> sdk.getObject(get)), failure(() -> direct.getObject(get)));
    }
    List<HeadObjectRequest> heads =
        List.of(
            HeadObjectRequest.builder().bucket(BUCKET).key("missing").build(),
            HeadObjectRequest.builder().bucket("no-such-bucket-here").key(KEY).build(),
            HeadObjectRequest.builder().bucket(BUCKET).key(KEY).ifNoneMatch(etag).build(),
            HeadObjectRequest.builder().bucket(BUCKET).key(KEY).ifMatch("\"other\"").build());
    for (HeadObjectRequest head : heads) {
      assertSameFailure(
          failure(() -> sdk.headObject(head)), failure(() -> direct.headObject(head)));
    }
  }

  @Test
  void wrongCredentialsAreRefusedAlike() {
    S3Client wrongSdk = client(backend.endpoint(), TestBackend.ACCESS_KEY, "wrong", fewRetries());
    DirectObjectReads wrong =
        reads(backend.endpoint(), TestBackend.ACCESS_KEY, "wrong", fewRetries());
    GetObjectRequest get = GetObjectRequest.builder().bucket(BUCKET).key(KEY).build();

    Throwable expected = failure(() -> wrongSdk.getObject(get));
    assertThat(((S3Exception) expected).statusCode()).isEqualTo(403);
    assertSameFailure(expected, failure(() -> wrong.getObject(get)));
  }

  @Test
  void onlyRequestsOfTheFieldsItSendsAreHandled() {
    assertThat(
            DirectObjectReads.handles(
                GetObjectRequest.builder().bucket(BUCKET).key(KEY).range("bytes=0-0").build()))
        .isTrue();
    assertThat(
            DirectObjectReads.handles(
                GetObjectRequest.builder()
                    .bucket(BUCKET)
                    .key(KEY)
                    .responseContentType("x/y")
                    .build()))
        .isFalse();
    assertThat(
            DirectObjectReads.handles(
                HeadObjectRequest.builder()
                    .bucket(BUCKET)
                    .key(KEY)
                    .sseCustomerAlgorithm("AES256")
                    .build()))
        .isFalse();
  }

  @Test
  void virtualHostedAddressesPutTheBucketInTheHost() {
    var request =
        new BackendAddress(URI.create("http://s3.example:9000/base/"), false)
            .request(SdkHttpMethod.GET, "bucket", "a b/ü")
            .build();

    assertThat(request.host()).isEqualTo("bucket.s3.example");
    assertThat(request.port()).isEqualTo(9000);
    assertThat(request.encodedPath()).isEqualTo("/base/a%20b/%C3%BC");
  }

  @Test
  void serverErrorsAndThrottlingAreRetriedAsTheSdkRetriesThem() throws Exception {
    String ok = "HTTP/1.1 200 OK\r\nContent-Length: 2\r\nETag: \"e\"\r\n\r\nok";
    String busy = error(503, "SlowDown");
    String failed = error(500, "InternalError");
    for (List<String> script :
        List.of(
            List.of(failed, busy, ok),
            List.of(failed, failed, failed, failed, ok),
            List.of(Scripted.CLOSE, ok),
            List.of(error(404, "NoSuchKey"), ok))) {
      int sdkAttempts;
      Object sdkAnswer;
      try (Scripted server = new Scripted(script)) {
        S3Client s = client(server.endpoint(), "a", "b", fewRetries());
        sdkAnswer = outcome(() -> s.getObject(g -> g.bucket("b").key("k")));
        sdkAttempts = server.requests();
      }
      try (Scripted server = new Scripted(script)) {
        DirectObjectReads d = reads(server.endpoint(), "a", "b", fewRetries());
        Object answer =
            outcome(() -> d.getObject(GetObjectRequest.builder().bucket("b").key("k").build()));
        assertThat(server.requests()).as("attempts for %s", script).isEqualTo(sdkAttempts);
        assertThat(answer).as("outcome for %s", script).isEqualTo(sdkAnswer);
      }
    }
  }

  // ---- helpers

  private static RetryStrategy fewRetries() {
    return AwsRetryStrategy.standardRetryStrategy().toBuilder()
        .maxAttempts(4)
        .backoffStrategy(
            BackoffStrategy.exponentialDelayHalfJitter(Duration.ofMillis(5), Duration.ofMillis(20)))
        .throttlingBackoffStrategy(
            BackoffStrategy.exponentialDelayHalfJitter(Duration.ofMillis(5), Duration.ofMillis(20)))
        .build();
  }

  private static S3Client client(URI endpoint, String access, String secret, RetryStrategy retry) {
    return S3Client.builder()
        .endpointOverride(endpoint)
        .region(Region.US_EAST_1)
        .credentialsProvider(
            StaticCredentialsProvider.create(AwsBasicCredentials.create(access, secret)))
        .forcePathStyle(true)
        .httpClient(http)
        .overrideConfiguration(o -> o.retryStrategy(retry))
        .requestChecksumCalculation(
            software.amazon.awssdk.core.checksums.RequestChecksumCalculation.WHEN_REQUIRED)
        .responseChecksumValidation(
            software.amazon.awssdk.core.checksums.ResponseChecksumValidation.WHEN_REQUIRED)
        .build();
  }

  private static DirectObjectReads reads(
      URI endpoint, String access, String secret, RetryStrategy retry) {
    return new DirectObjectReads(
        http,
        new BackendAddress(endpoint, true),
        "us-east-1",
        StaticCredentialsProvider.create(AwsBasicCredentials.create(access, secret)),
        retry);
  }

  /** Every field of the SDK's model equal (not the raw HTTP response: its Date differs). */
  private static void assertSameFields(SdkPojo expected, SdkPojo actual) {
    assertThat(actual.equalsBySdkFields(expected)).as("%s vs %s", actual, expected).isTrue();
    assertThat(actual.toString()).isEqualTo(expected.toString());
  }

  private static Throwable failure(Runnable call) {
    Throwable t = catchThrowable(call::run);
    assertThat(t).isNotNull();
    return t;
  }

  private static void assertSameFailure(Throwable expected, Throwable actual) {
    assertThat(actual).as("for %s", expected).isExactlyInstanceOf(expected.getClass());
    if (expected instanceof AwsServiceException e) {
      AwsServiceException a = (AwsServiceException) actual;
      assertThat(a.statusCode()).isEqualTo(e.statusCode());
      assertThat(a.awsErrorDetails().errorCode()).isEqualTo(e.awsErrorDetails().errorCode());
    }
  }

  /** The body's text, or the failure's class, status and code. */
  private static Object outcome(java.util.function.Supplier<ResponseInputStream<?>> call) {
    try (ResponseInputStream<?> in = call.get()) {
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    } catch (AwsServiceException e) {
      return e.getClass().getSimpleName()
          + " "
          + e.statusCode()
          + " "
          + e.awsErrorDetails().errorCode();
    } catch (SdkClientException e) {
      return e.getClass().getSimpleName();
    } catch (IOException e) {
      throw new AssertionError(e);
    }
  }

  private static String error(int status, String code) {
    String body = "<Error><Code>" + code + "</Code><Message>m</Message></Error>";
    return "HTTP/1.1 "
        + status
        + " X\r\nContent-Type: application/xml\r\nContent-Length: "
        + body.length()
        + "\r\n\r\n"
        + body;
  }

  /** An HTTP server that answers each request with the next of its scripted answers. */
  private static final class Scripted implements AutoCloseable {
    static final String CLOSE = "close the connection without an answer";

    private final ServerSocket server;
    private final ConcurrentLinkedQueue<String> answers;
    private final AtomicInteger requests = new AtomicInteger();
    private final Thread thread;

    Scripted(List<String> script) throws IOException {
      server = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
      answers = new ConcurrentLinkedQueue<>(script);
      thread = Thread.ofVirtual().start(this::serve);
    }

    URI endpoint() {
      return URI.create("http://127.0.0.1:" + server.getLocalPort());
    }

    int requests() {
      return requests.get();
    }

    private void serve() {
      while (!server.isClosed()) {
        try {
          Socket socket = server.accept();
          Thread.ofVirtual().start(() -> connection(socket));
        } catch (IOException closed) {
          return;
        }
      }
    }

    private void connection(Socket socket) {
      try (socket) {
        InputStream in = socket.getInputStream();
        while (true) {
          ByteArrayOutputStream head = new ByteArrayOutputStream();
          while (!head.toString(StandardCharsets.ISO_8859_1).endsWith("\r\n\r\n")) {
            int b = in.read();
            if (b < 0) {
              return;
            }
            head.write(b);
          }
          requests.incrementAndGet();
          String answer = answers.poll();
          if (answer == null || answer.equals(CLOSE)) {
            return;
          }
          socket.getOutputStream().write(answer.getBytes(StandardCharsets.ISO_8859_1));
          socket.getOutputStream().flush();
        }
      } catch (IOException e) {
        // the client went away
      }
    }

    @Override
    public void close() throws IOException {
      server.close();
    }
  }
}
