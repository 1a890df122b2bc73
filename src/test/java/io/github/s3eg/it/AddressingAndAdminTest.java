package io.github.s3eg.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.S3Client;

/** Virtual-host addressing with SERVER_DOMAIN, and the admin-only re-wrap endpoint over HTTP. */
class AddressingAndAdminTest {

  private static GatewayFixture fixture;

  @TempDir static Path dir;

  @BeforeAll
  static void start() throws Exception {
    Path credentials = dir.resolve("credentials.yaml");
    Files.writeString(
        credentials,
        "credentials:\n  - accessKey: writer\n    secretKey: writer-secret-12345\n    buckets: [\"*\"]\n    permission: write\n");
    fixture =
        GatewayFixture.start(
            Map.of(
                "SERVER_DOMAIN", "s3.localtest", "AUTH_CREDENTIALS_FILE", credentials.toString()));
  }

  @AfterAll
  static void stop() throws Exception {
    fixture.close();
  }

  @Test
  void virtualHostStyleAddressesTheBucketFromTheHostHeader() throws Exception {
    try (S3Client path = fixture.defaultClient()) {
      path.createBucket(b -> b.bucket("vhost"));
      path.putObject(
          b -> b.bucket("vhost").key("dir/file.txt"), RequestBody.fromString("virtual host"));
    }
    // curl resolves vhost.s3.localtest to the gateway and signs with that Host header.
    String host = "vhost.s3.localtest";
    int port = fixture.endpoint().getPort();
    CliTool.Result r =
        CliTool.run(
            Map.of(),
            dir,
            "/usr/bin/curl",
            "-sS",
            "-f",
            "--resolve",
            host + ":" + port + ":127.0.0.1",
            "--aws-sigv4",
            "aws:amz:us-east-1:s3",
            "--user",
            GatewayFixture.CLIENT_KEY + ":" + GatewayFixture.CLIENT_SECRET,
            "-H",
            "x-amz-content-sha256: UNSIGNED-PAYLOAD",
            "http://" + host + ":" + port + "/dir/file.txt");
    assertThat(r.assertOk("virtual-host GET").output()).isEqualTo("virtual host");
  }

  @Test
  void rewrapEndpointIsForAdminsOnly() throws Exception {
    try (S3Client s3 = fixture.defaultClient()) {
      s3.createBucket(b -> b.bucket("rewrap-http"));
      s3.putObject(b -> b.bucket("rewrap-http").key("a"), RequestBody.fromString("x"));
    }
    // Parameters in canonical (sorted) order: curl 7.88 signs the query without sorting it.
    String url = fixture.endpoint() + "/rewrap-http?dry-run=true&s3eg-rewrap=1";
    CliTool.Result admin =
        CliTool.run(
            Map.of(),
            dir,
            "/usr/bin/curl",
            "-sS",
            "-X",
            "POST",
            "--aws-sigv4",
            "aws:amz:us-east-1:s3",
            "--user",
            GatewayFixture.CLIENT_KEY + ":" + GatewayFixture.CLIENT_SECRET,
            "-H",
            "x-amz-content-sha256: UNSIGNED-PAYLOAD",
            url);
    assertThat(admin.output())
        .contains("<RewrapResult")
        .contains("<Scanned>1</Scanned>")
        .contains("<AlreadyCurrent>1</AlreadyCurrent>");
    CliTool.Result writer =
        CliTool.run(
            Map.of(),
            dir,
            "/usr/bin/curl",
            "-sS",
            "-X",
            "POST",
            "--aws-sigv4",
            "aws:amz:us-east-1:s3",
            "--user",
            "writer:writer-secret-12345",
            "-H",
            "x-amz-content-sha256: UNSIGNED-PAYLOAD",
            url);
    assertThat(writer.output()).contains("<Code>AccessDenied</Code>");
  }
}
