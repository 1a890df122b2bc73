package io.github.s3eg;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.s3eg.config.GatewayConfig;
import java.net.URI;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 19: the start-up log says what an operator needs (where it listens, which backend, which
 * key source, whose credentials) and warns once per thing that is insecure, in a few lines.
 */
class StartupReportTest {

  @TempDir Path data;

  private GatewayConfig config(String... settings) {
    Map<String, String> env = new HashMap<>();
    env.put("DATA_DIR", data.toString());
    for (int i = 0; i < settings.length; i += 2) {
      env.put(settings[i], settings[i + 1]);
    }
    return GatewayConfig.from(env, new Properties());
  }

  private static List<String> texts(List<StartupReport.Line> lines) {
    return lines.stream().map(StartupReport.Line::text).toList();
  }

  @Test
  void trialModeListensOnLoopbackAndSaysSo() {
    GatewayConfig trial = config();
    assertThat(trial.listen().host()).isEqualTo("127.0.0.1");
    assertThat(trial.listen().port()).isEqualTo(8080);

    List<StartupReport.Line> lines =
        StartupReport.lines(
            trial,
            8080,
            URI.create("http://127.0.0.1:40000"),
            "the generated key static-0123456789ab:1 in " + data.resolve("gateway-kek.b64"),
            "UTF-8");
    assertThat(lines).noneMatch(StartupReport.Line::warning);
    assertThat(texts(lines))
        .containsExactly(
            "s3-encryption-gateway listening on http://127.0.0.1:8080 (this machine only;"
                + " LISTEN_ADDR=:8080 listens on every interface)",
            "backend: embedded S3 store in "
                + data.resolve("objects").toAbsolutePath()
                + " (trial mode, no BACKEND_ENDPOINT: not for production)",
            "keys: the generated key static-0123456789ab:1 in "
                + data.resolve("gateway-kek.b64")
                + " (back it up: the objects cannot be read without it)",
            "clients: the generated credentials in "
                + data.resolve("client-credentials.properties").toAbsolutePath()
                + " (AUTH_ACCESS_KEY/AUTH_SECRET_KEY or AUTH_CREDENTIALS_FILE to choose your own)");
  }

  @Test
  void trialModeOutsideAUtf8LocaleWarnsThatKeysCannotBeStored() {
    assertThat(
            texts(
                StartupReport.lines(
                    config(), 8080, URI.create("http://127.0.0.1:1"), "k", "ANSI_X3.4-1968")))
        .contains(
            "the embedded store cannot keep object keys with non-ASCII characters: this JVM"
                + " writes file names in ANSI_X3.4-1968 (no UTF-8 locale); start it with"
                + " LANG=C.UTF-8");
  }

  @Test
  void trialModeListensWhereListenAddrSays() {
    assertThat(config("LISTEN_ADDR", ":9000").listen().host()).isEqualTo("0.0.0.0");
  }

  @Test
  void aConfiguredBackendListensOnEveryInterfaceAndPlainHttpThereIsAWarning() {
    GatewayConfig configured =
        config(
            "BACKEND_ENDPOINT", "https://s3.eu-central-1.amazonaws.com",
            "BACKEND_REGION", "eu-central-1",
            "BACKEND_PROVIDER", "aws",
            "AUTH_ACCESS_KEY", "operator",
            "AUTH_SECRET_KEY", "operator-secret-0123456789");
    assertThat(configured.listen().host()).isEqualTo("0.0.0.0");
    List<StartupReport.Line> lines =
        StartupReport.lines(
            configured,
            8080,
            URI.create("https://s3.eu-central-1.amazonaws.com"),
            "ENCRYPTION_PASSWORD (key pw-0123456789ab:1)");
    assertThat(texts(lines))
        .containsExactly(
            "s3-encryption-gateway listening on http://0.0.0.0:8080",
            "backend: https://s3.eu-central-1.amazonaws.com (aws, region eu-central-1)",
            "keys: ENCRYPTION_PASSWORD (key pw-0123456789ab:1)",
            "clients: 1 configured access key",
            "insecure: plain HTTP on http://0.0.0.0:8080: object data crosses the network"
                + " unencrypted; set TLS_ENABLED=true or put a TLS proxy in front");
    assertThat(lines.get(4).warning()).isTrue();
  }

  @Test
  void eachInsecureSettingIsOneWarning() {
    GatewayConfig loose =
        config(
            "LISTEN_ADDR", "127.0.0.1:8080",
            "BACKEND_ENDPOINT", "http://minio.internal:9000",
            "AUTH_ENABLED", "false",
            "ENCRYPTION_ALLOW_PLAINTEXT_READS", "true");
    List<StartupReport.Line> lines =
        StartupReport.lines(
            loose, 8080, URI.create("http://minio.internal:9000"), "ENCRYPTION_PASSWORD (key x)");
    assertThat(lines.stream().filter(StartupReport.Line::warning).map(StartupReport.Line::text))
        .hasSize(3)
        .anySatisfy(l -> assertThat(l).startsWith("insecure: AUTH_ENABLED=false"))
        .anySatisfy(l -> assertThat(l).startsWith("insecure: ENCRYPTION_ALLOW_PLAINTEXT_READS"))
        .anySatisfy(l -> assertThat(l).startsWith("insecure: the backend is reached over plain"));

    GatewayConfig sigV2 =
        config(
            "AUTH_ACCESS_KEY", "k",
            "AUTH_SECRET_KEY", "secret-0123456789",
            "AUTH_ALLOW_SIGV2", "true",
            "LISTEN_ADDR", "127.0.0.1:0");
    assertThat(texts(StartupReport.lines(sigV2, 1234, URI.create("http://127.0.0.1:1"), "k")))
        .contains(
            "insecure: AUTH_ALLOW_SIGV2=true: SigV2 requests (HMAC-SHA1, unsigned bodies) are"
                + " accepted");
  }
}
