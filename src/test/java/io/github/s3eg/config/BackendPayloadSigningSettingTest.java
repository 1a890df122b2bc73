package io.github.s3eg.config;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import java.util.Properties;
import org.junit.jupiter.api.Test;

/** {@code BACKEND_UNSIGNED_PAYLOAD}: on where nobody can sit between gateway and backend. */
class BackendPayloadSigningSettingTest {

  private static boolean unsigned(Map<String, String> env) {
    return BackendConfig.from(new Settings(env, new Properties())).unsignedPayload();
  }

  @Test
  void onForTheEmbeddedStoreAndLoopbackEndpoints() {
    assertThat(unsigned(Map.of())).isTrue();
    assertThat(unsigned(Map.of("BACKEND_ENDPOINT", "http://127.0.0.1:9000"))).isTrue();
    assertThat(unsigned(Map.of("BACKEND_ENDPOINT", "http://localhost:9000"))).isTrue();
    assertThat(unsigned(Map.of("BACKEND_ENDPOINT", "http://[::1]:9000"))).isTrue();
  }

  @Test
  void offForANetworkEndpointUnlessAllowed() {
    assertThat(unsigned(Map.of("BACKEND_ENDPOINT", "http://minio.internal:9000"))).isFalse();
    assertThat(unsigned(Map.of("BACKEND_ENDPOINT", "http://10.0.0.5:9000"))).isFalse();
    assertThat(
            unsigned(
                Map.of(
                    "BACKEND_ENDPOINT",
                    "http://minio.internal:9000",
                    "BACKEND_UNSIGNED_PAYLOAD",
                    "true")))
        .isTrue();
    assertThat(
            unsigned(
                Map.of(
                    "BACKEND_ENDPOINT",
                    "http://127.0.0.1:9000",
                    "BACKEND_UNSIGNED_PAYLOAD",
                    "false")))
        .isFalse();
  }
}
