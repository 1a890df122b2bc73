package io.github.s3eg.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.github.s3eg.s3.testing.CapturedRequest;
import io.github.s3eg.s3.testing.CapturingHttpClient;
import io.github.s3eg.s3.testing.SdkClients;
import java.net.URI;
import java.net.URL;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.core.SdkGlobalTime;
import software.amazon.awssdk.core.checksums.RequestChecksumCalculation;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.S3Exception;
import software.amazon.awssdk.services.s3.presigner.S3Presigner;

/**
 * Only signed requests from known principals get in: checked at the backend with the counting
 * probe, with SDK-signed requests whose bodies are then tampered with, with presigned URLs against
 * a clock the test moves, and with principals limited to buckets and permissions.
 */
class AuthenticationTest {

  /**
   * A clock the test moves; the gateway checks signatures against it. It runs with real time (a
   * frozen clock falls behind the clients' on a slow machine, and a URL presigned for an hour then
   * still works an "hour" later).
   */
  static final class MovableClock extends Clock {
    private volatile Duration offset = Duration.ZERO;

    void advance(Duration d) {
      offset = offset.plus(d);
    }

    void reset() {
      offset = Duration.ZERO;
    }

    @Override
    public ZoneId getZone() {
      return ZoneOffset.UTC;
    }

    @Override
    public Clock withZone(ZoneId zone) {
      return this;
    }

    @Override
    public Instant instant() {
      return Instant.now().plus(offset);
    }
  }

  private static final MovableClock CLOCK = new MovableClock();
  private static GatewayFixture fixture;
  private static S3Client admin;
  private static HttpClient http;

  @TempDir static Path dir;

  @BeforeAll
  static void start() throws Exception {
    Path credentials = dir.resolve("credentials.yaml");
    Files.writeString(
        credentials,
        String.join(
            "\n",
            "credentials:",
            "  - accessKey: reader",
            "    secretKey: reader-secret-123456",
            "    buckets: [shared]",
            "    permission: read",
            ""));
    fixture = GatewayFixture.start(Map.of("AUTH_CREDENTIALS_FILE", credentials.toString()), CLOCK);
    admin = fixture.defaultClient();
    admin.createBucket(b -> b.bucket("shared"));
    admin.createBucket(b -> b.bucket("private"));
    admin.putObject(b -> b.bucket("shared").key("doc"), RequestBody.fromString("shared document"));
    http = HttpClient.newHttpClient();
  }

  @AfterAll
  static void stop() throws Exception {
    admin.close();
    http.close();
    fixture.close();
  }

  private static S3Client clientWith(String key, String secret) {
    return fixture
        .clientBuilder()
        .credentialsProvider(
            StaticCredentialsProvider.create(AwsBasicCredentials.create(key, secret)))
        .build();
  }

  private static void assertRefused(Runnable call, int status, String code) {
    assertThatThrownBy(call::run)
        .isInstanceOfSatisfying(
            S3Exception.class,
            e -> {
              assertThat(e.statusCode()).isEqualTo(status);
              assertThat(e.awsErrorDetails().errorCode()).isEqualTo(code);
            });
  }

