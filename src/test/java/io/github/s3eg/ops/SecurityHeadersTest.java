package io.github.s3eg.ops;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.s3eg.it.GatewayFixture;
import java.net.URI;
import java.net.http.HttpHeaders;
import java.net.http.HttpResponse;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.S3Client;

/** Every response carries the security headers: S3 answers, S3 errors, probes, metrics. */
class SecurityHeadersTest {

  private static GatewayFixture fixture;

  @BeforeAll
  static void start() throws Exception {
    fixture = GatewayFixture.start(Map.of());
    try (S3Client s3 = fixture.defaultClient()) {
      s3.createBucket(b -> b.bucket("headers"));
      s3.putObject(b -> b.bucket("headers").key("a.txt"), RequestBody.fromString("a"));
    }
  }

  @AfterAll
  static void stop() throws Exception {
    fixture.close();
  }

  static void assertSecurityHeaders(HttpHeaders headers, boolean tls) {
    assertThat(headers.firstValue("X-Frame-Options")).contains("DENY");
    assertThat(headers.firstValue("X-Content-Type-Options")).contains("nosniff");
    assertThat(headers.firstValue("X-XSS-Protection")).contains("1; mode=block");
    assertThat(headers.firstValue("Content-Security-Policy")).contains("default-src 'self'");
    assertThat(headers.firstValue("Referrer-Policy")).contains("strict-origin-when-cross-origin");
    if (tls) {
      assertThat(headers.firstValue("Strict-Transport-Security"))
          .contains("max-age=31536000; includeSubDomains");
    } else {
      assertThat(headers.firstValue("Strict-Transport-Security")).isEmpty();
    }
  }

  @Test
  void onSuccessesErrorsProbesAndMetrics() throws Exception {
    String base = fixture.endpoint().toString();
    HttpResponse<String> object = SignedHttp.signedGet(URI.create(base + "/headers/a.txt"));
    assertThat(object.statusCode()).isEqualTo(200);
    assertSecurityHeaders(object.headers(), false);

    HttpResponse<String> missing = SignedHttp.signedGet(URI.create(base + "/headers/missing"));
    assertThat(missing.statusCode()).isEqualTo(404);
    assertSecurityHeaders(missing.headers(), false);

    HttpResponse<String> unsigned = SignedHttp.get(URI.create(base + "/headers/a.txt"));
    assertThat(unsigned.statusCode()).isEqualTo(403);
    assertSecurityHeaders(unsigned.headers(), false);

    HttpResponse<String> probe = SignedHttp.get(URI.create(base + "/live"));
    assertThat(probe.statusCode()).isEqualTo(200);
    assertSecurityHeaders(probe.headers(), false);

    HttpResponse<String> metrics = SignedHttp.signedGet(URI.create(base + "/metrics"));
    assertThat(metrics.statusCode()).isEqualTo(200);
    assertSecurityHeaders(metrics.headers(), false);
  }
}
