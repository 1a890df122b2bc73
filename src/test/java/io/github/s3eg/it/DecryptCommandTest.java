package io.github.s3eg.it;

import static io.github.s3eg.it.TestObjects.compressibleText;
import static io.github.s3eg.it.TestObjects.random;
import static org.assertj.core.api.Assertions.assertThat;

import io.github.s3eg.ops.DecryptCommand;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.S3Client;

/**
 * {@code decrypt} reads objects straight from the backend with the gateway's configuration, no
 * gateway running: single, compressed, multipart and ChaCha20 objects, to a file, to standard
 * output and a whole prefix into a directory; tampered objects are refused with the reason, a
 * non-zero exit and no output file.
 */
class DecryptCommandTest {

  static final String BUCKET = "recover";
  static final int MIB = 1 << 20;

  @TempDir static Path dir;
  static TestBackend backend;
  static final WrittenObjects written = new WrittenObjects(BUCKET);

  @BeforeAll
  static void writeThroughGateways() throws Exception {
    backend = TestBackend.start();
    try (GatewayFixture gateway =
            GatewayFixture.startOn(
                backend,
                Map.of(
                    "COMPRESSION_ENABLED", "true",
                    "COMPRESSION_CONTENT_TYPES", "text/plain"));
        S3Client s3 = gateway.defaultClient()) {
      s3.createBucket(b -> b.bucket(BUCKET));
      written.put(s3, "docs/empty", new byte[0], null);
      written.put(s3, "docs/small.bin", random(1000, 1), null);
      written.put(s3, "docs/large.bin", random(3 * MIB + 17, 2), null);
      written.put(s3, "docs/text.txt", compressibleText(2 * MIB), "text/plain");
      written.multipart(s3, "docs/parts/mpu.bin", random(11 * MIB + 5, 3), 5 * MIB);
      written.put(s3, "docs/tampered.bin", random(200_000, 4), null);
      written.put(s3, "other/outside", random(10, 5), null);
    }
    try (GatewayFixture chacha =
            GatewayFixture.startOn(
                backend, Map.of("ENCRYPTION_PREFERRED_ALGORITHM", "CHACHA20-POLY1305"));
        S3Client s3 = chacha.defaultClient()) {
      written.put(s3, "docs/chacha.bin", random(300_000, 6), null);
    }
    S3Client direct = backend.directClient();
    TestObjects.flipStoredByte(direct, BUCKET, "docs/tampered.bin", 150_000);
    direct.putObject(
        b -> b.bucket(BUCKET).key("plain/before-the-gateway"),
        RequestBody.fromString("stored in plaintext"));
  }

  @AfterAll
  static void stop() throws Exception {
    backend.close();
  }

  record Run(int exit, byte[] stdout, String stderr) {}

  static Run decrypt(Map<String, String> extra, String... args) {
    Map<String, String> settings = new HashMap<>(GatewayFixture.baseSettings(backend));
    settings.putAll(extra);
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    String[] full = new String[args.length + 1];
    full[0] = "decrypt";
    System.arraycopy(args, 0, full, 1, args.length);
    int exit =
        DecryptCommand.run(
            full,
            GatewayFixture.config(backend, settings),
            out,
            new PrintStream(err, true, StandardCharsets.UTF_8));
    return new Run(exit, out.toByteArray(), err.toString(StandardCharsets.UTF_8));
  }

  @Test
  void decryptsEachKindOfObjectToAFile() throws Exception {
    for (String key :
        List.of(
            "docs/empty",
            "docs/small.bin",
            "docs/large.bin",
            "docs/text.txt",
            "docs/parts/mpu.bin",
            "docs/chacha.bin")) {
      Path out = dir.resolve("file-" + key.replace('/', '_'));
      Run run = decrypt(Map.of(), "s3://" + BUCKET + "/" + key, out.toString());
      assertThat(run.exit()).as(run.stderr()).isZero();
      assertThat(Files.readAllBytes(out)).as(key).isEqualTo(written.get(key));
    }
  }

  @Test
  void decryptsToStandardOutput() {
    Run run = decrypt(Map.of(), "s3://" + BUCKET + "/docs/parts/mpu.bin", "-");
    assertThat(run.exit()).as(run.stderr()).isZero();
    assertThat(run.stdout()).isEqualTo(written.get("docs/parts/mpu.bin"));
  }

  @Test
  void decryptsAPrefixIntoADirectoryAndRefusesTheTamperedObject() throws Exception {
    Path out = dir.resolve("prefix");
    Run run = decrypt(Map.of(), "s3://" + BUCKET + "/docs/", out.toString());
    assertThat(run.exit()).as(run.stderr()).isEqualTo(1);
    assertThat(run.stderr())
        .contains("s3://recover/docs/tampered.bin: refused: TamperedSegment")
        .contains("6 object(s) decrypted")
        .contains("1 refused");
    for (var e : written.byKey().entrySet()) {
      if (e.getKey().startsWith("docs/") && !e.getKey().equals("docs/tampered.bin")) {
        assertThat(Files.readAllBytes(out.resolve(e.getKey().substring("docs/".length()))))
            .as(e.getKey())
            .isEqualTo(e.getValue());
      }
    }
    try (var files = Files.walk(out)) {
      assertThat(files.map(p -> out.relativize(p).toString()))
          .as("no file of the refused object, no partial file, nothing outside the prefix")
          .containsExactlyInAnyOrder(
              "",
              "empty",
              "small.bin",
              "large.bin",
              "text.txt",
              "parts",
              "parts/mpu.bin",
              "chacha.bin");
    }
  }

