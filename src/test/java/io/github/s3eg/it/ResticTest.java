package io.github.s3eg.it;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.s3eg.backend.ReservedKeys;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.ObjectLockEnabled;
import software.amazon.awssdk.services.s3.model.ObjectLockRetentionMode;
import software.amazon.awssdk.services.s3.model.ObjectVersion;

/**
 * restic (Debian's 0.14) keeps a backup repository through the gateway in a versioned bucket with
 * Object Lock and a default retention, on Ceph RGW: {@code init}, {@code backup} of a few hundred
 * files, {@code check --read-data} (every pack downloaded and verified), {@code restore}, all
 * through the gateway. The backend holds every version encrypted by the gateway (restic's own
 * encryption aside: its key files are plain JSON, which the backend never sees).
 */
class ResticTest {

  static final String RESTIC = "/usr/bin/restic";
  static final String PASSWORD = "restic-repository-password";

  @TempDir static Path dir;

  private static CephBackend ceph;
  private static GatewayFixture gateway;
  private static S3Client client;
  private static S3Client backend;

  @BeforeAll
  static void start() throws Exception {
    CliTool.requireInstalled(RESTIC, "restic");
    ceph = CephBackend.shared();
    gateway = GatewayFixture.startOn(ceph, Map.of());
    client = gateway.defaultClient();
    backend = ceph.directClient();
  }

  @AfterAll
  static void stop() throws Exception {
    if (gateway != null) {
      client.close();
      backend.close();
      gateway.close();
    }
  }

  private static CliTool.Result restic(String bucket, String... args) throws Exception {
    String[] command = new String[args.length + 3];
    command[0] = RESTIC;
    command[1] = "-r";
    command[2] = "s3:" + gateway.endpoint() + "/" + bucket + "/repo";
    System.arraycopy(args, 0, command, 3, args.length);
    return CliTool.run(
        Map.of(
            "AWS_ACCESS_KEY_ID",
            GatewayFixture.CLIENT_KEY,
            "AWS_SECRET_ACCESS_KEY",
            GatewayFixture.CLIENT_SECRET,
            "RESTIC_PASSWORD",
            PASSWORD,
            "RESTIC_CACHE_DIR",
            dir.resolve("cache").toString()),
        dir,
        command);
  }

  /** A few hundred files: mostly small, some empty, some over a MiB, in nested folders. */
  private static Map<String, byte[]> writeTree(Path root) throws IOException {
    Random random = new Random(2026);
    Map<String, byte[]> files = new TreeMap<>();
    for (int i = 0; i < 320; i++) {
      int size =
          i % 40 == 0
              ? 1024 * 1024 + random.nextInt(1024 * 1024)
              : i % 17 == 0 ? 0 : random.nextInt(20_000);
      byte[] body = new byte[size];
      if (i % 3 == 0) {
        random.nextBytes(body); // incompressible
      } else {
        byte[] line = ("line of file " + i + " ").getBytes(StandardCharsets.UTF_8);
        for (int j = 0; j < size; j++) {
          body[j] = line[j % line.length];
        }
      }
      String name = "dir" + (i % 7) + "/sub" + (i % 3) + "/file-" + i + ".dat";
      Path file = root.resolve(name);
      Files.createDirectories(file.getParent());
      Files.write(file, body);
      files.put(name, body);
    }
    return files;
  }

  @Test
  void resticBacksUpChecksAndRestoresThroughTheGatewayIntoALockedVersionedBucket()
      throws Exception {
    String bucket = "restic-" + Long.toString(System.nanoTime(), 36);
    client.createBucket(b -> b.bucket(bucket).objectLockEnabledForBucket(true));
    client.putObjectLockConfiguration(
        b ->
            b.bucket(bucket)
                .objectLockConfiguration(
                    c ->
                        c.objectLockEnabled(ObjectLockEnabled.ENABLED)
                            .rule(
                                r ->
                                    r.defaultRetention(
                                        d -> d.mode(ObjectLockRetentionMode.GOVERNANCE).days(1)))));
    Path source = dir.resolve("source");
    Map<String, byte[]> files = writeTree(source);

    restic(bucket, "init").assertOk("restic init");
    CliTool.Result backup = restic(bucket, "backup", "--host", "test", source.toString());
    backup.assertOk("restic backup");
    restic(bucket, "check", "--read-data").assertOk("restic check --read-data");
    Path target = dir.resolve("target");
    restic(bucket, "restore", "latest", "--target", target.toString()).assertOk("restic restore");

    Path restoredRoot = target.resolve(source.toString().substring(1));
    try (Stream<Path> walk = Files.walk(restoredRoot)) {
      assertThat(walk.filter(Files::isRegularFile).count()).isEqualTo(files.size());
    }
    for (Map.Entry<String, byte[]> f : files.entrySet()) {
      assertThat(Files.readAllBytes(restoredRoot.resolve(f.getKey())))
          .as(f.getKey())
          .isEqualTo(f.getValue());
    }

    // Every version at the backend was written by the gateway: its envelope, never restic's
    // plaintext key files (JSON naming their key derivation).
    var stored = backend.listObjectVersions(b -> b.bucket(bucket)).versions();
    assertThat(stored).isNotEmpty();
    for (ObjectVersion v : stored) {
      if (ReservedKeys.isReserved(v.key())) {
        continue;
      }
      var object =
          backend.getObjectAsBytes(b -> b.bucket(bucket).key(v.key()).versionId(v.versionId()));
      assertThat(object.response().metadata()).as(v.key()).containsKey("s3eg-v");
      assertThat(object.asString(StandardCharsets.ISO_8859_1))
          .as(v.key())
          .doesNotContain("\"kdf\"");
    }
    assertThat(stored).anyMatch(v -> v.key().startsWith("repo/keys/"));
  }
}
