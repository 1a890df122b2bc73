package io.github.s3eg.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** /live, /ready and /health: unauthenticated, honest about the backend, and never leaky. */
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
      assertThat(r.body()).startsWith("{\"status\":\"UP\"");
    }
    assertThat(get("/ready").body()).contains("\"backend\":\"UP\"");
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
                    .contains("\"backend\":\"DOWN\"")
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