  @Test
  void noUnsignedOrWronglySignedRequestReachesTheBackend() throws Exception {
    fixture.probe().reset();
    HttpResponse<String> anonymous =
        http.send(
            HttpRequest.newBuilder(URI.create(fixture.endpoint() + "/shared/doc")).build(),
            HttpResponse.BodyHandlers.ofString());
    assertThat(anonymous.statusCode()).isEqualTo(403);
    assertThat(anonymous.body()).contains("<Code>AccessDenied</Code>");

    try (S3Client wrongSecret = clientWith(GatewayFixture.CLIENT_KEY, "not-the-secret");
        S3Client unknownKey = clientWith("nobody", "whatever-secret")) {
      assertRefused(
          () -> wrongSecret.getObject(b -> b.bucket("shared").key("doc")),
          403,
          "SignatureDoesNotMatch");
      assertRefused(
          () ->
              wrongSecret.putObject(
                  b -> b.bucket("shared").key("evil"), RequestBody.fromString("x")),
          403,
          "SignatureDoesNotMatch");
      assertRefused(() -> unknownKey.listBuckets(), 403, "InvalidAccessKeyId");
    }
    for (String[] call :
        new String[][] {{"DELETE", "/metrics"}, {"PUT", "/health?acl"}, {"POST", "/ready"}}) {
      HttpResponse<String> r =
          http.send(
              HttpRequest.newBuilder(URI.create(fixture.endpoint() + call[1]))
                  .method(call[0], HttpRequest.BodyPublishers.noBody())
                  .build(),
              HttpResponse.BodyHandlers.ofString());
      assertThat(r.statusCode()).as(call[0] + " " + call[1]).isEqualTo(403);
    }
    assertThat(fixture.probe().requests()).as("requests that reached the backend").isEmpty();
  }

  @Test
  void tamperedSignedStreamingUploadLeavesNoObject() throws Exception {
    byte[] data = new byte[300_000];
    new Random(7).nextBytes(data);
    CapturingHttpClient capture = new CapturingHttpClient();
    try (S3Client signer =
        SdkClients.s3(
            capture,
            fixture.endpoint().toString(),
            GatewayFixture.CLIENT_KEY,
            GatewayFixture.CLIENT_SECRET,
            b -> b.requestChecksumCalculation(RequestChecksumCalculation.WHEN_REQUIRED))) {
      signer.putObject(b -> b.bucket("shared").key("tampered"), RequestBody.fromBytes(data));
    }
    CapturedRequest signed = capture.last();
    assertThat(signed.header("x-amz-content-sha256"))
        .isEqualTo("STREAMING-AWS4-HMAC-SHA256-PAYLOAD");
    byte[] body = signed.body().clone();
    body[body.length - 20_000] ^= 0x01; // inside the last data chunk
    fixture.probe().reset();
    RawHttp.Response r = RawHttp.send(fixture.endpoint(), signed.withBody(body));
    assertThat(r.status()).isEqualTo(403);
    assertThat(r.body()).contains("<Code>SignatureDoesNotMatch</Code>");
    try (S3Client direct = fixture.backend().directClient()) {
      assertThatThrownBy(() -> direct.headObject(b -> b.bucket("shared").key("tampered")))
          .isInstanceOfSatisfying(
              S3Exception.class, e -> assertThat(e.statusCode()).isEqualTo(404));
    }

    // The untampered request is accepted, so the test would see a working upload.
    RawHttp.Response ok = RawHttp.send(fixture.endpoint(), signed);
    assertThat(ok.status()).isEqualTo(200);
    assertThat(admin.getObjectAsBytes(b -> b.bucket("shared").key("tampered")).asByteArray())
        .isEqualTo(data);
  }

  @Test
  void wrongTrailerChecksumLeavesNoObject() throws Exception {
    byte[] data = new byte[100_000];
    new Random(8).nextBytes(data);
    CapturingHttpClient capture = new CapturingHttpClient();
    // Over https the SDK sends unsigned aws-chunked bodies with a CRC32 trailer.
    String httpsEndpoint = "https://127.0.0.1:" + fixture.endpoint().getPort();
    try (S3Client signer =
        SdkClients.s3(
            capture,
            httpsEndpoint,
            GatewayFixture.CLIENT_KEY,
            GatewayFixture.CLIENT_SECRET,
            b -> {})) {
      signer.putObject(b -> b.bucket("shared").key("bad-crc"), RequestBody.fromBytes(data));
    }
    CapturedRequest signed = capture.last();
    assertThat(signed.header("x-amz-content-sha256"))
        .isEqualTo("STREAMING-UNSIGNED-PAYLOAD-TRAILER");
    byte[] body = signed.body().clone();
    body[100] ^= 0x01; // payload byte: the CRC32 in the trailer no longer matches
    RawHttp.Response r = RawHttp.send(fixture.endpoint(), signed.withBody(body));
    assertThat(r.status()).isEqualTo(400);
    assertThat(r.body()).contains("<Code>BadDigest</Code>");
    try (S3Client direct = fixture.backend().directClient()) {
      assertThatThrownBy(() -> direct.headObject(b -> b.bucket("shared").key("bad-crc")))
          .isInstanceOfSatisfying(
              S3Exception.class, e -> assertThat(e.statusCode()).isEqualTo(404));
    }
  }

