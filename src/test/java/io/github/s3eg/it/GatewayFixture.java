package io.github.s3eg.it;

import io.github.s3eg.Gateway;
import io.github.s3eg.config.GatewayConfig;
import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.Properties;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.core.checksums.RequestChecksumCalculation;
import software.amazon.awssdk.core.checksums.ResponseChecksumValidation;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.S3ClientBuilder;

/**
 * A gateway started in-process with the real routes, on a free port, in front of a backend: a
 * {@link TestBackend} of its own, or a given {@link S3Backend} (e.g. the shared {@link
 * CephBackend}). Settings are given as environment-style names, as an operator would.
 */
public final class GatewayFixture implements AutoCloseable {

  /** The client credentials the fixture's gateway accepts (admin on every bucket). */
  public static final String CLIENT_KEY = "client-access";

  public static final String CLIENT_SECRET = "client-secret-0123456789";

  /** The fixture gateway's encryption password (the KEK is derived from it at start-up). */
  public static final String PASSWORD = "fixture-password-0123456789";

  private final S3Backend backend;
  private final CountingProxy probe;
  private final Gateway gateway;
  private final boolean ownsBackend;

  private GatewayFixture(
      S3Backend backend, CountingProxy probe, Gateway gateway, boolean ownsBackend) {
    this.backend = backend;
    this.probe = probe;
    this.gateway = gateway;
    this.ownsBackend = ownsBackend;
  }

  /** A gateway in front of an existing backend, which it leaves running when closed. */
  public static GatewayFixture startOn(S3Backend backend, Map<String, String> extraSettings)
      throws Exception {
    return startOn(backend, extraSettings, Map.of());
  }

  /** As {@link #startOn(S3Backend, Map)}, with {@code camelProperties} over the jar's. */
  public static GatewayFixture startOn(
      S3Backend backend, Map<String, String> extraSettings, Map<String, String> camelProperties)
      throws Exception {
    CountingProxy probe = CountingProxy.start(backend.endpoint());
    try {
      Map<String, String> settings = new HashMap<>(extraSettings);
      settings.putIfAbsent("BACKEND_ENDPOINT", probe.endpoint().toString());
      return new GatewayFixture(
          backend,
          probe,
          Gateway.start(config(backend, settings), Clock.systemUTC(), camelProperties),
          false);
    } catch (Exception | Error e) {
      probe.close();
      throw e;
    }
  }

  public static GatewayFixture start(Map<String, String> extraSettings) throws Exception {
    return start(extraSettings, Clock.systemUTC());
  }

  /** {@code clock}: the gateway's clock for signature checks (tests move it forward). */
  public static GatewayFixture start(Map<String, String> extraSettings, Clock clock)
      throws Exception {
    return start(extraSettings, clock, Map.of());
  }

  /**
   * {@code camelProperties} override the jar's {@code application.properties}, e.g. {@link
   * RouteFolder#camelProperties()} for routes from a folder.
   */
  public static GatewayFixture start(
      Map<String, String> extraSettings, Clock clock, Map<String, String> camelProperties)
      throws Exception {
    TestBackend backend = TestBackend.start();
    CountingProxy probe = CountingProxy.start(backend.endpoint());
    try {
      Map<String, String> settings = new HashMap<>(extraSettings);
      settings.putIfAbsent("BACKEND_ENDPOINT", probe.endpoint().toString());
      return new GatewayFixture(
          backend, probe, Gateway.start(config(backend, settings), clock, camelProperties), true);
    } catch (Exception | Error e) {
      probe.close();
      backend.close();
      throw e;
    }
  }

  /** The configuration a fixture's gateway gets: {@link #baseSettings} plus {@code extra}. */
  public static GatewayConfig config(S3Backend backend, Map<String, String> extra) {
    Map<String, String> env = new HashMap<>(baseSettings(backend));
    env.putAll(extra);
    return GatewayConfig.from(env, new Properties());
  }

  /** The backend's own {@code BACKEND_*} settings, the client credentials and the password. */
  public static Map<String, String> baseSettings(S3Backend backend) {
    Map<String, String> settings = new HashMap<>(backend.gatewaySettings());
    settings.put("LISTEN_ADDR", "127.0.0.1:0");
    settings.put("AUTH_ACCESS_KEY", CLIENT_KEY);
    settings.put("AUTH_SECRET_KEY", CLIENT_SECRET);
    settings.put("ENCRYPTION_PASSWORD", PASSWORD);
    return Map.copyOf(settings);
  }

  public URI endpoint() {
    return URI.create("http://127.0.0.1:" + gateway.port());
  }

  public S3Backend backend() {
    return backend;
  }

  /** The directory of this fixture's S3Proxy filesystem store (tests tamper with files there). */
  public java.nio.file.Path backendDirectory() {
    if (backend instanceof TestBackend local) {
      return local.directory();
    }
    throw new IllegalStateException("this fixture's backend has no local directory: " + backend);
  }

  /** The probe between gateway and backend: what really reached the backend. */
  public CountingProxy probe() {
    return probe;
  }

  public Gateway gateway() {
    return gateway;
  }

  /** An SDK client with the SDK's default settings (aws-chunked bodies with CRC32 trailers). */
  public S3Client defaultClient() {
    return clientBuilder().build();
  }

  /** An SDK client that sends checksums only when required (signed aws-chunked, no trailers). */
  public S3Client whenRequiredClient() {
    return clientBuilder()
        .requestChecksumCalculation(RequestChecksumCalculation.WHEN_REQUIRED)
        .responseChecksumValidation(ResponseChecksumValidation.WHEN_REQUIRED)
        .build();
  }

  public S3ClientBuilder clientBuilder() {
    return clientBuilder(CLIENT_KEY, CLIENT_SECRET);
  }

  /** A client builder that signs as {@code accessKey} (a credential of a credentials file). */
  public S3ClientBuilder clientBuilder(String accessKey, String secretKey) {
    return S3Client.builder()
        .endpointOverride(endpoint())
        .region(Region.US_EAST_1)
        .credentialsProvider(
            StaticCredentialsProvider.create(AwsBasicCredentials.create(accessKey, secretKey)))
        .forcePathStyle(true)
        .overrideConfiguration(o -> o.apiCallTimeout(Duration.ofMinutes(5)));
  }

  /** An SDK client with the SDK's default settings that signs as {@code accessKey}. */
  public S3Client client(String accessKey, String secretKey) {
    return clientBuilder(accessKey, secretKey).build();
  }

  /**
   * A client that signs as {@code accessKey} and makes one attempt per call: a refusal the SDK
   * would retry (503 SlowDown) reaches the test as it was answered.
   */
  public S3Client singleAttemptClient(String accessKey, String secretKey) {
    return clientBuilder(accessKey, secretKey)
        .overrideConfiguration(o -> o.retryStrategy(r -> r.maxAttempts(1)))
        .build();
  }

  @Override
  public void close() throws Exception {
    try {
      gateway.close();
    } finally {
      probe.close();
      if (ownsBackend && backend instanceof TestBackend own) {
        own.close();
      }
    }
  }
}
