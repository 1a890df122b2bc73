package io.github.s3eg.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.github.s3eg.crypto.s3ec.S3ecKeyring;
import io.github.s3eg.crypto.s3ec.S3ecWriter;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.core.ResponseInputStream;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.GetObjectResponse;
import software.amazon.awssdk.services.s3.model.HeadObjectResponse;
import software.amazon.awssdk.services.s3.model.MetadataDirective;
import software.amazon.awssdk.services.s3.model.S3Exception;
import software.amazon.awssdk.services.s3.model.S3Object;
import software.amazon.encryption.s3.S3EncryptionClient;

/**
 * Objects written by the AWS S3 Encryption Client (4.0.1, straight to the backend, with a raw AES
 * key the gateway's keyring also holds) are served by the gateway with {@code
 * ENCRYPTION_READ_S3EC=true} like its own: GET whole and by ranges from 0 B to 100 MiB, HEAD with
 * the plaintext size, CopyObject into the gateway's format, instruction files hidden; tampered
 * objects are refused, never served.
 */
class S3ecObjectsTest {

  static final String BUCKET = "s3ec-app";
  static final int MIB = 1 << 20;

  @TempDir static Path dir;
  static TestBackend backend;
  static GatewayFixture gateway;
  static S3Client client;
  static S3Client direct;
  static S3EncryptionClient v3;
  static S3EncryptionClient v2;
  static S3EncryptionClient v3WithInstructionFile;

  @BeforeAll
  static void start() throws Exception {
    backend = TestBackend.start();
    gateway = GatewayFixture.startOn(backend, settings(S3ecKeyring.write(dir)));
    client = gateway.defaultClient();
    direct = backend.directClient();
    direct.createBucket(b -> b.bucket(BUCKET));
    v3 = S3ecWriter.client(backend, S3ecKeyring.S3EC_KEY, S3ecWriter.Format.V3, false);
    v2 = S3ecWriter.client(backend, S3ecKeyring.S3EC_KEY, S3ecWriter.Format.V2, false);
    v3WithInstructionFile =
        S3ecWriter.client(backend, S3ecKeyring.S3EC_KEY, S3ecWriter.Format.V3, true);
  }

  static Map<String, String> settings(Path keyring) {
    Map<String, String> s = new HashMap<>();
    s.put("KEY_MANAGER_ENABLED", "true");
    s.put("KEY_MANAGER_PROVIDER", "keyring");
    s.put("KEYRING_FILE", keyring.toString());
    s.put("ENCRYPTION_READ_S3EC", "true");
    s.put("ENCRYPTION_S3EC_KEYS", S3ecKeyring.S3EC_REFERENCE.encode());
    return s;
  }

  @AfterAll
  static void stop() throws Exception {
    for (AutoCloseable c : List.of(v3, v2, v3WithInstructionFile, client, direct, gateway)) {
      c.close();
    }
    backend.close();
  }

  static byte[] data(int size, long seed) {
    byte[] b = new byte[size];
    new Random(seed).nextBytes(b);
    return b;
  }

  static void put(S3EncryptionClient s3ec, String key, byte[] content) {
    s3ec.putObject(b -> b.bucket(BUCKET).key(key), RequestBody.fromBytes(content));
  }

  static byte[] get(String key, String range) {
    return client.getObjectAsBytes(b -> b.bucket(BUCKET).key(key).range(range)).asByteArray();
  }

  @Test
  void servesWholeAndRangedReadsFromZeroBytesToOneMebibyte() {
    int[] sizes = {0, 1, 15, 16, 17, 1000, 65_536, MIB + 3};
    for (int size : sizes) {
      byte[] content = data(size, size);
      for (var s3ec : Map.of("v3", v3, "v2", v2, "v3i", v3WithInstructionFile).entrySet()) {
        String key = s3ec.getKey() + "/" + size;
        put(s3ec.getValue(), key, content);
        HeadObjectResponse head = client.headObject(b -> b.bucket(BUCKET).key(key));
        assertThat(head.contentLength()).as(key).isEqualTo(size);
        assertThat(head.metadata()).as("no S3EC entry is shown").isEmpty();
        var whole = client.getObjectAsBytes(b -> b.bucket(BUCKET).key(key));
        assertThat(whole.asByteArray()).as(key).isEqualTo(content);
        assertThat(whole.response().eTag()).isEqualTo(head.eTag()).endsWith("-1\"");
        if (size > 0) {
          assertThat(get(key, "bytes=0-0")).isEqualTo(Arrays.copyOf(content, 1));
          assertThat(get(key, "bytes=-1")).isEqualTo(new byte[] {content[size - 1]});
          int a = size / 3;
          int z = Math.max(a, size * 2 / 3);
          assertThat(get(key, "bytes=" + a + "-" + z))
              .isEqualTo(Arrays.copyOfRange(content, a, z + 1));
          assertThat(get(key, "bytes=" + a + "-")).isEqualTo(Arrays.copyOfRange(content, a, size));
        }
      }
    }
  }

