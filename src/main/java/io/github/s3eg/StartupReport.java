package io.github.s3eg;

import io.github.s3eg.config.AuthConfig;
import io.github.s3eg.config.BackendConfig;
import io.github.s3eg.config.GatewayConfig;
import io.github.s3eg.config.ListenAddress;
import java.net.URI;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What the operator needs to know once the gateway listens, in a few lines: where it listens, which
 * backend, which key source, whose credentials, and one warning per thing that is insecure. Built
 * from the configuration and what start-up found, so that a test can read it without a log.
 */
final class StartupReport {

  /** The gateway's own messages about itself (start, stop), beside {@code s3eg.access}. */
  static final String LOGGER = "s3eg.gateway";

  private static final Logger LOG = LoggerFactory.getLogger(LOGGER);

  /** One line of the report; {@code warning} lines are logged at WARN. */
  record Line(String text, boolean warning) {}

  private StartupReport() {}

  /**
   * @param port the port actually bound (LISTEN_ADDR may ask for 0)
   * @param backendEndpoint the endpoint the gateway talks to (the embedded store's, in trial mode)
   * @param keySource the key source in a few words ({@code KeySetup.describe})
   */
  static List<Line> lines(GatewayConfig config, int port, URI backendEndpoint, String keySource) {
    return lines(config, port, backendEndpoint, keySource, System.getProperty("sun.jnu.encoding"));
  }

  /**
   * @param fileNameEncoding how this JVM encodes file names ({@code sun.jnu.encoding}, from the
   *     locale)
   */
  static List<Line> lines(
      GatewayConfig config,
      int port,
      URI backendEndpoint,
      String keySource,
      String fileNameEncoding) {
    List<Line> lines = new ArrayList<>();
    ListenAddress listen = config.listen();
    BackendConfig backend = config.backend();
    boolean tls = config.ops().tls().enabled();
    String version = GatewayMain.class.getPackage().getImplementationVersion();
    String host = listen.host().contains(":") ? "[" + listen.host() + "]" : listen.host();
    String where = (tls ? "https://" : "http://") + host + ":" + port;
    String scope =
        listen.isLoopback()
            ? backend.embedded()
                ? " (this machine only; LISTEN_ADDR=:" + port + " listens on every interface)"
                : " (this machine only)"
            : "";
    lines.add(
        info(
            "s3-encryption-gateway"
                + (version == null ? "" : " " + version)
                + " listening on "
                + where
                + scope));
    if (backend.embedded()) {
      lines.add(
          info(
              "backend: embedded S3 store in "
                  + backend.dataDir().resolve("objects").toAbsolutePath()
                  + " (trial mode, no BACKEND_ENDPOINT: not for production)"));
      if (fileNameEncoding != null && !fileNameEncoding.equalsIgnoreCase("UTF-8")) {
        // The store keeps keys as file names: outside a UTF-8 locale Java cannot write most.
        lines.add(
            warning(
                "the embedded store cannot keep object keys with non-ASCII characters: this JVM"
                    + " writes file names in "
                    + fileNameEncoding
                    + " (no UTF-8 locale); start it with LANG=C.UTF-8"));
      }
    } else {
      lines.add(
          info(
              "backend: "
                  + backendEndpoint
                  + " ("
                  + backend.provider().name().toLowerCase(Locale.ROOT)
                  + ", region "
                  + backend.region()
                  + ")"));
    }
    lines.add(
        info(
            "keys: "
                + keySource
                + (generatedKey(config)
                    ? " (back it up: the objects cannot be read without it)"
                    : "")));
    AuthConfig auth = config.auth();
    if (!auth.enabled()) {
      lines.add(
          warning(
              "insecure: AUTH_ENABLED=false: requests are not authenticated; anything that reaches "
                  + where
                  + " can use the backend"));
    } else if (auth.generatedCredentialsFile().isPresent()) {
      lines.add(
          info(
              "clients: the generated credentials in "
                  + auth.generatedCredentialsFile().get().toAbsolutePath()
                  + " (AUTH_ACCESS_KEY/AUTH_SECRET_KEY or AUTH_CREDENTIALS_FILE to choose your own)"));
    } else {
      int n = auth.credentials().size();
      lines.add(info("clients: " + n + " configured access key" + (n == 1 ? "" : "s")));
    }
    if (!tls && !listen.isLoopback()) {
      lines.add(
          warning(
              "insecure: plain HTTP on "
                  + where
                  + ": object data crosses the network unencrypted; set TLS_ENABLED=true or put"
                  + " a TLS proxy in front"));
    }
    if (auth.enabled() && auth.allowSigV2()) {
      lines.add(
          warning(
              "insecure: AUTH_ALLOW_SIGV2=true: SigV2 requests (HMAC-SHA1, unsigned bodies) are"
                  + " accepted"));
    }
    if (config.encryption().allowPlaintextReads()) {
      lines.add(
          warning(
              "insecure: ENCRYPTION_ALLOW_PLAINTEXT_READS=true: objects without encryption"
                  + " metadata are served as the backend holds them"));
    }
    if (!backend.embedded()
        && "http".equalsIgnoreCase(backendEndpoint.getScheme())
        && !isLoopback(backendEndpoint.getHost())) {
      lines.add(
          warning(
              "insecure: the backend is reached over plain HTTP: bodies are encrypted, but object"
                  + " names and metadata cross the network readable"));
    }
    return lines;
  }

  /** Logs the report. */
  static void log(GatewayConfig config, int port, URI backendEndpoint, String keySource) {
    for (Line line : lines(config, port, backendEndpoint, keySource)) {
      if (line.warning()) {
        LOG.warn(line.text());
      } else {
        LOG.info(line.text());
      }
    }
  }

  /** Trial mode's key, generated into the data directory: the one key only a backup can save. */
  private static boolean generatedKey(GatewayConfig config) {
    return config.backend().embedded()
        && !config.encryption().keyManagerEnabled()
        && config.encryption().password().isEmpty();
  }

  private static boolean isLoopback(String host) {
    return host != null
        && (host.equals("localhost") || host.startsWith("127.") || host.equals("[::1]"));
  }

  private static Line info(String text) {
    return new Line(text, false);
  }

  private static Line warning(String text) {
    return new Line(text, true);
  }
}
