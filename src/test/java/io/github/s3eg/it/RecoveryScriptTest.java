package io.github.s3eg.it;

import static io.github.s3eg.it.TestObjects.compressibleText;
import static io.github.s3eg.it.TestObjects.random;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.github.s3eg.Gateway;
import io.github.s3eg.config.GatewayConfig;
import java.io.IOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.S3Client;

/**
 * {@code tools/recover.py}, the recovery reference written from docs/object-format.md and
 * docs/key-management.md alone, decrypts objects the gateway wrote without any Java: single, empty,
 * compressed (gzip; zstd with Debian's python3-zstandard), multipart (with its index, and without
 * it on request), both algorithms; under a password with a configured non-ASCII salt (its UTF-8
 * bytes), under a keyring, and from the embedded store's files with the generated {@code
 * gateway-kek.b64}. It refuses what the gateway refuses: a flipped byte, a cut body, a missing
 * index, another object's name, another password.
 */
class RecoveryScriptTest {

  static final String BUCKET = "recoverable";
  static final int MIB = 1 << 20;
  static final String SALT = "Zürich-2026/salt";
  static final Path SCRIPT = Path.of("tools", "recover.py").toAbsolutePath();

  @TempDir static Path dir;
  static TestBackend backend;
  static S3Client direct;
  static final WrittenObjects written = new WrittenObjects(BUCKET);
  static Path passwordFile;
  static Path keyring;

  @BeforeAll
  static void writeThroughGateways() throws Exception {
    backend = TestBackend.start();
    direct = backend.directClient();
    passwordFile = Files.writeString(dir.resolve("password.txt"), GatewayFixture.PASSWORD + "\n");
    byte[] ringKey = new byte[32];
    new Random(99).nextBytes(ringKey);
    keyring =
        Files.writeString(
            dir.resolve("keyring.json"),
            "{\"id\": \"ring\", \"active\": 3, \"keys\": [{\"version\": 3, \"key\": \""
                + Base64.getEncoder().encodeToString(ringKey)
                + "\"}]}");
    try (GatewayFixture gateway =
            GatewayFixture.startOn(
                backend,
                Map.of(
                    "ENCRYPTION_PASSWORD_SALT", SALT,
                    "COMPRESSION_ENABLED", "true",
                    "COMPRESSION_ALGORITHM", "gzip",
                    "COMPRESSION_CONTENT_TYPES", "text/plain"));
        S3Client s3 = gateway.defaultClient()) {
      s3.createBucket(b -> b.bucket(BUCKET));
      written.put(s3, "aes/empty", new byte[0], null);
      written.put(s3, "aes/small.bin", random(25, 1), null);
      written.put(s3, "aes/one-mb.bin", random(1_000_000, 2), null);
      written.put(s3, "aes/text.txt", compressibleText(700_000), "text/plain");
      written.multipart(s3, "aes/three-parts.bin", random(11 * MIB + 3, 3), 5 * MIB);
      written.put(s3, "aes/tampered.bin", random(200_000, 4), null);
      written.put(s3, "aes/cut.bin", random(200_000, 5), null);
      written.multipart(s3, "aes/index-deleted.bin", random(6 * MIB, 6), 5 * MIB);
    }
    try (GatewayFixture chacha =
            GatewayFixture.startOn(
                backend,
                Map.of(
                    "ENCRYPTION_PASSWORD_SALT", SALT,
                    "ENCRYPTION_PREFERRED_ALGORITHM", "CHACHA20-POLY1305",
                    "COMPRESSION_ENABLED", "true",
                    "COMPRESSION_CONTENT_TYPES", "text/plain"));
        S3Client s3 = chacha.defaultClient()) {
      written.put(s3, "chacha/single.bin", random(300_000, 7), null);
      written.put(s3, "chacha/zstd.txt", compressibleText(600_001), "text/plain");
      written.multipart(s3, "chacha/two-parts.bin", random(7 * MIB, 8), 5 * MIB);
    }
    try (GatewayFixture ring =
            GatewayFixture.startOn(
                backend,
                Map.of(
                    "ENCRYPTION_PASSWORD_SALT",
                    SALT,
                    "KEY_MANAGER_ENABLED",
                    "true",
                    "KEY_MANAGER_PROVIDER",
                    "keyring",
                    "KEYRING_FILE",
                    keyring.toString()));
        S3Client s3 = ring.defaultClient()) {
      written.put(s3, "ring/single.bin", random(70_000, 9), null);
      written.multipart(s3, "ring/two-parts.bin", random(5 * MIB + 1, 10), 5 * MIB);
    }
    TestObjects.flipStoredByte(direct, BUCKET, "aes/tampered.bin", 150_000);
    var cut = direct.getObjectAsBytes(b -> b.bucket(BUCKET).key("aes/cut.bin"));
    direct.putObject(
        b -> b.bucket(BUCKET).key("aes/cut.bin").metadata(cut.response().metadata()),
        RequestBody.fromBytes(Arrays.copyOf(cut.asByteArray(), cut.asByteArray().length - 70)));
  }

