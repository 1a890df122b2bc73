package io.github.s3eg.keys;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.github.s3eg.keys.testing.TestPki;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.Base64;
import java.util.HashMap;
import java.util.Map;
import java.util.function.Supplier;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class KeyManagerFactoryTest {

  @TempDir static Path dir;
  private static TestPki pki;
  private static Path keyringFile;
  private static KeyManager password;

  @BeforeAll
  static void files() throws Exception {
    pki = TestPki.create(dir.resolve("pki"));
    keyringFile = dir.resolve("keyring.json");
    Files.writeString(
        keyringFile,
        "{\"keys\": [{\"version\": 1, \"key\": \""
            + Base64.getEncoder().encodeToString(new byte[32])
            + "\"}]}");
    Files.setPosixFilePermissions(keyringFile, PosixFilePermissions.fromString("rw-------"));
    Path passwordFile = dir.resolve("password.json");
    Files.writeString(
        passwordFile,
        "{\"id\": \"password\", \"keys\": [{\"version\": 1, \"key\": \""
            + Base64.getEncoder().encodeToString(new byte[32])
            + "\"}]}");
    Files.setPosixFilePermissions(passwordFile, PosixFilePermissions.fromString("rw-------"));
    password = new KeyringKeyManager(passwordFile, 0, Duration.ZERO);
  }

  private static final Supplier<KeyManager> PASSWORD = () -> password;

  private static Map<String, String> kmip() {
    Map<String, String> settings = new HashMap<>();
    settings.put("KEY_MANAGER_ENABLED", "true");
    settings.put("KEY_MANAGER_PROVIDER", "kmip");
    settings.put("COSMIAN_KMS_ENDPOINT", "127.0.0.1:5696");
    settings.put("COSMIAN_KMS_KEYS", "11:1,12:2");
    settings.put("COSMIAN_KMS_CA_CERT", pki.caCert().toString());
    settings.put("COSMIAN_KMS_CLIENT_CERT", pki.clientCert().toString());
    settings.put("COSMIAN_KMS_CLIENT_KEY", pki.clientKey().toString());
    settings.put("UNRELATED_SETTING", "ignored");
    return settings;
  }

  private static Map<String, String> with(Map<String, String> base, String... pairs) {
    Map<String, String> settings = new HashMap<>(base);
    for (int i = 0; i < pairs.length; i += 2) {
      if (pairs[i + 1] == null) {
        settings.remove(pairs[i]);
      } else {
        settings.put(pairs[i], pairs[i + 1]);
      }
    }
    return settings;
  }

  @Test
  void passwordModeUnlessEnabled() {
    assertThat(KeyManagerFactory.create(Map.of(), PASSWORD)).isSameAs(password);
    assertThat(
            KeyManagerFactory.create(
                Map.of("KEY_MANAGER_ENABLED", "true", "KEY_MANAGER_PROVIDER", "Password"),
                PASSWORD))
        .isSameAs(password);
    assertThatThrownBy(() -> KeyManagerFactory.create(Map.of(), null))
        .isInstanceOf(KeyManagerConfigException.class)
        .hasMessage(
            "KEY_MANAGER_ENABLED: is false (password mode), but no password key manager is"
                + " configured");
  }

  @Test
  void buildsKmipBehindTheCacheWithThePasswordFallback() {
    KeyManager manager = KeyManagerFactory.create(kmip(), PASSWORD);
    assertThat(manager).isInstanceOf(FallbackKeyManager.class);
    FallbackKeyManager fallback = (FallbackKeyManager) manager;
    assertThat(fallback.primary()).isInstanceOf(CachingKeyManager.class);
    assertThat(fallback.fallback()).isSameAs(password);
    assertThat(manager.provider()).isEqualTo("kmip");
    assertThat(manager.activeKey()).isEqualTo(new KeyReference("12", 2));

    KeyManager pinned =
        KeyManagerFactory.create(
            with(
                kmip(),
                "KEY_MANAGER_ACTIVE_VERSION",
                "1",
                "KEY_MANAGER_CACHE_TTL",
                "0",
                "KMIP_PROTOCOL_VERSION",
                "1.4"),
            null);
    assertThat(pinned).isInstanceOf(io.github.s3eg.keys.kmip.KmipKeyManager.class);
    assertThat(pinned.activeKey()).isEqualTo(new KeyReference("11", 1));
    pinned.close();
    manager.close();
  }

  @Test
  void buildsCosmianAndKeyring() {
    KeyManager cosmian =
        KeyManagerFactory.create(
            with(
                kmip(),
                "KEY_MANAGER_PROVIDER",
                "cosmian",
                "COSMIAN_KMS_ENDPOINT",
                "https://kms.example:9998",
                "COSMIAN_KMS_TIMEOUT",
                "1m30s"),
            null);
    assertThat(cosmian.provider()).isEqualTo("cosmian");
    assertThat(cosmian).isInstanceOf(CachingKeyManager.class);
    cosmian.close();

    KeyManager plainHttp =
        KeyManagerFactory.create(
            Map.of(
                "KEY_MANAGER_ENABLED", "true",
                "KEY_MANAGER_PROVIDER", "cosmian",
                "COSMIAN_KMS_ENDPOINT", "http://127.0.0.1:9998",
                "COSMIAN_KMS_KEYS", "a:1"),
            null);
    assertThat(plainHttp.activeKey()).isEqualTo(new KeyReference("a", 1));
    plainHttp.close();

    KeyManager keyring =
        KeyManagerFactory.create(
            Map.of(
                "KEY_MANAGER_ENABLED", "TRUE",
                "KEY_MANAGER_PROVIDER", "keyring",
                "KEYRING_FILE", keyringFile.toString()),
            PASSWORD);
    assertThat(((FallbackKeyManager) keyring).primary()).isInstanceOf(KeyringKeyManager.class);
    ((FallbackKeyManager) keyring).primary().close();
  }

  @ParameterizedTest(name = "{0}={1}")
  @CsvSource(
      delimiter = '|',
      quoteCharacter = '`',
      value = {
        "KEY_MANAGER_ENABLED|yes|KEY_MANAGER_ENABLED: 'yes' is not true or false",
        "KEY_MANAGER_PROVIDER|vault|KEY_MANAGER_PROVIDER: 'vault' is not one of",
        "KEY_MANAGER_PROVIDER||KEY_MANAGER_PROVIDER: is required when KEY_MANAGER_ENABLED=true",
        "KEY_MANAGER_DUAL_READ_WINDOW|-1|KEY_MANAGER_DUAL_READ_WINDOW: '-1' is not a non-negative",
        "KEY_MANAGER_ACTIVE_VERSION|3|KEY_MANAGER_ACTIVE_VERSION: active version 3 is not",
        "KEY_MANAGER_CACHE_TTL|soon|KEY_MANAGER_CACHE_TTL: 'soon' is not a duration",
        "KEY_MANAGER_CACHE_MAX_ENTRIES|0|KEY_MANAGER_CACHE_MAX_ENTRIES: must be at least 1",
        "COSMIAN_KMS_ENDPOINT||COSMIAN_KMS_ENDPOINT: is required for the kmip provider",
        "COSMIAN_KMS_ENDPOINT|https://kms:9998|COSMIAN_KMS_ENDPOINT: is an HTTP URL",
        "COSMIAN_KMS_ENDPOINT|kmip://kms:5696/path|COSMIAN_KMS_ENDPOINT: 'kmip://kms:5696/path'",
        "COSMIAN_KMS_TIMEOUT|5x|COSMIAN_KMS_TIMEOUT: '5x' is not a duration",
        "COSMIAN_KMS_TIMEOUT|0s|COSMIAN_KMS_TIMEOUT: must be greater than zero",
        "COSMIAN_KMS_KEYS||COSMIAN_KMS_KEYS: is required",
        "COSMIAN_KMS_KEYS|11:1,11|COSMIAN_KMS_KEYS: entry '11' is not id:version",
        "COSMIAN_KMS_KEYS|a:1,b:1|COSMIAN_KMS_KEYS: version 1 is listed twice",
        "COSMIAN_KMS_CA_CERT||COSMIAN_KMS_CA_CERT: is required for the kmip provider",
        "COSMIAN_KMS_CA_CERT|/nonexistent.pem|COSMIAN_KMS_CA_CERT: '/nonexistent.pem' is not a",
        "KMIP_PROTOCOL_VERSION|1.2|KMIP_PROTOCOL_VERSION: '1.2' is not 1.4 or 2.0",
      })
  void invalidSettingsFailWithOneMessageNamingTheSetting(
      String setting, String value, String expected) {
    assertThatThrownBy(() -> KeyManagerFactory.create(with(kmip(), setting, value), null))
        .isInstanceOfSatisfying(
            KeyManagerConfigException.class, e -> assertThat(e.setting()).isEqualTo(setting))
        .hasMessageStartingWith(expected);
  }

  @Test
  void unreadablePemFilesAreReportedUnderTheirSetting() throws Exception {
    Path notAKey = dir.resolve("not-a-key.pem");
    Files.writeString(notAKey, "hello");
    assertThatThrownBy(
            () ->
                KeyManagerFactory.create(
                    with(kmip(), "COSMIAN_KMS_CLIENT_KEY", notAKey.toString()), null))
        .isInstanceOf(KeyManagerConfigException.class)
        .hasMessageStartingWith("COSMIAN_KMS_CLIENT_KEY: no PEM private key");
    assertThatThrownBy(
            () ->
                KeyManagerFactory.create(
                    with(
                        kmip(),
                        "KEY_MANAGER_PROVIDER",
                        "cosmian",
                        "COSMIAN_KMS_ENDPOINT",
                        "https://kms:9998",
                        "COSMIAN_KMS_CLIENT_KEY",
                        null),
                    null))
        .isInstanceOf(KeyManagerConfigException.class)
        .hasMessage("COSMIAN_KMS_CLIENT_KEY: is required when COSMIAN_KMS_CLIENT_CERT is set");
    assertThatThrownBy(
            () ->
                KeyManagerFactory.create(
                    Map.of(
                        "KEY_MANAGER_ENABLED", "true",
                        "KEY_MANAGER_PROVIDER", "keyring",
                        "KEYRING_FILE", notAKey.toString()),
                    null))
        .isInstanceOf(KeyManagerConfigException.class)
        .hasMessageStartingWith("KEYRING_FILE: keyring ")
        .hasMessageContaining("not valid JSON");
  }

  @Test
  void parsesDurations() {
    KeyManagerSettings settings =
        new KeyManagerSettings(Map.of("A", "500ms", "B", "1m30s", "C", "10", "D", "2h"));
    assertThat(settings.duration("A", Duration.ZERO)).isEqualTo(Duration.ofMillis(500));
    assertThat(settings.duration("B", Duration.ZERO)).isEqualTo(Duration.ofSeconds(90));
    assertThat(settings.duration("C", Duration.ZERO)).isEqualTo(Duration.ofSeconds(10));
    assertThat(settings.duration("D", Duration.ZERO)).isEqualTo(Duration.ofHours(2));
    assertThat(settings.duration("E", Duration.ofSeconds(3))).isEqualTo(Duration.ofSeconds(3));
  }
}
