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

/**
 * Presigned URLs made by real tools and fetched with curl: awscli's SigV4 {@code s3 presign}, and
 * s3cmd's SigV2 {@code signurl}, which works only when {@code AUTH_ALLOW_SIGV2=true}.
 */
class PresignedUrlClientsTest {

  private static GatewayFixture sigV4Only;
  private static GatewayFixture sigV2Allowed;

  @TempDir Path work;

  @BeforeAll
  static void start() throws Exception {
    sigV4Only = GatewayFixture.start(Map.of());
    sigV2Allowed = GatewayFixture.start(Map.of("AUTH_ALLOW_SIGV2", "true"));
    for (GatewayFixture f : new GatewayFixture[] {sigV4Only, sigV2Allowed}) {
      try (var s3 = f.defaultClient()) {
        s3.createBucket(b -> b.bucket("shared"));
        s3.putObject(
            b -> b.bucket("shared").key("doc.txt"), RequestBody.fromString("presigned content"));
      }
    }
  }

  @AfterAll
  static void stop() throws Exception {
    sigV4Only.close();
    sigV2Allowed.close();
  }

  private CliTool.Result curl(String url) throws Exception {
    return CliTool.run(Map.of(), work, "/usr/bin/curl", "-s", "-w", "\n%{http_code}", url);
  }

  @Test
  void awscliPresignedUrlWorksWithCurl() throws Exception {
    CliTool.requireInstalled("/usr/bin/aws", "awscli");
    Map<String, String> env =
        Map.of(
            "AWS_ACCESS_KEY_ID",
            GatewayFixture.CLIENT_KEY,
            "AWS_SECRET_ACCESS_KEY",
            GatewayFixture.CLIENT_SECRET);
    String url =
        CliTool.run(
                env,
                work,
                "/usr/bin/aws",
                "--endpoint-url",
                sigV4Only.endpoint().toString(),
                "s3",
                "presign",
                "s3://shared/doc.txt",
                "--expires-in",
                "600")
            .assertOk("presign")
            .output()
            .trim();
    assertThat(url).contains("X-Amz-Signature=");
    assertThat(curl(url).output()).isEqualTo("presigned content\n200");
    int at = url.indexOf("X-Amz-Signature=") + "X-Amz-Signature=".length();
    String tampered =
        url.substring(0, at) + (url.charAt(at) == '0' ? '1' : '0') + url.substring(at + 1);
    assertThat(curl(tampered).output())
        .contains("<Code>SignatureDoesNotMatch</Code>")
        .endsWith("403");
  }

  @Test
  void s3cmdSignurlNeedsSigV2ToBeEnabled() throws Exception {
    CliTool.requireInstalled("/usr/bin/s3cmd", "s3cmd");
    for (GatewayFixture f : new GatewayFixture[] {sigV2Allowed, sigV4Only}) {
      String host = f.endpoint().getHost() + ":" + f.endpoint().getPort();
      Path cfg = work.resolve("s3cfg-" + f.endpoint().getPort());
      Files.writeString(
          cfg,
          String.join(
              "\n",
              "[default]",
              "access_key = " + GatewayFixture.CLIENT_KEY,
              "secret_key = " + GatewayFixture.CLIENT_SECRET,
              "host_base = " + host,
              "host_bucket = " + host,
              "use_https = False",
              "signature_v2 = True",
              ""));
      String url =
          CliTool.run(
                  Map.of(),
                  work,
                  "/usr/bin/s3cmd",
                  "-c",
                  cfg.toString(),
                  "signurl",
                  "s3://shared/doc.txt",
                  "+600")
              .assertOk("signurl")
              .output()
              .trim();
      assertThat(url).contains("Signature=").contains("AWSAccessKeyId=");
      String result = curl(url).output();
      if (f == sigV2Allowed) {
        assertThat(result).isEqualTo("presigned content\n200");
      } else {
        assertThat(result).contains("<Code>AccessDenied</Code>").endsWith("403");
      }
    }
  }
}
