package io.github.s3eg.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Map;
import java.util.Properties;
import org.junit.jupiter.api.Test;

/** {@code CACHE_*}: defaults, accepted forms, and values refused at start-up. */
class CacheSettingsTest {

  private static OpsConfig.Cache cache(Map<String, String> env) {
    return OpsConfig.from(new Settings(env, new Properties())).cache();
  }

  @Test
  void offByDefaultWithBoundedDefaults() {
    OpsConfig.Cache c = cache(Map.of());
    assertThat(c.enabled()).isFalse();
    assertThat(c.maxSize()).isEqualTo(64L << 20);
    assertThat(c.maxItems()).isEqualTo(10_000);
    assertThat(c.ttl()).hasSeconds(60);
    assertThat(c.maxObjectSize()).isEqualTo(1L << 20);
  }

  @Test
  void sizesTakeSuffixesAndTheTtlUnits() {
    OpsConfig.Cache c =
        cache(
            Map.of(
                "CACHE_ENABLED", "true",
                "CACHE_MAX_SIZE", "104857600",
                "CACHE_MAX_ITEMS", "1000",
                "CACHE_DEFAULT_TTL", "5m",
                "CACHE_MAX_OBJECT_SIZE", "64KiB"));
    assertThat(c.enabled()).isTrue();
    assertThat(c.maxSize()).isEqualTo(104_857_600L);
    assertThat(c.maxItems()).isEqualTo(1000);
    assertThat(c.ttl()).hasMinutes(5);
    assertThat(c.maxObjectSize()).isEqualTo(65_536L);
    Properties dotted = new Properties();
    dotted.setProperty("cache.max.size", "2GiB");
    assertThat(OpsConfig.from(new Settings(Map.of(), dotted)).cache().maxSize())
        .isEqualTo(2L << 30);
  }

  @Test
  void badValuesNameTheSetting() {
    assertThatThrownBy(() -> cache(Map.of("CACHE_ENABLED", "sometimes")))
        .hasMessageContaining("CACHE_ENABLED");
    assertThatThrownBy(() -> cache(Map.of("CACHE_MAX_SIZE", "12 parsecs")))
        .hasMessageContaining("CACHE_MAX_SIZE");
    assertThatThrownBy(() -> cache(Map.of("CACHE_MAX_SIZE", "10")))
        .hasMessageContaining("CACHE_MAX_SIZE");
    assertThatThrownBy(() -> cache(Map.of("CACHE_MAX_ITEMS", "0")))
        .hasMessageContaining("CACHE_MAX_ITEMS");
    assertThatThrownBy(() -> cache(Map.of("CACHE_DEFAULT_TTL", "0s")))
        .hasMessageContaining("CACHE_DEFAULT_TTL");
    assertThatThrownBy(() -> cache(Map.of("CACHE_MAX_OBJECT_SIZE", "1GiB")))
        .hasMessageContaining("CACHE_MAX_OBJECT_SIZE");
  }
}
