package io.github.s3eg.ops;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import io.github.s3eg.it.GatewayFixture;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.URI;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.S3Client;

/** AUDIT_*: chained JSON lines for security events, and verify-audit that finds any tampering. */
class AuditLogTest {

  @TempDir Path dir;

  private Path runTraffic() throws Exception {
    Path file = dir.resolve("audit.log");
    try (GatewayFixture fixture =
        GatewayFixture.start(
            Map.of(
                "AUDIT_ENABLED", "true",
                "AUDIT_FILE", file.toString(),
                "AUDIT_MAX_EVENTS", "3"))) {
      try (S3Client s3 = fixture.defaultClient()) {
        s3.createBucket(b -> b.bucket("audited")); // admin
        s3.putObject(b -> b.bucket("audited").key("k1"), RequestBody.fromString("12345")); // write
        s3.getObjectAsBytes(b -> b.bucket("audited").key("k1")); // read
        s3.headObject(b -> b.bucket("audited").key("k1")); // not audited
        s3.listObjectsV2(b -> b.bucket("audited")); // not audited
        s3.deleteObject(b -> b.bucket("audited").key("k1")); // write
      }
      // Unsigned, and signed with a wrong secret: authentication failures.
      SignedHttp.get(URI.create(fixture.endpoint() + "/audited/k1"));
      SignedHttp.signedGet(
          URI.create(fixture.endpoint() + "/audited/k1?X-Amz-Signature=nope"),
          "client-access",
          "bad");
      SignedHttp.get(URI.create(fixture.endpoint() + "/live")); // not audited
      List<String> recent = fixture.gateway().ops().audit().orElseThrow().recent();
      assertThat(recent).hasSize(3);
      assertThat(recent.get(2)).contains("\"event\":\"authentication_failure\"");
    }
    return file;
  }

  @Test
  void theAdminEndpointServesTheRecentEventsToAdminsOnly() throws Exception {
    try (GatewayFixture fixture =
        GatewayFixture.start(
            Map.of("AUDIT_ENABLED", "true", "AUDIT_FILE", dir.resolve("a.log").toString()))) {
      try (S3Client s3 = fixture.defaultClient()) {
        s3.createBucket(b -> b.bucket("audited2"));
      }
      List<String> recent = fixture.gateway().ops().audit().orElseThrow().recent();
      HttpResponse<String> events =
          SignedHttp.signedGet(URI.create(fixture.endpoint() + "/?s3eg-audit"));
      assertThat(events.statusCode()).isEqualTo(200);
      assertThat(events.body().lines().toList()).containsAll(recent).isNotEmpty();
      assertThat(SignedHttp.get(URI.create(fixture.endpoint() + "/?s3eg-audit")).statusCode())
          .isEqualTo(403);
    }
  }

  @Test
  void eventsAreChainedAndVerifiable() throws Exception {
    Path file = runTraffic();
    List<String> lines = Files.readAllLines(file);
    assertThat(lines).hasSize(6);
    assertThat(lines.get(0))
        .startsWith("{\"seq\":1,\"prev\":\"" + AuditChain.GENESIS + "\",")
        .contains(
            "\"event\":\"admin\"",
            "\"operation\":\"CreateBucket\"",
            "\"principal\":\"client-access\"");
    assertThat(lines.get(1))
        .contains(
            "\"event\":\"write\"",
            "\"operation\":\"PutObject\"",
            "\"bucket\":\"audited\"",
            "\"key\":\"k1\"",
            "\"status\":200",
            "\"outcome\":\"success\"",
            "\"bytes\":5",
            "\"key_id\":\"pw-",
            "\"key_version\":\"1\"");
    assertThat(lines.get(2))
        .contains("\"event\":\"read\"", "\"operation\":\"GetObject\"", "\"bytes\":5");
    assertThat(lines.get(3)).contains("\"event\":\"write\"", "\"operation\":\"DeleteObject\"");
    assertThat(lines.get(4))
        .contains(
            "\"event\":\"authentication_failure\"",
            "\"principal\":null",
            "\"status\":403",
            "\"outcome\":\"failure\"",
            "\"error\":\"AccessDenied\"");
    assertThat(lines.get(5)).contains("\"event\":\"authentication_failure\"");
    assertThat(String.join("\n", lines))
        .doesNotContain(GatewayFixture.CLIENT_SECRET)
        .doesNotContain("X-Amz-Signature")
        .doesNotContain("nope");
    assertThat(verify(file)).startsWith("OK (6 events)");

    // A restart continues the chain.
    runTraffic();
    assertThat(Files.readAllLines(file)).hasSize(12);
    assertThat(verify(file)).startsWith("OK (12 events)");
  }

  @Test
  void editedDeletedOrReorderedLinesAreFound() throws Exception {
    Path file = runTraffic();
    List<String> lines = Files.readAllLines(file);

    List<String> edited = new ArrayList<>(lines);
    edited.set(2, edited.get(2).replace("\"bytes\":5", "\"bytes\":6"));
    assertThat(verifyLines(edited)).startsWith("BAD line 3:").contains("modified");

    List<String> deleted = new ArrayList<>(lines);
    deleted.remove(1);
    assertThat(verifyLines(deleted)).startsWith("BAD line 2:").contains("deleted");

    List<String> reordered = new ArrayList<>(lines);
    reordered.set(3, lines.get(4));
    reordered.set(4, lines.get(3));
    assertThat(verifyLines(reordered)).startsWith("BAD line 4:");

    assertThat(verifyLines(lines)).startsWith("OK");
  }

  @Test
  void unreadableLastLineRefusesToStart() throws Exception {
    Path file = dir.resolve("broken.log");
    Files.writeString(file, "not an audit line\n");
    Throwable failure =
        catchThrowable(
            () ->
                GatewayFixture.start(Map.of("AUDIT_ENABLED", "true", "AUDIT_FILE", file.toString()))
                    .close());
    assertThat(failure).hasMessageContaining("AUDIT_FILE");
  }

  private String verifyLines(List<String> lines) throws Exception {
    Path copy = Files.createTempFile(dir, "audit", ".log");
    Files.write(copy, lines);
    return verify(copy);
  }

  private static String verify(Path file) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    int status =
        AuditVerifier.run(
            new String[] {"verify-audit", file.toString()},
            new PrintStream(out, true, StandardCharsets.UTF_8));
    String text = out.toString(StandardCharsets.UTF_8);
    assertThat(status).as(text).isEqualTo(text.startsWith("OK") ? 0 : 1);
    return text;
  }
}
