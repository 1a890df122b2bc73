package io.github.s3eg.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The S3 clients people use, from Debian's packages, against the gateway: awscli v2, s3cmd, rclone,
 * boto3 and curl's SigV4 signing. Each uploads and downloads real files and compares the bytes.
 */
class CliClientsTest {

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

  private static Path randomFile(Path dir, String name, int size, long seed) throws Exception {
    byte[] data = new byte[size];
    new Random(seed).nextBytes(data);
    Path f = dir.resolve(name);
    Files.createDirectories(f.getParent());
    Files.write(f, data);
    return f;
  }

  private String endpoint() {
    return fixture.endpoint().toString();
  }

  @Test
  void awscliCopiesUpAndDown() throws Exception {
    CliTool.requireInstalled("/usr/bin/aws", "awscli");
    Path up = randomFile(work, "up.bin", 3_000_000, 1);
    CliTool.run(
            awsEnv, work, "/usr/bin/aws", "--endpoint-url", endpoint(), "s3", "mb", "s3://awscli")
        .assertOk("mb");
    CliTool.run(
            awsEnv,
            work,
            "/usr/bin/aws",
            "--endpoint-url",
            endpoint(),
            "s3",
            "cp",
            up.toString(),
            "s3://awscli/dir/up.bin")
        .assertOk("cp up");
    CliTool.Result ls =
        CliTool.run(
                awsEnv,
                work,
                "/usr/bin/aws",
                "--endpoint-url",
                endpoint(),
                "s3",
                "ls",
                "s3://awscli/dir/")
            .assertOk("ls");
    assertThat(ls.output()).contains("3000000 up.bin");
    Path down = work.resolve("down.bin");
    CliTool.run(
            awsEnv,
            work,
            "/usr/bin/aws",
            "--endpoint-url",
            endpoint(),
            "s3",
            "cp",
            "s3://awscli/dir/up.bin",
            down.toString())
        .assertOk("cp down");
    assertThat(Files.readAllBytes(down)).isEqualTo(Files.readAllBytes(up));
    CliTool.run(
            awsEnv,
            work,
            "/usr/bin/aws",
            "--endpoint-url",
            endpoint(),
            "s3",
            "rm",
            "s3://awscli/dir/up.bin")
        .assertOk("rm");
  }

