package io.github.s3eg.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.opentest4j.TestAbortedException;
import software.amazon.awssdk.core.checksums.RequestChecksumCalculation;
import software.amazon.awssdk.core.checksums.ResponseChecksumValidation;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.S3Exception;

/**
 * Clients racing through two gateway instances against a backend whose conditional writes are
 * atomic ({@link AtomicBackend}, by default Ceph RGW and a serialized S3Proxy): of many {@code
 * If-None-Match: *} PUTs of one key exactly one creates it, and of many {@code If-Match} PUTs
 * against the same ETag exactly one replaces it. The gateways' own checks all pass (the key is
 * absent, the ETag matches when each looks); only the condition the backend write carries can make
 * the others lose. Where the backend can gather the racing writes, they certainly overlap;
 * elsewhere several rounds are run.
 */
class ConditionalWriteRaceTest {

  private static final int RACERS = 8;
  private static final Duration GATHER = Duration.ofSeconds(30);

  /** A backend with two gateways in front of it, one client each. */
  private record Racetrack(
      AtomicBackend backend, List<GatewayFixture> gateways, List<S3Client> clients) {
    S3Client client(int racer) {
      return clients.get(racer % clients.size());
    }

    int rounds() {
      return backend instanceof AtomicBackend.LockedS3Proxy ? 1 : 10;
    }

    /**
     * A loser is told 412 PreconditionFailed (or S3's 409 ConditionalRequestConflict). RGW 16.2
     * answers some losers of an If-Match race with a bare 500, which the gateway passes on as 503
     * (retryable: the retry gets 412); the winner is still exactly one.
     */
    boolean losesAsTheBackendDoes(String outcome) {
      return outcome.equals("ok")
          || outcome.equals("412")
          || outcome.equals("409")
          || (outcome.equals("503") && !(backend instanceof AtomicBackend.LockedS3Proxy));
    }
  }

  private static final Map<String, Racetrack> tracks = new ConcurrentHashMap<>();
  private static final Map<String, String> unavailable = new ConcurrentHashMap<>();

  static Stream<String> backends() {
    return AtomicBackend.chosen().stream();
  }

  /** The racetrack on {@code name}, started on first use; the test is skipped if unavailable. */
  private static synchronized Racetrack track(String name) throws Exception {
    if (unavailable.containsKey(name)) {
      throw new TestAbortedException(unavailable.get(name));
    }
    Racetrack track = tracks.get(name);
    if (track != null) {
      return track;
    }
    AtomicBackend backend;
    try {
      backend = AtomicBackend.start(name);
    } catch (TestAbortedException e) {
      unavailable.put(
          name,
          "No atomic backend '"
              + name
              + "' here ("
              + e.getMessage()
              + "); choose others with -D"
              + AtomicBackend.PROPERTY);
      throw new TestAbortedException(unavailable.get(name), e);
    }
    List<GatewayFixture> gateways = new ArrayList<>();
    List<S3Client> clients = new ArrayList<>();
    for (int i = 0; i < 2; i++) {
      GatewayFixture gateway = GatewayFixture.startOn(backend, Map.of());
      gateways.add(gateway);
      clients.add(
          gateway
              .clientBuilder()
              .requestChecksumCalculation(RequestChecksumCalculation.WHEN_REQUIRED)
              .responseChecksumValidation(ResponseChecksumValidation.WHEN_REQUIRED)
              .overrideConfiguration(o -> o.retryStrategy(r -> r.maxAttempts(1)))
              .build());
    }
    track = new Racetrack(backend, gateways, clients);
    tracks.put(name, track);
    return track;
  }

  @AfterAll
  static void stop() throws Exception {
    for (Racetrack track : tracks.values()) {
      for (S3Client c : track.clients()) {
        c.close();
      }
      for (GatewayFixture g : track.gateways()) {
        g.close();
      }
      track.backend().close();
    }
  }

  private static String bucket(Racetrack track, String purpose) {
    String bucket = purpose + "-" + Long.toString(System.nanoTime(), 36);
    track.client(0).createBucket(b -> b.bucket(bucket));
    return bucket;
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("backends")
  void exactlyOneOfManyCreateOnlyPutsWins(String name) throws Exception {
    Racetrack track = track(name);
    String bucket = bucket(track, "race-create");
    for (int round = 0; round < track.rounds(); round++) {
      String key = "lock-file-" + round;
      track.backend().gatherWrites(bucket, key, RACERS, GATHER);
      List<String> outcomes =
          race(
              i ->
                  track
                      .client(i)
                      .putObject(
                          b -> b.bucket(bucket).key(key).ifNoneMatch("*"),
                          RequestBody.fromString("owner " + i)));
      assertThat(outcomes.stream().filter(o -> o.equals("ok")).count())
          .as(track.backend().description() + ", round " + round + ": " + outcomes)
          .isEqualTo(1);
      assertThat(outcomes).allMatch(track::losesAsTheBackendDoes);
      String owner =
          track.client(1).getObjectAsBytes(b -> b.bucket(bucket).key(key)).asUtf8String();
      assertThat(outcomes.get(Integer.parseInt(owner.substring("owner ".length()))))
          .isEqualTo("ok");
    }
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("backends")
  void exactlyOneOfManyOptimisticReplacementsWins(String name) throws Exception {
    Racetrack track = track(name);
    String bucket = bucket(track, "race-replace");
    for (int round = 0; round < track.rounds(); round++) {
      String key = "table-head-" + round;
      String seen =
          track
              .client(0)
              .putObject(b -> b.bucket(bucket).key(key), RequestBody.fromString("v0"))
              .eTag();
      track.backend().gatherWrites(bucket, key, RACERS, GATHER);
      List<String> outcomes =
          race(
              i ->
                  track
                      .client(i)
                      .putObject(
                          b -> b.bucket(bucket).key(key).ifMatch(seen),
                          RequestBody.fromString("v1 by " + i)));
      assertThat(outcomes.stream().filter(o -> o.equals("ok")).count())
          .as(track.backend().description() + ", round " + round + ": " + outcomes)
          .isEqualTo(1);
      assertThat(outcomes).allMatch(track::losesAsTheBackendDoes);
      String winner =
          track.client(1).getObjectAsBytes(b -> b.bucket(bucket).key(key)).asUtf8String();
      assertThat(outcomes.get(Integer.parseInt(winner.substring("v1 by ".length()))))
          .isEqualTo("ok");
    }
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