  @Test
  void servesOneHundredMebibytesWholeAndByRanges() throws Exception {
    int size = 100 * MIB;
    byte[] content = data(size, 100);
    put(v3, "big.bin", content);
    assertThat(client.headObject(b -> b.bucket(BUCKET).key("big.bin")).contentLength())
        .isEqualTo(size);
    try (ResponseInputStream<GetObjectResponse> in =
        client.getObject(b -> b.bucket(BUCKET).key("big.bin"))) {
      assertThat(sha256(in)).isEqualTo(MessageDigest.getInstance("SHA-256").digest(content));
    }
    assertThat(get("big.bin", "bytes=" + (size - 10) + "-"))
        .isEqualTo(Arrays.copyOfRange(content, size - 10, size));
    assertThat(get("big.bin", "bytes=33554432-41943039"))
        .isEqualTo(Arrays.copyOfRange(content, 32 * MIB, 40 * MIB));
  }

  static byte[] sha256(InputStream in) throws Exception {
    MessageDigest sha = MessageDigest.getInstance("SHA-256");
    byte[] buf = new byte[1 << 16];
    for (int n; (n = in.read(buf)) > 0; ) {
      sha.update(buf, 0, n);
    }
    return sha.digest();
  }

  @Test
  void tamperedObjectsAreRefusedWholeAndByRanges() {
    byte[] content = data(200_000, 7);
    for (var s3ec : Map.of("v3", v3, "v2", v2).entrySet()) {
      String key = "tampered-" + s3ec.getKey();
      put(s3ec.getValue(), key, content);
      var stored = direct.getObjectAsBytes(b -> b.bucket(BUCKET).key(key));
      byte[] body = stored.asByteArray();
      body[150_000] ^= 0x20;
      direct.putObject(
          b -> b.bucket(BUCKET).key(key).metadata(stored.response().metadata()),
          RequestBody.fromBytes(body));
      for (String range : new String[] {null, "bytes=0-99", "bytes=199000-199999"}) {
        assertThatThrownBy(() -> get(key, range))
            .as("%s %s", key, range)
            .isInstanceOfSatisfying(
                S3Exception.class,
                e -> {
                  assertThat(e.statusCode()).isEqualTo(500);
                  assertThat(e.awsErrorDetails().errorMessage()).contains("integrity check");
                });
      }
      // Wrapped under a key the gateway does not have: named as such.
      Map<String, String> otherKey = new HashMap<>(stored.response().metadata());
      String entry = s3ec.getKey().equals("v2") ? "x-amz-key-v2" : "x-amz-3";
      byte[] wrapped = java.util.Base64.getDecoder().decode(otherKey.get(entry));
      wrapped[13] ^= 1;
      otherKey.put(entry, java.util.Base64.getEncoder().encodeToString(wrapped));
      direct.putObject(
          b -> b.bucket(BUCKET).key(key + "-key").metadata(otherKey),
          RequestBody.fromBytes(stored.asByteArray()));
      assertThatThrownBy(() -> get(key + "-key", null))
          .isInstanceOfSatisfying(
              S3Exception.class,
              e -> assertThat(e.awsErrorDetails().errorMessage()).contains("ENCRYPTION_S3EC_KEYS"));
    }
  }

  @Test
  void instructionFilesAreHiddenAndReserved() {
    put(v3WithInstructionFile, "hidden/object", data(100, 1));
    assertThat(direct.headObject(b -> b.bucket(BUCKET).key("hidden/object.instruction")))
        .isNotNull();
    List<String> listed =
        client.listObjectsV2(b -> b.bucket(BUCKET).prefix("hidden/")).contents().stream()
            .map(S3Object::key)
            .toList();
    assertThat(listed).containsExactly("hidden/object");
    assertThatThrownBy(
            () -> client.getObjectAsBytes(b -> b.bucket(BUCKET).key("hidden/object.instruction")))
        .isInstanceOfSatisfying(S3Exception.class, e -> assertThat(e.statusCode()).isEqualTo(403));
    assertThatThrownBy(
            () ->
                client.putObject(
                    b -> b.bucket(BUCKET).key("hidden/object.instruction"),
                    RequestBody.fromString("{}")))
        .isInstanceOfSatisfying(S3Exception.class, e -> assertThat(e.statusCode()).isEqualTo(403));
  }

