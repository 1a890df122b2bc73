package io.github.s3eg.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Real clients against a gateway that compresses text: awscli and rclone round trips, and what the
 * listing trade-off means for them (docs/configuration.md, "Compression"): single-object transfers
 * are exact; tools that trust listing sizes see the stored (compressed) size.
 */
class CompressionCliTest {

  private static GatewayFixture fixture;
  private static Map<String, String> awsEnv;
  private static Map<String, String> rcloneEnv;

  @TempDir Path work;

  @BeforeAll
  static void start() throws Exception {
    fixture = GatewayFixture.start(Map.of("COMPRESSION_ENABLED", "true"));
    awsEnv =
        Map.of(
            "AWS_ACCESS_KEY_ID", GatewayFixture.CLIENT_KEY,
            "AWS_SECRET_ACCESS_KEY", GatewayFixture.CLIENT_SECRET);
    rcloneEnv =
        Map.of(
            "RCLONE_CONFIG_GW_TYPE", "s3",
            "RCLONE_CONFIG_GW_PROVIDER", "Other",
            "RCLONE_CONFIG_GW_ACCESS_KEY_ID", GatewayFixture.CLIENT_KEY,
            "RCLONE_CONFIG_GW_SECRET_ACCESS_KEY", GatewayFixture.CLIENT_SECRET,
            "RCLONE_CONFIG_GW_ENDPOINT", fixture.endpoint().toString(),
            "RCLONE_CONFIG_GW_FORCE_PATH_STYLE", "true",
            "RCLONE_CONFIG_GW_REGION", "us-east-1");
  }

  @AfterAll
  static void stop() throws Exception {
    fixture.close();
  }

  private Path textFile(Path dir, String name, int size, long seed) throws Exception {
    Path f = dir.resolve(name);
    Files.createDirectories(f.getParent());
    Files.write(f, CompressionPipelineTest.text(seed, size));
    return f;
  }

  private CliTool.Result aws(String... args) throws Exception {
    String[] command = new String[args.length + 3];
    command[0] = "/usr/bin/aws";
    command[1] = "--endpoint-url";
    command[2] = fixture.endpoint().toString();
    System.arraycopy(args, 0, command, 3, args.length);
    return CliTool.run(awsEnv, work, command);
  }

  @Test
  void awscliRoundTripOfACompressedObject() throws Exception {
    CliTool.requireInstalled("/usr/bin/aws", "awscli");
    Path up = textFile(work, "up/log.txt", 5_000_000, 1);
    aws("s3", "mb", "s3://awscmp").assertOk("mb");
    aws("s3", "cp", up.toString(), "s3://awscmp/dir/log.txt").assertOk("cp up");
    try (var direct = fixture.backend().directClient()) {
      assertThat(direct.headObject(b -> b.bucket("awscmp").key("dir/log.txt")).metadata())
          .containsEntry("s3eg-v", "2");
    }
    Path down = work.resolve("down.txt");
    aws("s3", "cp", "s3://awscmp/dir/log.txt", down.toString()).assertOk("cp down");
    assertThat(Files.readAllBytes(down)).isEqualTo(Files.readAllBytes(up));
    // The listing shows the stored size, smaller than the file.
    CliTool.Result ls = aws("s3", "ls", "s3://awscmp/dir/").assertOk("ls");
    assertThat(ls.output()).contains("log.txt").doesNotContain("5000000 log.txt");
    // A recursive download plans from the listing; below the multipart threshold it reads the
    // whole body whatever size the listing said.
    Path tree = work.resolve("tree");
    aws("s3", "cp", "--recursive", "s3://awscmp/dir/", tree.toString()).assertOk("cp recursive");
    assertThat(Files.readAllBytes(tree.resolve("log.txt"))).isEqualTo(Files.readAllBytes(up));
  }

  @Test
  void rcloneRoundTripsAndTheListingSizeTradeOff() throws Exception {
    CliTool.requireInstalled("/usr/bin/rclone", "rclone");
    Path src = work.resolve("src");
    textFile(src, "a.txt", 700_000, 2);
    textFile(src, "b.txt", 1_500_000, 3);
    CliTool.run(rcloneEnv, work, "/usr/bin/rclone", "mkdir", "gw:rclonecmp").assertOk("mkdir");
    CliTool.run(rcloneEnv, work, "/usr/bin/rclone", "copy", src.toString(), "gw:rclonecmp/t")
        .assertOk("copy up");
    // Single-object reads use HEAD: exact.
    Path one = work.resolve("one.txt");
    CliTool.run(
            rcloneEnv, work, "/usr/bin/rclone", "copyto", "gw:rclonecmp/t/a.txt", one.toString())
        .assertOk("copyto down");
    assertThat(Files.readAllBytes(one)).isEqualTo(Files.readAllBytes(src.resolve("a.txt")));
    // Directory reads take sizes from the listing but write what GET returns: exact too.
    Path back = work.resolve("back");
    CliTool.run(rcloneEnv, work, "/usr/bin/rclone", "copy", "gw:rclonecmp/t", back.toString())
        .assertOk("copy back");
    assertThat(Files.readAllBytes(back.resolve("b.txt")))
        .isEqualTo(Files.readAllBytes(src.resolve("b.txt")));
    // Comparisons use listing sizes: check reports the compressed objects as different, and a
    // second sync would upload them again (the documented trade-off)...
    CliTool.Result check =
        CliTool.run(rcloneEnv, work, "/usr/bin/rclone", "check", src.toString(), "gw:rclonecmp/t");
    assertThat(check.exitCode()).as(check.output()).isNotZero();
    assertThat(check.output()).contains("sizes differ");
    // ...unless sizes are left out of the comparison.
    CliTool.run(
            rcloneEnv,
            work,
            "/usr/bin/rclone",
            "check",
            "--ignore-size",
            "--download",
            src.toString(),
            "gw:rclonecmp/t")
        .assertOk("check --ignore-size --download");
  }
}
