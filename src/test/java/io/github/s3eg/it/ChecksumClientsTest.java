package io.github.s3eg.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.Base64;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Checksums with the Debian clients: boto3 1.26 at its defaults and with explicit algorithms
 * (including a FULL_OBJECT multipart upload, whose type header botocore 1.29 cannot send by
 * itself), and awscli 2.9's {@code --checksum-algorithm}, {@code --checksum-mode ENABLED} and
 * {@code get-object-attributes}.
 */
class ChecksumClientsTest {

  private static GatewayFixture fixture;
  private static Map<String, String> awsEnv;

  @TempDir Path work;

  @BeforeAll
  static void start() throws Exception {
    fixture = GatewayFixture.start(Map.of());
    awsEnv =
        Map.of(
            "AWS_ACCESS_KEY_ID", GatewayFixture.CLIENT_KEY,
            "AWS_SECRET_ACCESS_KEY", GatewayFixture.CLIENT_SECRET);
  }

  @AfterAll
  static void stop() throws Exception {
    fixture.close();
  }

  @Test
  void boto3() throws Exception {
    CliTool.requireInstalled("/usr/bin/python3", "python3-boto3");
    Path script = work.resolve("boto3_checksums.py");
    try (InputStream in = getClass().getResourceAsStream("/clients/boto3_checksums.py")) {
      Files.write(script, in.readAllBytes());
    }
    CliTool.Result r =
        CliTool.run(
                Map.of(),
                work,
                "/usr/bin/python3",
                script.toString(),
                fixture.endpoint().toString(),
                GatewayFixture.CLIENT_KEY,
                GatewayFixture.CLIENT_SECRET)
            .assertOk("boto3 checksums");
    assertThat(r.output()).contains("BOTO-CHECKSUMS-OK");
  }

  @Test
  void awscli() throws Exception {
    CliTool.requireInstalled("/usr/bin/aws", "awscli");
    byte[] data = new byte[200_000];
    new Random(3).nextBytes(data);
    Path file = work.resolve("up.bin");
    Files.write(file, data);
    String sha256 =
        Base64.getEncoder().encodeToString(MessageDigest.getInstance("SHA-256").digest(data));
    aws("s3", "mb", "s3://cli-checksums");
    String put =
        aws(
            "s3api",
            "put-object",
            "--bucket",
            "cli-checksums",
            "--key",
            "k",
            "--body",
            file.toString(),
            "--checksum-algorithm",
            "SHA256");
    assertThat(put).contains(sha256);
    assertThat(
            aws(
                "s3api",
                "head-object",
                "--bucket",
                "cli-checksums",
                "--key",
                "k",
                "--checksum-mode",
                "ENABLED"))
        .contains("\"ChecksumSHA256\": \"" + sha256 + "\"");
    Path down = work.resolve("down.bin");
    assertThat(
            aws(
                "s3api",
                "get-object",
                "--bucket",
                "cli-checksums",
                "--key",
                "k",
                "--checksum-mode",
                "ENABLED",
                down.toString()))
        .contains(sha256);
    assertThat(Files.readAllBytes(down)).isEqualTo(data);
    String attributes =
        aws(
            "s3api",
            "get-object-attributes",
            "--bucket",
            "cli-checksums",
            "--key",
            "k",
            "--object-attributes",
            "ETag",
            "Checksum",
            "ObjectSize",
            "StorageClass");
    assertThat(attributes)
        .contains("\"ObjectSize\": 200000")
        .contains("\"ChecksumSHA256\": \"" + sha256 + "\"")
        .contains("\"StorageClass\": \"STANDARD\"");
  }

  private String aws(String... args) throws Exception {
    String[] command = new String[args.length + 3];
    command[0] = "/usr/bin/aws";
    command[1] = "--endpoint-url";
    command[2] = fixture.endpoint().toString();
    System.arraycopy(args, 0, command, 3, args.length);
    return CliTool.run(awsEnv, work, command).assertOk(String.join(" ", args)).output();
  }
}