  @AfterAll
  static void stop() throws Exception {
    backend.close();
  }

  record Run(int exit, byte[] stdout, String stderr) {}

  static Run python(List<String> args) throws Exception {
    List<String> command = new ArrayList<>(List.of("/usr/bin/python3", SCRIPT.toString()));
    command.addAll(args);
    Path out = Files.createTempFile(dir, "out", ".bin");
    Path err = Files.createTempFile(dir, "err", ".txt");
    ProcessBuilder pb =
        new ProcessBuilder(command).redirectOutput(out.toFile()).redirectError(err.toFile());
    pb.environment().put("PYTHONIOENCODING", "utf-8");
    Process p = pb.start();
    if (!p.waitFor(5, TimeUnit.MINUTES)) {
      p.destroyForcibly();
      throw new AssertionError("recover.py did not finish: " + command);
    }
    Run run = new Run(p.exitValue(), Files.readAllBytes(out), Files.readString(err));
    Files.delete(out);
    Files.delete(err);
    return run;
  }

  /** What an operator fetches from the backend: the stored bytes and the head-object metadata. */
  static List<String> fetched(String key) throws IOException {
    Path body = dir.resolve("stored-" + key.replace('/', '_'));
    Files.write(body, direct.getObjectAsBytes(b -> b.bucket(BUCKET).key(key)).asByteArray());
    Map<String, Object> head = new HashMap<>();
    head.put("Metadata", direct.headObject(b -> b.bucket(BUCKET).key(key)).metadata());
    Path meta = dir.resolve("head-" + key.replace('/', '_') + ".json");
    Files.writeString(meta, new ObjectMapper().writeValueAsString(head));
    return List.of(
        "--bucket", BUCKET, "--key", key, "--metadata", meta.toString(), "--body", body.toString());
  }

  static List<String> withPassword(List<String> args) {
    List<String> all = new ArrayList<>(args);
    all.addAll(List.of("--password-file", passwordFile.toString(), "--salt", SALT));
    return all;
  }

  /** Fetches the part index the script names for {@code key}, as an operator would. */
  static List<String> withIndex(String key, List<String> args) throws Exception {
    Run name = python(concat(args, "--index-name"));
    assertThat(name.exit()).as(name.stderr()).isZero();
    String indexKey = new String(name.stdout(), StandardCharsets.UTF_8).strip();
    assertThat(indexKey).startsWith(".s3eg/index/");
    Path index = dir.resolve("index-" + key.replace('/', '_'));
    Files.write(index, direct.getObjectAsBytes(b -> b.bucket(BUCKET).key(indexKey)).asByteArray());
    return concat(args, "--index", index.toString());
  }

  static List<String> concat(List<String> args, String... more) {
    List<String> all = new ArrayList<>(args);
    all.addAll(List.of(more));
    return all;
  }

