package io.github.s3eg.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.github.s3eg.Gateway;
import io.github.s3eg.config.GatewayConfig;
import io.github.s3eg.config.StartRefusedException;
import io.github.s3eg.it.faults.RefusingPort;
import io.github.s3eg.keys.PasswordKeyManager;
import io.github.s3eg.keys.StaticKeyManager;
import io.github.s3eg.keysetup.KeySetup;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Base64;
import java.util.HashMap;
import java.util.Map;
import java.util.Properties;
import org.assertj.core.api.ThrowableAssert.ThrowingCallable;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.S3Exception;

/**
 * Issue 19: the key an object was written under is gone or was changed. The gateway must not
 * quietly put a new key in its place (every stored object would become unreadable without a word);
 * it refuses to start, naming what is missing, unless {@code ENCRYPTION_ALLOW_NEW_KEY=true}; and
 * reads of objects under a key it does not have answer 403 EncryptionKeyNotFound naming the key,
 * HEAD included (a 500 made clients retry in vain).
 */
class LostOrChangedKeyTest {

  private static final String OTHER_PASSWORD = "another-password-0123456789";

  /** Trial mode: no BACKEND_ENDPOINT, so the embedded store and the generated key file. */
  private static Map<String, String> trial(Path data, String... more) {
    Map<String, String> env = new HashMap<>();
    env.put("LISTEN_ADDR", "127.0.0.1:0");
    env.put("DATA_DIR", data.toString());
    env.put("AUTH_ACCESS_KEY", GatewayFixture.CLIENT_KEY);
    env.put("AUTH_SECRET_KEY", GatewayFixture.CLIENT_SECRET);
    for (int i = 0; i < more.length; i += 2) {
      env.put(more[i], more[i + 1]);
    }
    return env;
  }

  private static Gateway start(Map<String, String> env) throws Exception {
    return Gateway.start(GatewayConfig.from(env, new Properties()));
  }

  private static S3Client client(Gateway g) {
    return S3Client.builder()
        .endpointOverride(URI.create("http://127.0.0.1:" + g.port()))
        .region(Region.US_EAST_1)
        .credentialsProvider(
            StaticCredentialsProvider.create(
                AwsBasicCredentials.create(
                    GatewayFixture.CLIENT_KEY, GatewayFixture.CLIENT_SECRET)))
        .forcePathStyle(true)
        .overrideConfiguration(o -> o.apiCallTimeout(Duration.ofMinutes(2)))
        .build();
  }

  /** The request fails with 403 EncryptionKeyNotFound (HEAD: 403, it has no body). */
  private static void refusedForItsKey(ThrowingCallable request, String objectKey, boolean head) {
    assertThatThrownBy(request)
        .isInstanceOfSatisfying(
            S3Exception.class,
            e -> {
              assertThat(e.statusCode()).isEqualTo(403);
              if (!head) {
                assertThat(e.awsErrorDetails().errorCode()).isEqualTo("EncryptionKeyNotFound");
                assertThat(e.awsErrorDetails().errorMessage())
                    .contains(objectKey)
                    .contains("docs/troubleshooting.md");
              }
            });
  }

  @Test
  void aLostKeyFileIsNotReplacedWhileTheStoreHoldsObjects(@TempDir Path data) throws Exception {
    try (Gateway g = start(trial(data));
        S3Client s3 = client(g)) {
      s3.createBucket(b -> b.bucket("demo"));
      s3.putObject(b -> b.bucket("demo").key("readme.md"), RequestBody.fromString("kept"));
    }
    Path keyFile = data.resolve(KeySetup.GENERATED_KEY_FILE);
    byte[] oldKey = Base64.getDecoder().decode(Files.readString(keyFile).trim());
    String oldKeyId = new StaticKeyManager(oldKey).activeKey().encode();
    String backup = Files.readString(keyFile);
    Files.delete(keyFile);

    assertThatThrownBy(() -> start(trial(data)))
        .isInstanceOf(StartRefusedException.class)
        .hasMessageContaining("the key file " + keyFile.toAbsolutePath() + " is missing")
        .hasMessageContaining("objects encrypted under key " + oldKeyId)
        .hasMessageContaining("demo/readme.md")
        .hasMessageContaining("Restore the file from your backup")
        .hasMessageContaining("ENCRYPTION_ALLOW_NEW_KEY=true");
    assertThat(keyFile).as("no new key was put in the old one's place").doesNotExist();

    // The operator says so explicitly: a new key, and the old object is refused for its key.
    try (Gateway g = start(trial(data, "ENCRYPTION_ALLOW_NEW_KEY", "true"));
        S3Client s3 = client(g)) {
      assertThat(keyFile).exists();
      refusedForItsKey(
          () -> s3.getObjectAsBytes(b -> b.bucket("demo").key("readme.md")), oldKeyId, false);
      refusedForItsKey(() -> s3.headObject(b -> b.bucket("demo").key("readme.md")), oldKeyId, true);
      refusedForItsKey(
          () ->
              s3.copyObject(
                  b ->
                      b.sourceBucket("demo")
                          .sourceKey("readme.md")
                          .destinationBucket("demo")
                          .destinationKey("copy")),
          oldKeyId,
          false);
      // New objects go under the new key.
      s3.putObject(b -> b.bucket("demo").key("new"), RequestBody.fromString("new"));
      assertThat(s3.getObjectAsBytes(b -> b.bucket("demo").key("new")).asUtf8String())
          .isEqualTo("new");
    }

    // The backup restored: the old object reads again.
    Files.writeString(keyFile, backup, StandardCharsets.US_ASCII);
    try (Gateway g = start(trial(data));
        S3Client s3 = client(g)) {
      assertThat(s3.getObjectAsBytes(b -> b.bucket("demo").key("readme.md")).asUtf8String())
          .isEqualTo("kept");
    }
  }

