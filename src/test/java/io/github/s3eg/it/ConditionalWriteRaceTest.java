package io.github.s3eg.it;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.s3eg.Gateway;
import io.github.s3eg.config.GatewayConfig;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.core.checksums.RequestChecksumCalculation;
import software.amazon.awssdk.core.checksums.ResponseChecksumValidation;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.S3Exception;

/**
 * Clients racing through two gateway instances against a backend whose conditional writes are
 * atomic ({@link AtomicBackend}): of many {@code If-None-Match: *} PUTs of one key exactly one
 * creates it, and of many {@code If-Match} PUTs against the same ETag exactly one replaces it. The
 * gateways' own checks all pass (the key is absent, the ETag matches when each looks); only the
 * condition the backend write carries can make the others lose.
 */
class ConditionalWriteRaceTest {

  private static final int RACERS = 8;
  private static final Duration GATHER = Duration.ofSeconds(30);

  private static AtomicBackend backend;
  private static final List<Gateway> gateways = new ArrayList<>();
  private static final List<S3Client> clients = new ArrayList<>();

  private static final StringBuilder whyNot = new StringBuilder();

  @BeforeAll
  static void start() throws Exception {
    Optional<AtomicBackend> chosen = AtomicBackend.start(whyNot);
    if (chosen.isEmpty()) {
      return; // each test is skipped with the reason (see requireBackend)
    }
    backend = chosen.get();
    for (int i = 0; i < 2; i++) {
      Map<String, String> env = new HashMap<>(backend.gatewaySettings());
      env.put("LISTEN_ADDR", "127.0.0.1:0");
      env.put("BACKEND_ENDPOINT", backend.endpoint().toString());
      env.put("BACKEND_ACCESS_KEY", backend.accessKey());
      env.put("BACKEND_SECRET_KEY", backend.secretKey());
      env.put("AUTH_ACCESS_KEY", GatewayFixture.CLIENT_KEY);
      env.put("AUTH_SECRET_KEY", GatewayFixture.CLIENT_SECRET);
      env.put("ENCRYPTION_PASSWORD", GatewayFixture.PASSWORD);
      Gateway gateway = Gateway.start(GatewayConfig.from(env, new Properties()));
      gateways.add(gateway);
      clients.add(client(URI.create("http://127.0.0.1:" + gateway.port())));
    }
    clients.get(0).createBucket(b -> b.bucket("race"));
  }

  @BeforeEach
  void requireBackend() {
    Assumptions.assumeTrue(
        backend != null,
        () ->
            "No atomic backend for the race test ("
                + whyNot
                + "); choose one with -D"
                + AtomicBackend.PROPERTY
                + "=locked-s3proxy|endpoint|<class>");
  }

  @AfterAll
  static void stop() throws Exception {
    for (S3Client c : clients) {
      c.close();
    }
    for (Gateway g : gateways) {
      g.close();
    }
    if (backend != null) {
      backend.close();
    }
  }

  private static S3Client client(URI endpoint) {
    return S3Client.builder()
        .endpointOverride(endpoint)
        .region(Region.US_EAST_1)
        .forcePathStyle(true)
        .credentialsProvider(
            StaticCredentialsProvider.create(
                AwsBasicCredentials.create(
                    GatewayFixture.CLIENT_KEY, GatewayFixture.CLIENT_SECRET)))
        .requestChecksumCalculation(RequestChecksumCalculation.WHEN_REQUIRED)
        .responseChecksumValidation(ResponseChecksumValidation.WHEN_REQUIRED)
        .overrideConfiguration(
            o -> o.apiCallTimeout(Duration.ofMinutes(2)).retryStrategy(r -> r.maxAttempts(1)))
        .build();
  }

  @Test
  void exactlyOneOfManyCreateOnlyPutsWins() throws Exception {
    backend.gatherWrites("race", "lock-file", RACERS, GATHER);
    List<String> outcomes =
        race(
            i ->
                clients
                    .get(i % 2)
                    .putObject(
                        b -> b.bucket("race").key("lock-file").ifNoneMatch("*"),
                        software.amazon.awssdk.core.sync.RequestBody.fromString("owner " + i)));
    assertThat(outcomes.stream().filter(o -> o.equals("ok")).count())
        .as(backend.description() + ": " + outcomes)
        .isEqualTo(1);
    assertThat(outcomes).allMatch(o -> o.equals("ok") || o.equals("412") || o.equals("409"));
    String owner =
        clients.get(1).getObjectAsBytes(b -> b.bucket("race").key("lock-file")).asUtf8String();
    assertThat(outcomes.get(Integer.parseInt(owner.substring("owner ".length())))).isEqualTo("ok");
  }

  @Test
  void exactlyOneOfManyOptimisticReplacementsWins() throws Exception {
    String seen =
        clients
            .get(0)
            .putObject(b -> b.bucket("race").key("table-head"), RequestBody.fromString("v0"))
            .eTag();
    backend.gatherWrites("race", "table-head", RACERS, GATHER);
    List<String> outcomes =
        race(
            i ->
                clients
                    .get(i % 2)
                    .putObject(
                        b -> b.bucket("race").key("table-head").ifMatch(seen),
                        RequestBody.fromString("v1 by " + i)));
    assertThat(outcomes.stream().filter(o -> o.equals("ok")).count())
        .as(backend.description() + ": " + outcomes)
        .isEqualTo(1);
    String winner =
        clients.get(1).getObjectAsBytes(b -> b.bucket("race").key("table-head")).asUtf8String();
    assertThat(outcomes.get(Integer.parseInt(winner.substring("v1 by ".length())))).isEqualTo("ok");
  }

  interface Racer {
    void run(int index) throws Exception;
  }

  /**
   * Runs {@link #RACERS} writes at once; each outcome is "ok" or the HTTP status it failed with.
   */
  private static List<String> race(Racer racer) throws Exception {
    ExecutorService pool = Executors.newFixedThreadPool(RACERS);
    try {
      CountDownLatch start = new CountDownLatch(1);
      List<Future<String>> futures = new ArrayList<>();
      for (int i = 0; i < RACERS; i++) {
        int index = i;
        Callable<String> attempt =
            () -> {
              start.await();
              try {
                racer.run(index);
                return "ok";
              } catch (S3Exception e) {
                return Integer.toString(e.statusCode());
              }
            };
        futures.add(pool.submit(attempt));
      }
      start.countDown();
      List<String> outcomes = new ArrayList<>();
      for (Future<String> f : futures) {
        outcomes.add(f.get());
      }
      return outcomes;
    } finally {
      pool.shutdownNow();
    }
  }
}
