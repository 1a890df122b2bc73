package io.github.s3eg.examples;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.github.s3eg.it.ExampleFolder;
import io.github.s3eg.it.GatewayFixture;
import io.github.s3eg.it.TestBackend;
import io.github.s3eg.ops.AuditVerifier;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.awscore.retry.AwsRetryStrategy;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.S3Client;

/**
 * The {@code examples/audit-to-file} example: with {@code AUDIT_ENDPOINT=direct:audit} the audit
 * lines are messages on the example's route, which appends them to a file. The file holds every
 * event (writes, reads, a refused signature) in order, its hash chain verifies with the project's
 * verifier ({@code verify-audit}), and its lines are exactly the gateway's own (kept in memory).
 */
class AuditToFileExampleTest {

  @Test
  void auditLinesReachTheFileWithTheirChain(@TempDir Path sink) throws Exception {
    Map<String, String> camel =
        new HashMap<>(ExampleFolder.named("audit-to-file").camelProperties());
    camel.put("auditsink.dir", sink.toString());
    Path log = sink.resolve("audit.log");
    try (TestBackend backend = TestBackend.start();
        GatewayFixture gateway =
            GatewayFixture.startOn(
                backend, Map.of("AUDIT_ENABLED", "true", "AUDIT_ENDPOINT", "direct:audit"), camel);
        S3Client s3 = gateway.whenRequiredClient();
        S3Client wrongSecret =
            gateway
                .clientBuilder()
                .credentialsProvider(
                    StaticCredentialsProvider.create(
                        AwsBasicCredentials.create(GatewayFixture.CLIENT_KEY, "not-the-secret")))
                .overrideConfiguration(o -> o.retryStrategy(AwsRetryStrategy.doNotRetry()))
                .build()) {
      // A request's line is written after its answer: each request waits for the line of the one
      // before, so that the file's order is the requests' order.
      s3.createBucket(b -> b.bucket("audited"));
      waitForLines(log, 1);
      s3.putObject(b -> b.bucket("audited").key("a.txt"), RequestBody.fromString("first"));
      waitForLines(log, 2);
      s3.getObjectAsBytes(b -> b.bucket("audited").key("a.txt"));
      waitForLines(log, 3);
      assertThatThrownBy(() -> wrongSecret.getObjectAsBytes(b -> b.bucket("audited").key("a.txt")))
          .isInstanceOf(software.amazon.awssdk.services.s3.model.S3Exception.class);
      waitForLines(log, 4);
      s3.deleteObject(b -> b.bucket("audited").key("a.txt"));

      List<String> lines = waitForLines(log, 5);
      assertThat(lines)
          .as("the file holds the gateway's own lines, in order")
          .isEqualTo(gateway.gateway().ops().audit().orElseThrow().recent());
      assertThat(lines)
          .extracting(line -> line.replaceAll(".*\"event\":\"([a-z_]+)\".*", "$1"))
          .containsExactly("admin", "write", "read", "authentication_failure", "write");
      AuditVerifier.Result chain = AuditVerifier.verify(log);
      assertThat(chain.ok()).as(chain.problem()).isTrue();
      assertThat(chain.lines()).isEqualTo(5);
    }
  }

  /** The audit line of a request is written once it was answered: wait for {@code count}. */
  private static List<String> waitForLines(Path log, int count) throws Exception {
    Instant deadline = Instant.now().plus(Duration.ofSeconds(30));
    List<String> lines = List.of();
    while (Instant.now().isBefore(deadline)) {
      lines = Files.exists(log) ? Files.readAllLines(log) : List.of();
      if (lines.size() >= count) {
        return lines;
      }
      Thread.sleep(50);
    }
    return lines;
  }
}