  @Test
  void decryptsSingleAndCompressedObjectsUnderThePasswordAndItsUtf8Salt() throws Exception {
    for (String key :
        List.of(
            "aes/empty",
            "aes/small.bin",
            "aes/one-mb.bin",
            "aes/text.txt",
            "chacha/single.bin",
            "chacha/zstd.txt")) {
      Run run = python(withPassword(fetched(key)));
      assertThat(run.exit()).as(key + ": " + run.stderr()).isZero();
      assertThat(run.stdout()).as(key).isEqualTo(written.get(key));
    }
    assertThat(direct.headObject(b -> b.bucket(BUCKET).key("aes/text.txt")).metadata())
        .as("the text really was stored compressed (format version 2, gzip)")
        .containsEntry("s3eg-v", "2")
        .hasEntrySatisfying("s3eg-cmp", v -> assertThat(v).startsWith("gzip."));
    assertThat(direct.headObject(b -> b.bucket(BUCKET).key("chacha/zstd.txt")).metadata())
        .as("stored compressed with the default codec (zstd), under ChaCha20-Poly1305")
        .containsEntry("s3eg-alg", "CHACHA20-POLY1305")
        .hasEntrySatisfying("s3eg-cmp", v -> assertThat(v).startsWith("zstd."));
  }

  @Test
  void decryptsMultipartObjectsWithTheirIndexBothAlgorithms() throws Exception {
    for (String key : List.of("aes/three-parts.bin", "chacha/two-parts.bin")) {
      Run run = python(withIndex(key, withPassword(fetched(key))));
      assertThat(run.exit()).as(key + ": " + run.stderr()).isZero();
      assertThat(run.stdout()).as(key).isEqualTo(written.get(key));
    }
    assertThat(direct.headObject(b -> b.bucket(BUCKET).key("aes/three-parts.bin")).metadata())
        .containsEntry("s3eg-v", "4");
  }

  @Test
  void decryptsUnderAKeyringEntryToAFile() throws Exception {
    for (String key : List.of("ring/single.bin", "ring/two-parts.bin")) {
      List<String> args = concat(fetched(key), "--keyring", keyring.toString());
      if (key.endsWith("parts.bin")) {
        args = withIndex(key, args);
      }
      Path out = dir.resolve("plain-" + key.replace('/', '_'));
      Run run = python(concat(args, "--out", out.toString()));
      assertThat(run.exit()).as(key + ": " + run.stderr()).isZero();
      assertThat(Files.readAllBytes(out)).as(key).isEqualTo(written.get(key));
    }
  }

  @Test
  void refusesTamperedCutAndMisnamedObjectsLeavingNoFile() throws Exception {
    Path out = dir.resolve("must-not-exist");
    Run flipped =
        python(concat(withPassword(fetched("aes/tampered.bin")), "--out", out.toString()));
    assertThat(flipped.exit()).isEqualTo(1);
    assertThat(flipped.stderr()).contains("REFUSED").contains("TamperedSegment");
    assertThat(out).doesNotExist();
    assertThat(dir.resolve("must-not-exist.recovering")).doesNotExist();

    Run cut = python(withPassword(fetched("aes/cut.bin")));
    assertThat(cut.exit()).isEqualTo(1);
    assertThat(cut.stderr()).containsAnyOf("TruncatedCiphertext", "ImpossibleCiphertextSize");

    // The same bytes and metadata under another key: the associated data is rebuilt from the
    // name, so the data key does not open.
    List<String> renamed = new ArrayList<>(withPassword(fetched("aes/small.bin")));
    renamed.set(renamed.indexOf("aes/small.bin"), "aes/renamed.bin");
    Run moved = python(renamed);
    assertThat(moved.exit()).isEqualTo(1);
    assertThat(moved.stderr()).contains("KeyUnwrapFailed");

    Path wrong = Files.writeString(dir.resolve("wrong.txt"), "another-password-0123\n");
    Run other =
        python(
            concat(fetched("aes/small.bin"), "--password-file", wrong.toString(), "--salt", SALT));
    assertThat(other.exit()).isEqualTo(1);
    assertThat(other.stderr()).contains("UnknownKey");

    Run defaultSalt =
        python(concat(fetched("aes/small.bin"), "--password-file", passwordFile.toString()));
    assertThat(defaultSalt.exit()).as("the configured salt is part of the key").isEqualTo(1);
    assertThat(defaultSalt.stderr()).contains("UnknownKey");
  }

