package io.github.s3eg.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.Map;
import java.util.Properties;
import org.junit.jupiter.api.Test;

/** The backend timeout and retry settings as an operator writes them. */
class BackendTimeoutsTest {

  private static BackendConfig config(Map<String, String> env) {
    return BackendConfig.from(new Settings(env, new Properties()));
  }

  @Test
  void defaults() {
    BackendConfig c = config(Map.of());
    assertThat(c.connectTimeout()).isEqualTo(Duration.ofSeconds(5));
    assertThat(c.requestTimeout()).isEqualTo(Duration.ofSeconds(300));
    assertThat(c.maxRetries()).isEqualTo(3);
  }

  @Test
  void backendTimeoutIsSecondsOrADuration() {
    assertThat(config(Map.of("BACKEND_TIMEOUT", "30")).requestTimeout())
        .as("a bare number stays seconds, as before")
        .isEqualTo(Duration.ofSeconds(30));
    assertThat(config(Map.of("BACKEND_TIMEOUT", "1500ms")).requestTimeout())
        .isEqualTo(Duration.ofMillis(1500));
    assertThat(config(Map.of("BACKEND_TIMEOUT", "2m")).requestTimeout())
        .isEqualTo(Duration.ofMinutes(2));
  }

  @Test
  void backendTimeoutOutOfRangeOrMalformedIsRefused() {
    assertThatThrownBy(() -> config(Map.of("BACKEND_TIMEOUT", "50ms")))
        .isInstanceOf(ConfigurationException.class)
        .hasMessageContaining("BACKEND_TIMEOUT");
    assertThatThrownBy(() -> config(Map.of("BACKEND_TIMEOUT", "soon")))
        .isInstanceOf(ConfigurationException.class)
        .hasMessageContaining("BACKEND_TIMEOUT");
  }
}