  @Test
  void refusesATamperedObjectWithNoOutputFile() {
    Path out = dir.resolve("tampered-out");
    Run run = decrypt(Map.of(), "s3://" + BUCKET + "/docs/tampered.bin", out.toString());
    assertThat(run.exit()).isEqualTo(1);
    assertThat(run.stderr()).contains("refused: TamperedSegment").contains("integrity");
    assertThat(out).doesNotExist();
    assertThat(dir.toFile().list()).noneMatch(n -> n.contains("partial"));

    Run toStdout = decrypt(Map.of(), "s3://" + BUCKET + "/docs/tampered.bin", "-");
    assertThat(toStdout.exit()).isEqualTo(1);
    assertThat(toStdout.stdout().length)
        .as("only authenticated segments before the damaged one")
        .isLessThan(150_000);
  }

  @Test
  void refusesAMultipartObjectWithoutItsIndex() throws Exception {
    try (GatewayFixture gateway = GatewayFixture.startOn(backend, Map.of());
        S3Client s3 = gateway.defaultClient()) {
      written.multipart(s3, "indexless/mpu.bin", random(6 * MIB, 9), 5 * MIB);
    }
    S3Client direct = backend.directClient();
    direct
        .listObjectsV2(
            b ->
                b.bucket(BUCKET)
                    .prefix(io.github.s3eg.backend.ReservedKeys.index("indexless/mpu.bin")))
        .contents()
        .forEach(o -> direct.deleteObject(b -> b.bucket(BUCKET).key(o.key())));
    Run run = decrypt(Map.of(), "s3://" + BUCKET + "/indexless/mpu.bin", "-");
    assertThat(run.exit()).isEqualTo(1);
    assertThat(run.stderr()).contains("index is missing");
    assertThat(run.stdout()).isEmpty();
  }

  @Test
  void plaintextObjectsOnlyWhenAllowed() throws Exception {
    Path out = dir.resolve("plain");
    Run refused = decrypt(Map.of(), "s3://" + BUCKET + "/plain/before-the-gateway", out.toString());
    assertThat(refused.exit()).isEqualTo(1);
    assertThat(refused.stderr()).contains("ENCRYPTION_ALLOW_PLAINTEXT_READS");
    Run allowed =
        decrypt(
            Map.of("ENCRYPTION_ALLOW_PLAINTEXT_READS", "true"),
            "s3://" + BUCKET + "/plain/before-the-gateway",
            out.toString());
    assertThat(allowed.exit()).as(allowed.stderr()).isZero();
    assertThat(Files.readString(out)).isEqualTo("stored in plaintext");
  }

  /** Ciphertext of another encryptor is never written out as if it were plaintext. */
  @Test
  void otherEncryptorsObjectsAreRefusedEvenWhenPlaintextIsAllowed() throws Exception {
    S3Client direct = backend.directClient();
    direct.putObject(
        b ->
            b.bucket(BUCKET)
                .key("foreign/go-gateway")
                .metadata(Map.of("encrypted", "true", "encryption-algorithm", "AES256-GCM")),
        RequestBody.fromString("ciphertext of the Go gateway"));
    direct.putObject(
        b ->
            b.bucket(BUCKET)
                .key("foreign/s3ec")
                .metadata(Map.of("x-amz-key-v2", "AAAA", "x-amz-iv", "AAAAAAAAAAAAAAAA")),
        RequestBody.fromString("ciphertext of the S3 Encryption Client"));
    Map<String, String> allowed = Map.of("ENCRYPTION_ALLOW_PLAINTEXT_READS", "true");
    Run go = decrypt(allowed, "s3://" + BUCKET + "/foreign/go-gateway", "-");
    assertThat(go.exit()).isEqualTo(1);
    assertThat(go.stdout()).isEmpty();
    assertThat(go.stderr()).contains("another gateway");
    Run s3ec = decrypt(allowed, "s3://" + BUCKET + "/foreign/s3ec", "-");
    assertThat(s3ec.exit()).isEqualTo(1);
    assertThat(s3ec.stdout()).isEmpty();
    assertThat(s3ec.stderr()).contains("ENCRYPTION_S3EC_KEYS");
  }

  @Test
  void refusesAWrongPasswordAndBadUsage() {
    Run wrong =
        decrypt(
            Map.of("ENCRYPTION_PASSWORD", "another-password-entirely"),
            "s3://" + BUCKET + "/docs/small.bin",
            "-");
    assertThat(wrong.exit()).isEqualTo(1);
    assertThat(wrong.stderr()).contains("UnknownKey");
    assertThat(decrypt(Map.of(), "not-a-url").exit()).isEqualTo(2);
    assertThat(decrypt(Map.of(), "s3://" + BUCKET + "/docs/").exit()).isEqualTo(2);
  }
}
