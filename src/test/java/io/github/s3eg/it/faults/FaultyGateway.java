package io.github.s3eg.it.faults;

import io.github.s3eg.it.CountingProxy;
import io.github.s3eg.it.GatewayFixture;
import io.github.s3eg.it.TestBackend;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.awscore.retry.AwsRetryStrategy;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.S3Configuration;
import software.amazon.awssdk.services.s3.presigner.S3Presigner;

/**
 * A gateway whose backend link can be broken: gateway → {@link FaultProxy} (TCP faults) → {@link
 * CountingProxy} (counts the requests that got through, answers injected 5xx) → S3Proxy. Tests read
 * the backend directly ({@link #direct()}) to see what was really stored.
 */
final class FaultyGateway implements AutoCloseable {

  final TestBackend backend;
  final CountingProxy probe;
  final FaultProxy faults;
  final GatewayFixture gateway;
  private final S3Client direct;
  private final HttpClient http = HttpClient.newBuilder().build();

  private FaultyGateway(
      TestBackend backend, CountingProxy probe, FaultProxy faults, GatewayFixture gateway) {
    this.backend = backend;
    this.probe = probe;
    this.faults = faults;
    this.gateway = gateway;
    this.direct = backend.directClient();
  }

  static FaultyGateway start(Map<String, String> settings) throws Exception {
    TestBackend backend = TestBackend.start();
    CountingProxy probe = null;
    FaultProxy faults = null;
    try {
      probe = CountingProxy.start(backend.endpoint());
      faults = FaultProxy.start(probe.endpoint());
      Map<String, String> all = new HashMap<>(settings);
      all.put("BACKEND_ENDPOINT", faults.endpoint().toString());
      return new FaultyGateway(backend, probe, faults, GatewayFixture.startOn(backend, all));
    } catch (Exception | Error e) {
      if (faults != null) {
        faults.close();
      }
      if (probe != null) {
        probe.close();
      }
      backend.close();
      throw e;
    }
  }

  /**
   * A client that does not retry, so that every gateway request the test makes is one attempt and
   * the backend request counts are the gateway's own.
   */
  S3Client client() {
    return gateway
        .clientBuilder()
        .overrideConfiguration(
            o ->
                o.apiCallTimeout(Duration.ofMinutes(2))
                    .retryStrategy(AwsRetryStrategy.doNotRetry()))
        .build();
  }

  /** Presigns URLs for the gateway with the fixture's client credentials (path style). */
  S3Presigner presigner() {
    return S3Presigner.builder()
        .endpointOverride(gateway.endpoint())
        .region(Region.US_EAST_1)
        .credentialsProvider(
            StaticCredentialsProvider.create(
                AwsBasicCredentials.create(
                    GatewayFixture.CLIENT_KEY, GatewayFixture.CLIENT_SECRET)))
        .serviceConfiguration(S3Configuration.builder().pathStyleAccessEnabled(true).build())
        .build();
  }

  /** The backend itself, bypassing gateway and proxies. */
  S3Client direct() {
    return direct;
  }

  URI endpoint() {
    return gateway.endpoint();
  }

  /** Status of an unauthenticated probe such as {@code /ready}. */
  HttpResponse<String> probe(String path) throws Exception {
    return http.send(
        HttpRequest.newBuilder(URI.create(gateway.endpoint() + path))
            .timeout(Duration.ofSeconds(30))
            .build(),
        HttpResponse.BodyHandlers.ofString());
  }

  /** Requests the gateway is still answering. */
  int requestsInProgress() {
    return gateway.gateway().requestsInProgress();
  }

  /** Back to a healthy link with no injected errors and fresh counters. */
  void heal() {
    faults.passThrough();
    probe.stopFailing();
    probe.endOutage();
    probe.reset();
  }

  @Override
  public void close() throws Exception {
    try {
      gateway.close();
    } finally {
      http.close();
      direct.close();
      faults.close();
      probe.close();
      backend.close();
    }
  }
}
