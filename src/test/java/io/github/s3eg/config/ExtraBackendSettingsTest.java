package io.github.s3eg.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.Properties;
import org.junit.jupiter.api.Test;

/** BACKEND2_*, BACKEND_MIRROR_* and BUCKET_KEYRINGS: read as documented, refused when unusable. */
class ExtraBackendSettingsTest {

  private static final Map<String, String> BASE =
      Map.of(
          "BACKEND_ENDPOINT", "http://a.example:9000",
          "BACKEND_ACCESS_KEY", "a",
          "BACKEND_SECRET_KEY", "a-secret",
          "ENCRYPTION_PASSWORD", "a-password-long-enough");

  @Test
  void aSecondBackendHoldsTheBucketsItsPatternMatchesWhole() {
    SecondBackend second =
        config(
                "BACKEND2_ENDPOINT", "http://b.example:9000",
                "BACKEND2_BUCKETS", "archive-.*",
                "BACKEND2_ACCESS_KEY", "b",
                "BACKEND2_SECRET_KEY", "b-secret")
            .backend()
            .second()
            .orElseThrow();

    assertThat(second.endpoint()).hasHost("b.example");
    assertThat(second.accessKey()).contains("b");
    assertThat(second.holds("archive-2024")).isTrue();
    assertThat(second.holds("my-archive-2024")).isFalse();
    assertThat(second.holds(null)).isFalse();
  }

  @Test
  void aSecondBackendNeedsItsBucketsAndAValidPattern() {
    assertRefused("BACKEND2_BUCKETS", "BACKEND2_ENDPOINT", "http://b.example");
    assertRefused(
        "BACKEND2_BUCKETS", "BACKEND2_ENDPOINT", "http://b.example", "BACKEND2_BUCKETS", "(");
    assertRefused("BACKEND2_BUCKETS", "BACKEND2_BUCKETS", "archive-.*");
    assertRefused(
        "BACKEND2_SECRET_KEY",
        "BACKEND2_ENDPOINT",
        "http://b.example",
        "BACKEND2_BUCKETS",
        "x",
        "BACKEND2_ACCESS_KEY",
        "b");
    assertRefused(
        "BACKEND2_ENDPOINT", "BACKEND2_ENDPOINT", "ftp://b.example", "BACKEND2_BUCKETS", "x");
  }

  @Test
  void theMirrorIsOptionalAndNeedsBothKeys() {
    assertThat(config().backend().mirror()).isEmpty();
    assertThat(
            config("BACKEND_MIRROR_ENDPOINT", "http://m.example:9000")
                .backend()
                .mirror()
                .orElseThrow()
                .endpoint())
        .hasHost("m.example");
    assertRefused(
        "BACKEND_MIRROR_SECRET_KEY",
        "BACKEND_MIRROR_ENDPOINT",
        "http://m.example",
        "BACKEND_MIRROR_ACCESS_KEY",
        "m");
  }

  @Test
  void bucketKeyringsAreBucketEqualsFile() {
    assertThat(config().encryption().bucketKeyrings()).isEmpty();
    assertThat(
            config("BUCKET_KEYRINGS", "finance=/k/finance.json, hr = /k/hr.json")
                .encryption()
                .bucketKeyrings())
        .containsExactlyInAnyOrderEntriesOf(
            Map.of("finance", Path.of("/k/finance.json"), "hr", Path.of("/k/hr.json")));
    assertRefused("BUCKET_KEYRINGS", "BUCKET_KEYRINGS", "finance");
    assertRefused("BUCKET_KEYRINGS", "BUCKET_KEYRINGS", "finance=");
    assertRefused("BUCKET_KEYRINGS", "BUCKET_KEYRINGS", "a=/x,a=/y");
  }

  private static GatewayConfig config(String... settings) {
    Map<String, String> env = new HashMap<>(BASE);
    for (int i = 0; i < settings.length; i += 2) {
      env.put(settings[i], settings[i + 1]);
    }
    return GatewayConfig.from(env, new Properties());
  }

  private static void assertRefused(String setting, String... settings) {
    ConfigurationException refused =
        catchThrowableOfType(ConfigurationException.class, () -> config(settings));
    assertThat(refused).as("refused").isNotNull();
    assertThat(refused.setting()).isEqualTo(setting);
  }
}
