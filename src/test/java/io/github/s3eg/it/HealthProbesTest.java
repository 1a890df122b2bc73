package io.github.s3eg.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.github.s3eg.s3.testing.CapturedRequest;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.http.SdkHttpMethod;
import software.amazon.awssdk.http.SdkHttpRequest;
import software.amazon.awssdk.http.auth.aws.signer.AwsV4HttpSigner;
import software.amazon.awssdk.identity.spi.AwsCredentialsIdentity;

/**
 * /live, /ready and /health: unauthenticated, honest about the backend, and never leaky: without a
 * signature they answer the status only; their checks (route ids, the backend's and key manager's
 * state) only to a signed probe of a credential that may read every bucket, or to anyone with
 * {@code HEALTH_DETAILS_PUBLIC=true} (issue 17 finding 10).
 */
class HealthProbesTest {

  private static GatewayFixture fixture;
  private static HttpClient http;

  @BeforeAll
  static void start() throws Exception {
    fixture =
        GatewayFixture.start(
            Map.of("BACKEND_MAX_RETRIES", "0", "BACKEND_CONNECT_TIMEOUT_MS", "500"));
    http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
  }

  @AfterAll
  static void stop() throws Exception {
    http.close();
    fixture.close();
  }

  private static HttpResponse<String> get(String path) throws Exception {
    return http.send(
        HttpRequest.newBuilder(URI.create(fixture.endpoint() + path)).build(),
        HttpResponse.BodyHandlers.ofString());
  }

  @Test
  void probesAnswerWithoutSignatures() throws Exception {
    for (String path : new String[] {"/live", "/ready", "/health"}) {
      HttpResponse<String> r = get(path);
      assertThat(r.statusCode()).as(path).isEqualTo(200);
      assertThat(r.headers().firstValue("Content-Type")).contains("application/json");
      assertThat(r.body()).as(path).isEqualTo("{\"status\":\"UP\"}");
    }
  }

  @Test
  void theChecksAreListedForASignedProbeOnly() throws Exception {
    RawHttp.Response signed = RawHttp.send(fixture.endpoint(), signedGet("/health"));
    assertThat(signed.status()).as(signed.body()).isEqualTo(200);
    assertThat(signed.body())
        .startsWith("{\"status\":\"UP\",\"checks\":{")
        .contains("\"backend\":\"UP\"", "\"route:s3-api\":\"UP\"");
    RawHttp.Response ready = RawHttp.send(fixture.endpoint(), signedGet("/ready"));
    assertThat(ready.body()).contains("\"backend\":\"UP\"");

    CapturedRequest forged = signedGet("/health", "not-the-secret");
    RawHttp.Response refused = RawHttp.send(fixture.endpoint(), forged);
    assertThat(refused.status()).isEqualTo(403);
    assertThat(refused.body()).doesNotContain("route:", "backend");
  }

  @Test
  void healthDetailsPublicListsTheChecksToAnyone() throws Exception {
    try (GatewayFixture open = GatewayFixture.start(Map.of("HEALTH_DETAILS_PUBLIC", "true"))) {
      HttpResponse<String> r =
          http.send(
              HttpRequest.newBuilder(URI.create(open.endpoint() + "/ready")).build(),
              HttpResponse.BodyHandlers.ofString());
      assertThat(r.body()).contains("\"backend\":\"UP\"", "\"route:s3-api\":\"UP\"");
    }
  }

  /** A SigV4-signed GET of {@code path} with the fixture's client credential (bucket {@code *}). */
  private static CapturedRequest signedGet(String path) {
    return signedGet(path, GatewayFixture.CLIENT_SECRET);
  }

  private static CapturedRequest signedGet(String path, String secret) {
    URI endpoint = fixture.endpoint();
    SdkHttpRequest unsigned =
        SdkHttpRequest.builder()
            .method(SdkHttpMethod.GET)
            .protocol(endpoint.getScheme())
            .host(endpoint.getHost())
            .port(endpoint.getPort())
            .encodedPath(path)
            .putHeader("x-amz-content-sha256", "UNSIGNED-PAYLOAD")
            .build();
    SdkHttpRequest signed =
        AwsV4HttpSigner.create()
            .sign(
                r ->
                    r.identity(AwsCredentialsIdentity.create(GatewayFixture.CLIENT_KEY, secret))
                        .request(unsigned)
                        .putProperty(AwsV4HttpSigner.SERVICE_SIGNING_NAME, "s3")
                        .putProperty(AwsV4HttpSigner.REGION_NAME, "us-east-1")
                        .putProperty(AwsV4HttpSigner.PAYLOAD_SIGNING_ENABLED, false))
            .request();
    return new CapturedRequest("GET", path, "", new LinkedHashMap<>(signed.headers()), new byte[0]);
  }

  @Test
  void readyFollowsTheBackendDownAndBackUp() throws Exception {
    fixture.probe().startOutage();
    try {
      await()
          .atMost(Duration.ofSeconds(20))
          .untilAsserted(
              () -> {
                HttpResponse<String> r = get("/ready");
                assertThat(r.statusCode()).isEqualTo(503);
                assertThat(r.body())
                    .isEqualTo("{\"status\":\"DOWN\"}")
                    .doesNotContain("Exception")
                    .doesNotContain(TestBackend.SECRET_KEY);
              });
      assertThat(get("/live").statusCode()).as("the process itself is alive").isEqualTo(200);
    } finally {
      fixture.probe().endOutage();
    }
    await()
        .atMost(Duration.ofSeconds(20))
        .untilAsserted(() -> assertThat(get("/ready").statusCode()).isEqualTo(200));
  }
}