  @Test
  void copyObjectWritesTheGatewaysFormat() {
    byte[] content = data(300_000, 3);
    put(v2, "copy-source", content);
    client.copyObject(
        b ->
            b.sourceBucket(BUCKET)
                .sourceKey("copy-source")
                .destinationBucket(BUCKET)
                .destinationKey("copy-target")
                .metadataDirective(MetadataDirective.REPLACE)
                .contentType("application/x-test"));
    Map<String, String> stored =
        direct.headObject(b -> b.bucket(BUCKET).key("copy-target")).metadata();
    assertThat(stored).containsKey("s3eg-dek").doesNotContainKey("x-amz-key-v2");
    var copied = client.getObjectAsBytes(b -> b.bucket(BUCKET).key("copy-target"));
    assertThat(copied.asByteArray()).isEqualTo(content);
    assertThat(copied.response().contentType()).isEqualTo("application/x-test");
  }

  @Test
  void awscliDownloadsAnS3ecObjectThroughTheGateway() throws Exception {
    CliTool.requireInstalled("/usr/bin/aws", "awscli");
    // Above awscli's 8 MiB multipart threshold: it downloads with concurrent ranged GETs.
    byte[] content = data(9 * MIB + 5, 11);
    put(v3, "cli/large.bin", content);
    Path work = Files.createTempDirectory(dir, "awscli");
    Map<String, String> env =
        Map.of(
            "AWS_ACCESS_KEY_ID", GatewayFixture.CLIENT_KEY,
            "AWS_SECRET_ACCESS_KEY", GatewayFixture.CLIENT_SECRET);
    CliTool.run(
            env,
            work,
            "/usr/bin/aws",
            "--endpoint-url",
            gateway.endpoint().toString(),
            "s3",
            "cp",
            "s3://" + BUCKET + "/cli/large.bin",
            work.resolve("large.bin").toString())
        .assertOk("aws s3 cp");
    assertThat(Files.readAllBytes(work.resolve("large.bin"))).isEqualTo(content);
  }