  @Test
  void aMultipartObjectNeedsItsIndexUnlessToldOtherwise() throws Exception {
    String key = "aes/index-deleted.bin";
    List<String> args = withPassword(fetched(key));
    Run refused = python(args);
    assertThat(refused.exit()).isEqualTo(1);
    assertThat(refused.stderr()).contains("needs its index");

    Run walked = python(concat(args, "--without-index"));
    assertThat(walked.exit()).as(walked.stderr()).isZero();
    assertThat(walked.stderr()).contains("nothing proves");
    assertThat(walked.stdout()).isEqualTo(written.get(key));

    // Another object's index does not verify for this one.
    Path foreign = dir.resolve("foreign-index");
    List<String> other =
        withIndex("aes/three-parts.bin", withPassword(fetched("aes/three-parts.bin")));
    Files.copy(Path.of(other.get(other.indexOf("--index") + 1)), foreign);
    Run mismatched = python(concat(args, "--index", foreign.toString()));
    assertThat(mismatched.exit()).isEqualTo(1);
    assertThat(mismatched.stderr()).contains("MetadataAuthenticationFailed");
  }

  /**
   * The embedded store (no BACKEND_ENDPOINT) as docs/operations.md describes it: one file per
   * object, metadata in extended attributes, the generated key in gateway-kek.b64.
   */
  @Test
  void readsTheEmbeddedStoreFilesWithTheGeneratedKey() throws Exception {
    Path data = Files.createDirectory(dir.resolve("data"));
    Map<String, String> env = new HashMap<>();
    env.put("LISTEN_ADDR", "127.0.0.1:0");
    env.put("DATA_DIR", data.toString());
    env.put("AUTH_ACCESS_KEY", GatewayFixture.CLIENT_KEY);
    env.put("AUTH_SECRET_KEY", GatewayFixture.CLIENT_SECRET);
    byte[] single = random(123_457, 11);
    byte[] parts = random(5 * MIB + 99, 12);
    try (Gateway gateway = Gateway.start(GatewayConfig.from(env, new Properties()));
        S3Client s3 =
            S3Client.builder()
                .endpointOverride(URI.create("http://127.0.0.1:" + gateway.port()))
                .region(Region.US_EAST_1)
                .credentialsProvider(
                    StaticCredentialsProvider.create(
                        AwsBasicCredentials.create(
                            GatewayFixture.CLIENT_KEY, GatewayFixture.CLIENT_SECRET)))
                .forcePathStyle(true)
                .build()) {
      s3.createBucket(b -> b.bucket("trial"));
      s3.putObject(b -> b.bucket("trial").key("dir/single.bin"), RequestBody.fromBytes(single));
      TestObjects.multipart(s3, "trial", "dir/parts.bin", parts, 5 * MIB);
    }
    Path kek = data.resolve("gateway-kek.b64");
    assertThat(Files.readString(kek)).matches("[A-Za-z0-9+/]{43}=\n");
    Path file = data.resolve("objects/trial/dir/single.bin");
    assertThat(file).isRegularFile();
    for (var expected : Map.of("dir/single.bin", single, "dir/parts.bin", parts).entrySet()) {
      Run run =
          python(
              List.of(
                  "--embedded", data.toString(),
                  "--bucket", "trial",
                  "--key", expected.getKey(),
                  "--kek-file", kek.toString()));
      assertThat(run.exit()).as(expected.getKey() + ": " + run.stderr()).isZero();
      assertThat(run.stdout()).as(expected.getKey()).isEqualTo(expected.getValue());
    }
  }
}
