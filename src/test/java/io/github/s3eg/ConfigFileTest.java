package io.github.s3eg;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import io.github.s3eg.config.ConfigurationException;
import io.github.s3eg.config.GatewayConfig;
import io.github.s3eg.it.TestBackend;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.S3Exception;

/** config.yaml (--config or CONFIG_FILE) in the original layout, under the real environment. */
class ConfigFileTest {

  @TempDir Path dir;

  private Path write(String... lines) throws Exception {
    Path file = dir.resolve("config-" + System.nanoTime() + ".yaml");
    Files.writeString(file, String.join("\n", lines) + "\n");
    return file;
  }

  private static GatewayConfig load(Path file, Map<String, String> env) {
    return GatewayMain.configuration(List.of("--config", file.toString()), env, new Properties());
  }

  @Test
  void fileDrivesTheGateway() throws Exception {
    try (TestBackend backend = TestBackend.start()) {
      Path file =
          write(
              "listen_addr: \"127.0.0.1:0\"",
              "backend:",
              "  endpoint: \"" + backend.endpoint() + "\"",
              "  access_key: \"" + TestBackend.ACCESS_KEY + "\"",
              "  secret_key: \"" + TestBackend.SECRET_KEY + "\"",
              "  provider: generic",
              "encryption:",
              "  password: \"config-file-password-0123\"",
              "auth:",
              "  access_key: file-client",
              "  secret_key: file-client-secret-123",
              "rate_limit:",
              "  enabled: true",
              "  limit: 2",
              "  window: 60s",
              "compression:",
              "  enabled: false");
      GatewayConfig config = load(file, Map.of());
      assertThat(config.listen().host()).isEqualTo("127.0.0.1");
      try (Gateway gateway = Gateway.start(config);
          S3Client s3 =
              S3Client.builder()
                  .endpointOverride(URI.create("http://127.0.0.1:" + gateway.port()))
                  .region(Region.US_EAST_1)
                  .forcePathStyle(true)
                  .credentialsProvider(
                      StaticCredentialsProvider.create(
                          AwsBasicCredentials.create("file-client", "file-client-secret-123")))
                  .overrideConfiguration(o -> o.retryStrategy(b -> b.maxAttempts(1)))
                  .build()) {
        s3.listBuckets();
        s3.listBuckets();
        S3Exception slowDown = catchThrowableOfType(S3Exception.class, s3::listBuckets);
        assertThat(slowDown.awsErrorDetails().errorCode()).isEqualTo("SlowDown");
      }
    }
  }

  @Test
  void environmentOverridesTheFile() throws Exception {
    Path file = write("rate_limit:", "  requests: 7", "  window: 10s", "log_level: debug");
    GatewayConfig fromFile = load(file, Map.of());
    assertThat(fromFile.ops().rateLimit().requests()).isEqualTo(7);
    assertThat(fromFile.logLevel()).isEqualTo("DEBUG");
    GatewayConfig overridden = load(file, Map.of("RATE_LIMIT_REQUESTS", "9"));
    assertThat(overridden.ops().rateLimit().requests()).isEqualTo(9);
    assertThat(overridden.ops().rateLimit().window()).hasSeconds(10);
    // CONFIG_FILE works like --config.
    GatewayConfig viaEnv =
        GatewayMain.configuration(
            List.of(), Map.of("CONFIG_FILE", file.toString()), new Properties());
    assertThat(viaEnv.ops().rateLimit().requests()).isEqualTo(7);
  }

  @Test
  void theCacheSectionSetsTheCacheSettings() throws Exception {
    Path file =
        write(
            "cache:",
            "  enabled: true",
            "  max_size: 32MiB",
            "  max_items: 500",
            "  default_ttl: 5m",
            "  max_object_size: 256KiB");
    GatewayConfig config = load(file, Map.of());
    assertThat(config.ops().cache().enabled()).isTrue();
    assertThat(config.ops().cache().maxSize()).isEqualTo(32L << 20);
    assertThat(config.ops().cache().maxItems()).isEqualTo(500);
    assertThat(config.ops().cache().ttl()).hasMinutes(5);
    assertThat(config.ops().cache().maxObjectSize()).isEqualTo(256L << 10);
    assertThatThrownBy(() -> load(write("cache:", "  max_size: lots"), Map.of()))
        .hasMessageContaining("cache.max_size")
        .hasMessageContaining("CACHE_MAX_SIZE");
  }

  @Test
  void unknownKeysAndBadValuesNameTheKey() throws Exception {
    assertThatThrownBy(() -> load(write("rate_limit:", "  burst: 5"), Map.of()))
        .isInstanceOf(ConfigurationException.class)
        .hasMessageContaining("rate_limit.burst")
        .hasMessageContaining("not a known configuration key");
    assertThatThrownBy(() -> load(write("listen_adr: \":8080\""), Map.of()))
        .hasMessageContaining("listen_adr");
    assertThatThrownBy(() -> load(write("rate_limit:", "  window: soon"), Map.of()))
        .hasMessageContaining("rate_limit.window")
        .hasMessageContaining("RATE_LIMIT_WINDOW");
    assertThatThrownBy(() -> load(write("tls:", "  enabled: maybe"), Map.of()))
        .hasMessageContaining("tls.enabled");
    assertThatThrownBy(() -> load(write("proxied_bucket: photos"), Map.of()))
        .hasMessageContaining("proxied_bucket");
    assertThatThrownBy(() -> load(write("backend: [a, b]"), Map.of()))
        .hasMessageContaining("backend");
    assertThatThrownBy(() -> load(write("audit: {enabled: true", ""), Map.of()))
        .hasMessageContaining("CONFIG_FILE");
    assertThatThrownBy(
            () -> GatewayMain.configuration(List.of("--verbose"), Map.of(), new Properties()))
        .hasMessageContaining("--verbose");
  }

  @Test
  void theExampleIsAcceptedAsIs() {
    GatewayConfig config =
        load(Path.of("config.yaml.example"), Map.of("LISTEN_ADDR", "127.0.0.1:0"));
    assertThat(config.ops().rateLimit().enabled()).isFalse();
    assertThat(config.ops().audit().maxEvents()).isEqualTo(10_000);
    assertThat(config.ops().cache().enabled()).isFalse();
    assertThat(config.ops().cache().maxSize()).isEqualTo(64L << 20);
    assertThat(config.backend().endpoint()).isPresent();
  }
}