  @Test
  void rewrapConvertTurnsS3ecObjectsIntoGatewayObjectsInPlace() throws Exception {
    direct.createBucket(b -> b.bucket("convert"));
    Map<String, byte[]> contents = new HashMap<>();
    contents.put("v3/small", data(10, 21));
    contents.put("v3/large", data(3 * MIB + 7, 22));
    contents.put("v2/with-instructions", data(70_000, 23));
    contents.put("empty", new byte[0]);
    v3.putObject(
        b ->
            b.bucket("convert")
                .key("v3/large")
                .contentType("image/x-test")
                .metadata(Map.of("owner", "app")),
        RequestBody.fromBytes(contents.get("v3/large")));
    v3.putObject(
        b -> b.bucket("convert").key("v3/small"), RequestBody.fromBytes(contents.get("v3/small")));
    v3.putObject(
        b -> b.bucket("convert").key("empty"), RequestBody.fromBytes(contents.get("empty")));
    try (S3EncryptionClient v2i =
        S3ecWriter.client(backend, S3ecKeyring.S3EC_KEY, S3ecWriter.Format.V2, true)) {
      v2i.putObject(
          b -> b.bucket("convert").key("v2/with-instructions"),
          RequestBody.fromBytes(contents.get("v2/with-instructions")));
    }
    v3.putObject(b -> b.bucket("convert").key("tampered"), RequestBody.fromBytes(data(5000, 24)));
    var stored = direct.getObjectAsBytes(b -> b.bucket("convert").key("tampered"));
    byte[] tampered = stored.asByteArray();
    tampered[4000] ^= 1;
    direct.putObject(
        b -> b.bucket("convert").key("tampered").metadata(stored.response().metadata()),
        RequestBody.fromBytes(tampered));
    client.putObject(b -> b.bucket("convert").key("native"), RequestBody.fromString("native"));

    Map<String, String> config = new HashMap<>(GatewayFixture.baseSettings(backend));
    config.putAll(settings(dir.resolve("keyring.json")));
    java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
    int exit =
        io.github.s3eg.ops.RewrapCommand.run(
            new String[] {"rewrap", "--bucket", "convert", "--convert"},
            GatewayFixture.config(backend, config),
            new java.io.PrintStream(out, true, java.nio.charset.StandardCharsets.UTF_8));
    String report = out.toString(java.nio.charset.StandardCharsets.UTF_8);
    assertThat(exit).as(report).isEqualTo(1);
    assertThat(report)
        .contains("converted=4")
        .contains("already-current=1")
        .contains("failed=1")
        .contains("failed: tampered");

    for (var e : contents.entrySet()) {
      Map<String, String> metadata =
          direct.headObject(b -> b.bucket("convert").key(e.getKey())).metadata();
      assertThat(metadata).as(e.getKey()).containsKeys("s3eg-dek", "s3eg-etag");
      assertThat(metadata.keySet()).noneMatch(k -> k.startsWith("x-amz-"));
      var read = client.getObjectAsBytes(b -> b.bucket("convert").key(e.getKey()));
      assertThat(read.asByteArray()).as(e.getKey()).isEqualTo(e.getValue());
      assertThat(read.response().eTag())
          .isEqualTo("\"" + java.util.HexFormat.of().formatHex(md5(e.getValue())) + "\"");
    }
    var large = client.headObject(b -> b.bucket("convert").key("v3/large"));
    assertThat(large.contentType()).isEqualTo("image/x-test");
    assertThat(large.metadata()).isEqualTo(Map.of("owner", "app"));
    assertThat(
            direct.listObjectsV2(b -> b.bucket("convert")).contents().stream().map(S3Object::key))
        .as("the instruction file went with its object")
        .doesNotContain("v2/with-instructions.instruction");
    assertThat(direct.getObjectAsBytes(b -> b.bucket("convert").key("tampered")).asByteArray())
        .as("a tampered object is left as it was")
        .isEqualTo(tampered);

    // Converted objects are plain gateway objects: a gateway that does not read S3EC objects
    // serves them, and so does awscli through it.
    try (GatewayFixture plain =
            GatewayFixture.startOn(
                backend,
                Map.of(
                    "KEY_MANAGER_ENABLED", "true",
                    "KEY_MANAGER_PROVIDER", "keyring",
                    "KEYRING_FILE", dir.resolve("keyring.json").toString()));
        S3Client plainClient = plain.defaultClient()) {
      assertThat(
              plainClient.getObjectAsBytes(b -> b.bucket("convert").key("v3/large")).asByteArray())
          .isEqualTo(contents.get("v3/large"));
      CliTool.requireInstalled("/usr/bin/aws", "awscli");
      Path work = Files.createTempDirectory(dir, "awscli-converted");
      CliTool.run(
              Map.of(
                  "AWS_ACCESS_KEY_ID", GatewayFixture.CLIENT_KEY,
                  "AWS_SECRET_ACCESS_KEY", GatewayFixture.CLIENT_SECRET),
              work,
              "/usr/bin/aws",
              "--endpoint-url",
              plain.endpoint().toString(),
              "s3",
              "cp",
              "s3://convert/v3/large",
              work.resolve("large").toString())
          .assertOk("aws s3 cp");
      assertThat(Files.readAllBytes(work.resolve("large"))).isEqualTo(contents.get("v3/large"));
    }

    // A second run has nothing left to convert.
    out.reset();
    io.github.s3eg.ops.RewrapCommand.run(
        new String[] {"rewrap", "--bucket", "convert", "--convert", "--prefix", "v"},
        GatewayFixture.config(backend, config),
        new java.io.PrintStream(out, true, java.nio.charset.StandardCharsets.UTF_8));
    assertThat(out.toString(java.nio.charset.StandardCharsets.UTF_8))
        .contains("scanned=3 rewrapped=0 already-current=3");
  }

  @Test
  void conversionLeavesAnObjectChangedSinceItWasLookedAt() throws Exception {
    direct.createBucket(b -> b.bucket("convert-race"));
    v3.putObject(b -> b.bucket("convert-race").key("k"), RequestBody.fromBytes(data(100, 31)));
    HeadObjectResponse before = direct.headObject(b -> b.bucket("convert-race").key("k"));
    // Someone writes the key between the converter's look and its write.
    v3.putObject(b -> b.bucket("convert-race").key("k"), RequestBody.fromBytes(data(100, 32)));
    byte[] newer = direct.getObjectAsBytes(b -> b.bucket("convert-race").key("k")).asByteArray();
    io.github.s3eg.keys.KeyManager keys =
        new io.github.s3eg.keys.KeyringKeyManager(
            dir.resolve("keyring.json"), 0, java.time.Duration.ZERO);
    var converter =
        new io.github.s3eg.ops.S3ecConverter(
            direct,
            new io.github.s3eg.crypto.s3ec.S3ecKeys(keys, List.of(S3ecKeyring.S3EC_REFERENCE)),
            new io.github.s3eg.crypto.ObjectEncryptor(keys));
    assertThat(converter.convert("convert-race", "k", before, false))
        .isEqualTo(io.github.s3eg.ops.S3ecConverter.Outcome.CHANGED);
    assertThat(direct.getObjectAsBytes(b -> b.bucket("convert-race").key("k")).asByteArray())
        .isEqualTo(newer);
  }

  static byte[] md5(byte[] b) throws Exception {
    return MessageDigest.getInstance("MD5").digest(b);
  }
}