  @Test
  void s3cmdPutsAndGetsWithoutMd5Warnings() throws Exception {
    CliTool.requireInstalled("/usr/bin/s3cmd", "s3cmd");
    String host = fixture.endpoint().getHost() + ":" + fixture.endpoint().getPort();
    Path cfg = work.resolve("s3cfg");
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
            "signature_v2 = False",
            "check_ssl_certificate = False",
            ""));
    Path up = randomFile(work, "s3cmd.bin", 2_500_000, 2);
    CliTool.run(Map.of(), work, "/usr/bin/s3cmd", "-c", cfg.toString(), "mb", "s3://s3cmd-bucket")
        .assertOk("mb");
    CliTool.run(
            Map.of(),
            work,
            "/usr/bin/s3cmd",
            "-c",
            cfg.toString(),
            "put",
            up.toString(),
            "s3://s3cmd-bucket/f.bin")
        .assertOk("put");
    Path down = work.resolve("s3cmd-down.bin");
    CliTool.Result get =
        CliTool.run(
                Map.of(),
                work,
                "/usr/bin/s3cmd",
                "-c",
                cfg.toString(),
                "get",
                "s3://s3cmd-bucket/f.bin",
                down.toString())
            .assertOk("get");
    assertThat(get.output())
        .doesNotContainIgnoringCase("MD5 signatures do not match")
        .doesNotContain("WARNING");
    assertThat(Files.readAllBytes(down)).isEqualTo(Files.readAllBytes(up));
    CliTool.Result ls =
        CliTool.run(
                Map.of(), work, "/usr/bin/s3cmd", "-c", cfg.toString(), "ls", "s3://s3cmd-bucket/")
            .assertOk("ls");
    assertThat(ls.output()).contains("s3://s3cmd-bucket/f.bin");
  }

  @Test
  void rcloneSyncConvergesOnTheSecondRun() throws Exception {
    CliTool.requireInstalled("/usr/bin/rclone", "rclone");
    Map<String, String> env =
        Map.of(
            "RCLONE_CONFIG_GW_TYPE", "s3",
            "RCLONE_CONFIG_GW_PROVIDER", "Other",
            "RCLONE_CONFIG_GW_ACCESS_KEY_ID", GatewayFixture.CLIENT_KEY,
            "RCLONE_CONFIG_GW_SECRET_ACCESS_KEY", GatewayFixture.CLIENT_SECRET,
            "RCLONE_CONFIG_GW_ENDPOINT", endpoint(),
            "RCLONE_CONFIG_GW_FORCE_PATH_STYLE", "true",
            "RCLONE_CONFIG_GW_REGION", "us-east-1");
    Path src = work.resolve("tree");
    for (int i = 0; i < 5; i++) {
      randomFile(src, "sub" + (i % 2) + "/file" + i + ".bin", 100_000 + i * 70_000, 10 + i);
    }
    CliTool.run(env, work, "/usr/bin/rclone", "mkdir", "gw:rclone-bucket").assertOk("mkdir");
    CliTool.run(env, work, "/usr/bin/rclone", "sync", src.toString(), "gw:rclone-bucket/tree")
        .assertOk("first sync");
    CliTool.Result second =
        CliTool.run(
                env, work, "/usr/bin/rclone", "sync", "-v", src.toString(), "gw:rclone-bucket/tree")
            .assertOk("second sync");
    assertThat(second.output()).doesNotContain("Copied (new)").doesNotContain("Copied (replaced");
    assertThat(second.output()).contains("There was nothing to transfer");
    CliTool.run(env, work, "/usr/bin/rclone", "check", src.toString(), "gw:rclone-bucket/tree")
        .assertOk("check");
    Path back = work.resolve("back");
    CliTool.run(env, work, "/usr/bin/rclone", "copy", "gw:rclone-bucket/tree", back.toString())
        .assertOk("copy back");
    assertThat(Files.readAllBytes(back.resolve("sub1/file3.bin")))
        .isEqualTo(Files.readAllBytes(src.resolve("sub1/file3.bin")));
  }

  @Test
  void boto3PutsAndGets() throws Exception {
    CliTool.requireInstalled("/usr/bin/python3", "python3-boto3");
    Path script = work.resolve("boto.py");
    Files.writeString(
        script,
        String.join(
            "\n",
            "import boto3, os, sys",
            "s3 = boto3.client('s3', endpoint_url=sys.argv[1], aws_access_key_id=sys.argv[2],",
            "                  aws_secret_access_key=sys.argv[3], region_name='us-east-1')",
            "s3.create_bucket(Bucket='boto-bucket')",
            "data = os.urandom(1234567)",
            "s3.put_object(Bucket='boto-bucket', Key='k ey+1', Body=data, Metadata={'a': 'b'})",
            "got = s3.get_object(Bucket='boto-bucket', Key='k ey+1')",
            "assert got['Body'].read() == data, 'bytes differ'",
            "assert got['Metadata'] == {'a': 'b'}, got['Metadata']",
            "print('BOTO-OK')",
            ""));
    CliTool.Result r =
        CliTool.run(
                Map.of(),
                work,
                "/usr/bin/python3",
                script.toString(),
                endpoint(),
                GatewayFixture.CLIENT_KEY,
                GatewayFixture.CLIENT_SECRET)
            .assertOk("boto3");
    assertThat(r.output()).contains("BOTO-OK");
  }

  /**
   * The README's curl examples: curl signs with SigV4 itself (7.75+). Before 8.x it does not send
   * {@code x-amz-content-sha256}, which S3 requires, so the examples pass it.
   */
  @Test
  void curlWithAwsSigV4() throws Exception {
    CliTool.requireInstalled("/usr/bin/curl", "curl");
    String user = GatewayFixture.CLIENT_KEY + ":" + GatewayFixture.CLIENT_SECRET;
    CliTool.run(
            Map.of(),
            work,
            "/usr/bin/curl",
            "-sS",
            "-f",
            "--aws-sigv4",
            "aws:amz:us-east-1:s3",
            "-H",
            "x-amz-content-sha256: UNSIGNED-PAYLOAD",
            "--user",
            user,
            "-X",
            "PUT",
            endpoint() + "/curl-bucket")
        .assertOk("curl create bucket");
    Path up = randomFile(work, "curl.bin", 50_000, 3);
    CliTool.run(
            Map.of(),
            work,
            "/usr/bin/curl",
            "-sS",
            "-f",
            "--aws-sigv4",
            "aws:amz:us-east-1:s3",
            "-H",
            "x-amz-content-sha256: UNSIGNED-PAYLOAD",
            "--user",
            user,
            "-T",
            up.toString(),
            endpoint() + "/curl-bucket/curl.bin")
        .assertOk("curl put");
    Path down = work.resolve("curl-down.bin");
    CliTool.run(
            Map.of(),
            work,
            "/usr/bin/curl",
            "-sS",
            "-f",
            "--aws-sigv4",
            "aws:amz:us-east-1:s3",
            "-H",
            "x-amz-content-sha256: UNSIGNED-PAYLOAD",
            "--user",
            user,
            "-o",
            down.toString(),
            endpoint() + "/curl-bucket/curl.bin")
        .assertOk("curl get");
    assertThat(Files.readAllBytes(down)).isEqualTo(Files.readAllBytes(up));
    CliTool.Result anonymous =
        CliTool.run(
            Map.of(),
            work,
            "/usr/bin/curl",
            "-s",
            "-o",
            "/dev/null",
            "-w",
            "%{http_code}",
            endpoint() + "/curl-bucket/curl.bin");
    assertThat(anonymous.output()).isEqualTo("403");
  }

  // ---- multipart uploads by the same clients (each switches to multipart above its threshold)

  @Test
  void awscliUploadsFiftyMebibytesInParts() throws Exception {
    CliTool.requireInstalled("/usr/bin/aws", "awscli");
    Path up = randomFile(work, "big.bin", 50 * 1024 * 1024, 81);
    CliTool.run(
            awsEnv, work, "/usr/bin/aws", "--endpoint-url", endpoint(), "s3", "mb", "s3://aws-mpu")
        .assertOk("mb");
    CliTool.run(
            awsEnv,
            work,
            "/usr/bin/aws",
            "--endpoint-url",
            endpoint(),
            "s3",
            "cp",
            up.toString(),
            "s3://aws-mpu/big.bin")
        .assertOk("cp up (multipart: 8 MiB threshold)");
    try (var direct = fixture.backend().directClient()) {
      assertThat(direct.headObject(b -> b.bucket("aws-mpu").key("big.bin")).metadata())
          .as("stored as a multipart (v3) object")
          .containsEntry("s3eg-v", "4");
    }
    Path down = work.resolve("big-down.bin");
    CliTool.run(
            awsEnv,
            work,
            "/usr/bin/aws",
            "--endpoint-url",
            endpoint(),
            "s3",
            "cp",
            "s3://aws-mpu/big.bin",
            down.toString())
        .assertOk("cp down");
    assertThat(Files.mismatch(up, down)).isEqualTo(-1L);
    CliTool.Result ls =
        CliTool.run(
                awsEnv,
                work,
                "/usr/bin/aws",
                "--endpoint-url",
                endpoint(),
                "s3",
                "ls",
                "s3://aws-mpu/")
            .assertOk("ls");
    assertThat(ls.output()).contains(Long.toString(50L * 1024 * 1024));
  }

  @Test
  void rcloneCopiesInEightMebibyteChunks() throws Exception {
    CliTool.requireInstalled("/usr/bin/rclone", "rclone");
    Map<String, String> env =
        Map.of(
            "RCLONE_CONFIG_GW_TYPE", "s3",
            "RCLONE_CONFIG_GW_PROVIDER", "Other",
            "RCLONE_CONFIG_GW_ACCESS_KEY_ID", GatewayFixture.CLIENT_KEY,
            "RCLONE_CONFIG_GW_SECRET_ACCESS_KEY", GatewayFixture.CLIENT_SECRET,
            "RCLONE_CONFIG_GW_ENDPOINT", endpoint(),
            "RCLONE_CONFIG_GW_FORCE_PATH_STYLE", "true",
            "RCLONE_CONFIG_GW_REGION", "us-east-1");
    Path src = work.resolve("rc-mpu");
    randomFile(src, "a.bin", 20 * 1024 * 1024 + 17, 82);
    randomFile(src, "b.bin", 9 * 1024 * 1024, 83);
    CliTool.run(env, work, "/usr/bin/rclone", "mkdir", "gw:rclone-mpu").assertOk("mkdir");
    String[] chunked = {"--s3-upload-cutoff", "8M", "--s3-chunk-size", "8M"};
    List<String> copy = new ArrayList<>(List.of("/usr/bin/rclone", "copy", "-v"));
    copy.addAll(List.of(chunked));
    copy.addAll(List.of(src.toString(), "gw:rclone-mpu/d"));
    CliTool.run(env, work, copy.toArray(String[]::new)).assertOk("copy up in parts");
    try (var direct = fixture.backend().directClient()) {
      assertThat(direct.headObject(b -> b.bucket("rclone-mpu").key("d/a.bin")).metadata())
          .containsEntry("s3eg-v", "4");
    }
    CliTool.run(env, work, "/usr/bin/rclone", "check", src.toString(), "gw:rclone-mpu/d")
        .assertOk("check (sizes from the listing, hashes)");
    List<String> again = new ArrayList<>(List.of("/usr/bin/rclone", "sync", "-v"));
    again.addAll(List.of(chunked));
    again.addAll(List.of(src.toString(), "gw:rclone-mpu/d"));
    CliTool.Result second = CliTool.run(env, work, again.toArray(String[]::new)).assertOk("sync");
    assertThat(second.output()).contains("There was nothing to transfer");
    Path back = work.resolve("rc-back");
    CliTool.run(env, work, "/usr/bin/rclone", "copy", "gw:rclone-mpu/d", back.toString())
        .assertOk("copy back");
    assertThat(Files.mismatch(src.resolve("a.bin"), back.resolve("a.bin"))).isEqualTo(-1L);
  }

  @Test
  void s3cmdMultipartPut() throws Exception {
    CliTool.requireInstalled("/usr/bin/s3cmd", "s3cmd");
    String host = fixture.endpoint().getHost() + ":" + fixture.endpoint().getPort();
    Path cfg = work.resolve("s3cfg-mpu");
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
            "signature_v2 = False",
            "multipart_chunk_size_mb = 5",
            ""));
    Path up = randomFile(work, "s3cmd-big.bin", 12 * 1024 * 1024 + 3, 84);
    CliTool.run(Map.of(), work, "/usr/bin/s3cmd", "-c", cfg.toString(), "mb", "s3://s3cmd-mpu")
        .assertOk("mb");
    CliTool.Result put =
        CliTool.run(
                Map.of(),
                work,
                "/usr/bin/s3cmd",
                "-c",
                cfg.toString(),
                "put",
                up.toString(),
                "s3://s3cmd-mpu/big.bin")
            .assertOk("put");
    assertThat(put.output()).doesNotContain("WARNING");
    try (var direct = fixture.backend().directClient()) {
      assertThat(direct.headObject(b -> b.bucket("s3cmd-mpu").key("big.bin")).metadata())
          .as("stored as a multipart (v3) object")
          .containsEntry("s3eg-v", "4");
    }
    Path down = work.resolve("s3cmd-big-down.bin");
    CliTool.run(
            Map.of(),
            work,
            "/usr/bin/s3cmd",
            "-c",
            cfg.toString(),
            "get",
            "s3://s3cmd-mpu/big.bin",
            down.toString())
        .assertOk("get");
    assertThat(Files.mismatch(up, down)).isEqualTo(-1L);
  }
}
