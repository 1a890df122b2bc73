package io.github.s3eg.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.HashMap;
import java.util.Map;
import java.util.Properties;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Authentication settings: off only when asked, never silently open on a network address. */
class AuthConfigTest {

  @TempDir Path data;

  private GatewayConfig config(Map<String, String> extra) {
    Map<String, String> env = new HashMap<>();
    env.put("DATA_DIR", data.toString());
    env.put("ENCRYPTION_PASSWORD", "a-long-enough-password");
    env.putAll(extra);
    return GatewayConfig.from(env, new Properties());
  }

  @Test
  void authCannotBeSwitchedOffOnANetworkAddressUnlessAskedTwice() {
    assertThatThrownBy(() -> config(Map.of("AUTH_ENABLED", "false", "LISTEN_ADDR", ":8080")))
        .isInstanceOf(ConfigurationException.class)
        .hasMessageContaining("AUTH_ENABLED")
        .hasMessageContaining("AUTH_ALLOW_ANONYMOUS_NETWORK");
    assertThat(
            config(Map.of("AUTH_ENABLED", "false", "LISTEN_ADDR", "127.0.0.1:8080"))
                .auth()
                .enabled())
        .isFalse();
    assertThat(
            config(
                    Map.of(
                        "AUTH_ENABLED",
                        "false",
                        "LISTEN_ADDR",
                        ":8080",
                        "AUTH_ALLOW_ANONYMOUS_NETWORK",
                        "true"))
                .auth()
                .enabled())
        .isFalse();
  }

  @Test
  void withoutCredentialsAKeyPairIsGeneratedOnceWithOwnerOnlyPermissions() throws Exception {
    GatewayConfig first = config(Map.of());
    Path file = data.resolve(AuthConfig.GENERATED_FILE);
    assertThat(first.auth().generatedCredentialsFile()).contains(file);
    assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(file)))
        .isEqualTo("rw-------");
    String content = Files.readString(file);
    assertThat(content).containsPattern("access_key=GW[0-9A-F]{20}").contains("secret_key=");
    assertThat(config(Map.of()).auth().credentials().size()).isEqualTo(1);
    assertThat(Files.readString(file)).as("reused, not regenerated").isEqualTo(content);
    assertThat(first.auth().toString())
        .doesNotContain(content.substring(content.indexOf("secret_key=") + 11).trim());
  }

  @Test
  void configuredCredentialsWinAndHalfAPairIsRefused() {
    assertThat(
            config(Map.of("AUTH_ACCESS_KEY", "k1", "AUTH_SECRET_KEY", "s1-secret"))
                .auth()
                .generatedCredentialsFile())
        .isEmpty();
    assertThatThrownBy(() -> config(Map.of("AUTH_ACCESS_KEY", "k1")))
        .isInstanceOf(ConfigurationException.class);
  }

  @Test
  void aRealBackendWithoutAKeySourceIsRefused() {
    Map<String, String> env =
        new HashMap<>(
            Map.of("BACKEND_ENDPOINT", "http://127.0.0.1:9", "DATA_DIR", data.toString()));
    GatewayConfig c = GatewayConfig.from(env, new Properties());
    assertThatThrownBy(
            () ->
                io.github.s3eg.keysetup.KeySetup.create(
                    c.encryption(), c.backend(), io.github.s3eg.backend.StoredObjectSample.none()))
        .isInstanceOf(ConfigurationException.class)
        .hasMessageContaining("never stores plaintext");
    assertThatThrownBy(() -> config(Map.of("ENCRYPTION_PASSWORD", "short")))
        .isInstanceOf(ConfigurationException.class)
        .hasMessageContaining("12");
  }
}
