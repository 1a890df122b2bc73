package io.github.s3eg.ops;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.s3eg.it.GatewayFixture;
import java.net.URI;
import java.net.http.HttpResponse;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.NoSuchKeyException;

/** GET /metrics: Prometheus text that follows the traffic, signed unless METRICS_PUBLIC=true. */
class MetricsTest {

  private static GatewayFixture fixture;

  @BeforeAll
  static void start() throws Exception {
    fixture = GatewayFixture.start(Map.of());
  }

  @AfterAll
  static void stop() throws Exception {
    fixture.close();
  }

  private static URI metricsUri(GatewayFixture f) {
    return URI.create(f.endpoint() + "/metrics");
  }

  private static String scrape() throws Exception {
    HttpResponse<String> r = SignedHttp.signedGet(metricsUri(fixture));
    assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
    assertThat(r.headers().firstValue("Content-Type").orElse("")).startsWith("text/plain");
    return r.body();
  }

  /** The value of the sample {@code name{labels}} (labels in any order), or 0 if absent. */
  static double sample(String text, String name, Map<String, String> labels) {
    Pattern line =
        Pattern.compile("^" + Pattern.quote(name) + "\\{([^}]*)\\} (\\S+)$", Pattern.MULTILINE);
    Matcher m = line.matcher(text);
    double total = 0;
    while (m.find()) {
      String l = m.group(1);
      if (labels.entrySet().stream()
          .allMatch(e -> l.contains(e.getKey() + "=\"" + e.getValue() + "\""))) {
        total += Double.parseDouble(m.group(2));
      }
    }
    return total;
  }

  @Test
  void countersFollowS3Traffic() throws Exception {
    String before = scrape();
    try (S3Client s3 = fixture.defaultClient()) {
      s3.createBucket(b -> b.bucket("metrics-traffic"));
      for (int i = 0; i < 3; i++) {
        s3.putObject(
            b -> b.bucket("metrics-traffic").key("object-" + Math.random()),
            RequestBody.fromString("hello"));
      }
      try {
        s3.getObject(b -> b.bucket("metrics-traffic").key("missing"));
      } catch (NoSuchKeyException expected) {
        // counted as a client error
      }
    }
    String after = scrape();

    Map<String, String> puts = Map.of("method", "PUT", "status", "200", "operation", "PutObject");
    assertThat(
            sample(after, "http_requests_total", puts)
                - sample(before, "http_requests_total", puts))
        .isEqualTo(3);
    Map<String, String> putOk = Map.of("operation", "PutObject", "outcome", "success");
    assertThat(
            sample(after, "s3_operations_total", putOk)
                - sample(before, "s3_operations_total", putOk))
        .isEqualTo(3);
    assertThat(
            sample(
                after,
                "s3_operations_total",
                Map.of("operation", "GetObject", "outcome", "client_error")))
        .isGreaterThanOrEqualTo(1);
    assertThat(
            sample(
                after, "s3_operation_duration_seconds_count", Map.of("operation", "CreateBucket")))
        .isGreaterThanOrEqualTo(1);
    assertThat(
            sample(
                after,
                "http_request_duration_seconds_bucket",
                Map.of("operation", "PutObject", "le", "+Inf")))
        .isGreaterThanOrEqualTo(3);
    assertThat(after)
        .contains("active_connections ")
        .contains("jvm_memory_used_bytes{")
        .contains("jvm_threads_live_threads ")
        .contains("jvm_gc_")
        .doesNotContain("metrics-traffic")
        .doesNotContain("object-");
  }

  @Test
  void encryptionFacadeIsExported() throws Exception {
    fixture
        .gateway()
        .ops()
        .metrics()
        .recordEncryption("encrypt", "AES256-GCM", 1000, 5_000_000, true);
    String text = scrape();
    assertThat(
            sample(
                text,
                "encryption_operations_total",
                Map.of("direction", "encrypt", "algorithm", "AES256-GCM", "outcome", "success")))
        .isGreaterThanOrEqualTo(1);
    assertThat(sample(text, "encryption_bytes_total", Map.of("direction", "encrypt")))
        .isGreaterThanOrEqualTo(1000);
    assertThat(text).contains("encryption_duration_seconds_count{");
  }

  @Test
  void unsignedScrapeIsRefused() throws Exception {
    HttpResponse<String> r = SignedHttp.get(metricsUri(fixture));
    assertThat(r.statusCode()).isEqualTo(403);
    assertThat(r.body())
        .contains("<Code>AccessDenied</Code>")
        .doesNotContain("http_requests_total");
    HttpResponse<String> wrong =
        SignedHttp.signedGet(metricsUri(fixture), GatewayFixture.CLIENT_KEY, "wrong-secret");
    assertThat(wrong.statusCode()).isEqualTo(403);
  }

  @Test
  void publicScrapeNeedsNoSignature() throws Exception {
    try (GatewayFixture open = GatewayFixture.start(Map.of("METRICS_PUBLIC", "true"))) {
      HttpResponse<String> r = SignedHttp.get(metricsUri(open));
      assertThat(r.statusCode()).isEqualTo(200);
      assertThat(r.body()).contains("jvm_threads_live_threads");
      // Only the exact scrape is public: anything else there is still an S3 request.
      assertThat(SignedHttp.get(URI.create(open.endpoint() + "/metrics?prefix=a")).statusCode())
          .isEqualTo(403);
    }
  }
}