  @Test
  void presignedUrlHonoursExpiresWellPastTheClockSkewWindow() throws Exception {
    try (S3Presigner presigner =
        S3Presigner.builder()
            .region(software.amazon.awssdk.regions.Region.US_EAST_1)
            .endpointOverride(fixture.endpoint())
            .credentialsProvider(
                StaticCredentialsProvider.create(
                    AwsBasicCredentials.create(
                        GatewayFixture.CLIENT_KEY, GatewayFixture.CLIENT_SECRET)))
            .serviceConfiguration(
                software.amazon.awssdk.services.s3.S3Configuration.builder()
                    .pathStyleAccessEnabled(true)
                    .build())
            .build()) {
      URL url =
          presigner
              .presignGetObject(
                  p ->
                      p.signatureDuration(Duration.ofHours(1))
                          .getObjectRequest(g -> g.bucket("shared").key("doc")))
              .url();
      assertThat(url.getQuery()).contains("X-Amz-Expires=3600");
      try {
        CLOCK.advance(Duration.ofMinutes(20));
        HttpResponse<String> later =
            http.send(
                HttpRequest.newBuilder(url.toURI()).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(later.statusCode()).isEqualTo(200);
        assertThat(later.body()).isEqualTo("shared document");

        CLOCK.advance(Duration.ofMinutes(41));
        HttpResponse<String> expired =
            http.send(
                HttpRequest.newBuilder(url.toURI()).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(expired.statusCode()).isEqualTo(403);
        assertThat(expired.body()).contains("<Code>AccessDenied</Code>");
      } finally {
        CLOCK.reset();
      }
    }
  }

  @Test
  void headerSignedRequestsOutsideTheSkewWindowAreRefused() {
    // A client of its own, without retries: the gateway's Date header tells the server's time, and
    // the SDK corrects its clock by it and retries after RequestTimeTooSkewed (as it does against
    // S3), which would hide the refusal. The correction is JVM-wide (SdkGlobalTime): undone after.
    try (S3Client once =
        fixture
            .clientBuilder()
            .overrideConfiguration(o -> o.retryStrategy(r -> r.maxAttempts(1)))
            .build()) {
      CLOCK.advance(Duration.ofMinutes(16));
      assertRefused(
          () -> once.getObject(b -> b.bucket("shared").key("doc")), 403, "RequestTimeTooSkewed");
    } finally {
      CLOCK.reset();
      SdkGlobalTime.setGlobalTimeOffset(0);
    }
  }

  @Test
  void principalsStayInsideTheirBucketsAndPermission() {
    try (S3Client reader = clientWith("reader", "reader-secret-123456")) {
      assertThat(reader.getObjectAsBytes(b -> b.bucket("shared").key("doc")).asUtf8String())
          .isEqualTo("shared document");
      assertRefused(
          () -> reader.putObject(b -> b.bucket("shared").key("x"), RequestBody.fromString("x")),
          403,
          "AccessDenied");
      assertRefused(() -> reader.listObjectsV2(b -> b.bucket("private")), 403, "AccessDenied");
      assertThat(reader.listBuckets().buckets())
          .extracting(b -> b.name())
          .containsExactly("shared");
    }
    assertThat(admin.listBuckets().buckets())
        .extracting(b -> b.name())
        .contains("shared", "private");
  }
}
