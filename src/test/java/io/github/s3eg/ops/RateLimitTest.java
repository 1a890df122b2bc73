package io.github.s3eg.ops;

import static io.github.s3eg.it.CredentialsFile.Credential.admin;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import io.github.s3eg.it.CredentialsFile;
import io.github.s3eg.it.GatewayFixture;
import java.net.URI;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.S3Exception;

/** RATE_LIMIT_*: the request over the limit gets 503 SlowDown; other principals are unaffected. */
class RateLimitTest {

  private static final int LIMIT = 3;

  @TempDir static Path dir;
  private static GatewayFixture fixture;

  @BeforeAll
  static void start() throws Exception {
    Path credentials =
        CredentialsFile.write(
            dir.resolve("credentials.yaml"),
            List.of(admin("alice", "alice-secret-123456"), admin("bob", "bob-secret-1234567")));
    fixture =
        GatewayFixture.start(
            Map.of(
                "AUTH_CREDENTIALS_FILE",
                credentials.toString(),
                "RATE_LIMIT_ENABLED",
                "true",
                "RATE_LIMIT_REQUESTS",
                Integer.toString(LIMIT),
                "RATE_LIMIT_WINDOW",
                "60s"));
  }

  @AfterAll
  static void stop() throws Exception {
    fixture.close();
  }

  @Test
  void requestOverTheLimitSlowsDownThatPrincipalOnly() throws Exception {
    try (S3Client alice = fixture.singleAttemptClient("alice", "alice-secret-123456");
        S3Client bob = fixture.singleAttemptClient("bob", "bob-secret-1234567")) {
      for (int i = 0; i < LIMIT; i++) {
        alice.listBuckets();
      }
      S3Exception slowDown = catchThrowableOfType(S3Exception.class, alice::listBuckets);
      assertThat(slowDown).isNotNull();
      assertThat(slowDown.statusCode()).isEqualTo(503);
      assertThat(slowDown.awsErrorDetails().errorCode()).isEqualTo("SlowDown");
      long retryAfter =
          Long.parseLong(
              slowDown
                  .awsErrorDetails()
                  .sdkHttpResponse()
                  .firstMatchingHeader("Retry-After")
                  .orElseThrow());
      assertThat(retryAfter).isBetween(1L, 60L);

      // Bob has his own bucket of requests.
      for (int i = 0; i < LIMIT; i++) {
        bob.listBuckets();
      }
    }
    // Probes are answered before authentication and are never limited.
    HttpResponse<String> live = SignedHttp.get(URI.create(fixture.endpoint() + "/live"));
    assertThat(live.statusCode()).isEqualTo(200);
  }
}