  @Test
  void aFreshStoreAndAStoreWithOnlyBucketsGetAGeneratedKey(@TempDir Path data) throws Exception {
    try (Gateway g = start(trial(data));
        S3Client s3 = client(g)) {
      s3.createBucket(b -> b.bucket("empty"));
    }
    Files.delete(data.resolve(KeySetup.GENERATED_KEY_FILE));
    try (Gateway g = start(trial(data))) {
      assertThat(data.resolve(KeySetup.GENERATED_KEY_FILE)).exists();
    }
  }

  @Test
  void aChangedPasswordIsRefusedAtStartAndItsObjectsAnswer403() throws Exception {
    try (TestBackend backend = TestBackend.start()) {
      try (GatewayFixture g = GatewayFixture.startOn(backend, Map.of());
          S3Client s3 = g.defaultClient()) {
        s3.createBucket(b -> b.bucket("docs"));
        s3.putObject(b -> b.bucket("docs").key("a"), RequestBody.fromString("a"));
        s3.createBucket(b -> b.bucket("more"));
        s3.putObject(b -> b.bucket("more").key("b"), RequestBody.fromString("b"));
      }
      String written = passwordKeyId(GatewayFixture.PASSWORD);
      String other = passwordKeyId(OTHER_PASSWORD);

      assertThatThrownBy(
              () -> GatewayFixture.startOn(backend, Map.of("ENCRYPTION_PASSWORD", OTHER_PASSWORD)))
          .isInstanceOf(StartRefusedException.class)
          .hasMessageContaining("docs/a, more/b")
          .hasMessageContaining("encrypted under key " + written)
          .hasMessageContaining("ENCRYPTION_PASSWORD (key " + other + ") cannot read")
          .hasMessageContaining("ENCRYPTION_ALLOW_NEW_KEY=true");

      try (GatewayFixture g =
              GatewayFixture.startOn(
                  backend,
                  Map.of(
                      "ENCRYPTION_PASSWORD", OTHER_PASSWORD, "ENCRYPTION_ALLOW_NEW_KEY", "true"));
          S3Client s3 = g.defaultClient()) {
        refusedForItsKey(() -> s3.getObjectAsBytes(b -> b.bucket("docs").key("a")), written, false);
        refusedForItsKey(() -> s3.headObject(b -> b.bucket("docs").key("a")), written, true);
        // Ranged reads are refused the same way (the key is needed before any byte).
        refusedForItsKey(
            () -> s3.getObjectAsBytes(b -> b.bucket("docs").key("a").range("bytes=0-0")),
            written,
            false);
      }
    }
  }

  @Test
  void oneStoredObjectTheKeyReadsIsEnough() throws Exception {
    try (TestBackend backend = TestBackend.start()) {
      // "a-old" sorts first and needs the other password; "b-new" is readable with the fixture's.
      try (GatewayFixture g =
              GatewayFixture.startOn(backend, Map.of("ENCRYPTION_PASSWORD", OTHER_PASSWORD));
          S3Client s3 = g.defaultClient()) {
        s3.createBucket(b -> b.bucket("mixed"));
        s3.putObject(b -> b.bucket("mixed").key("a-old"), RequestBody.fromString("old"));
      }
      try (GatewayFixture g =
              GatewayFixture.startOn(backend, Map.of("ENCRYPTION_ALLOW_NEW_KEY", "true"));
          S3Client s3 = g.defaultClient()) {
        s3.putObject(b -> b.bucket("mixed").key("b-new"), RequestBody.fromString("new"));
      }
      try (GatewayFixture g = GatewayFixture.startOn(backend, Map.of());
          S3Client s3 = g.defaultClient()) {
        assertThat(s3.getObjectAsBytes(b -> b.bucket("mixed").key("b-new")).asUtf8String())
            .isEqualTo("new");
      }
    }
  }

  @Test
  void anUnreachableBackendDoesNotStopTheStart() throws Exception {
    try (TestBackend backend = TestBackend.start();
        RefusingPort nothing = RefusingPort.open();
        GatewayFixture g =
            GatewayFixture.startOn(
                backend,
                Map.of(
                    "BACKEND_ENDPOINT",
                    "http://127.0.0.1:" + nothing.port(),
                    "BACKEND_MAX_RETRIES",
                    "0"))) {
      assertThat(g.gateway().port()).isPositive();
    }
  }

  private static String passwordKeyId(String password) {
    return new PasswordKeyManager(password.toCharArray()).activeKey().encode();
  }
}
