package io.github.s3eg.it.faults;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.github.s3eg.it.CountingProxy.SeenRequest;
import io.github.s3eg.it.faults.FaultProxy.Direction;
import java.net.URL;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.function.Predicate;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.awscore.retry.AwsRetryStrategy;
import software.amazon.awssdk.core.exception.ApiCallTimeoutException;
import software.amazon.awssdk.core.exception.SdkClientException;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.NoSuchKeyException;
import software.amazon.awssdk.services.s3.model.S3Exception;
import software.amazon.awssdk.services.s3.presigner.S3Presigner;

/**
 * The backend misbehaves (refuses, resets, hangs, crawls, answers 5xx) between the gateway and a
 * real S3 server. Uploads fail with a clean S3 error and leave the previous version intact;
 * downloads that break after their headers abort the client connection; idempotent calls retry a
 * bounded number of times, uploads never; the gateway recovers by itself and {@code /ready}
 * follows.
 */
class BackendFaultsTest {

  private static final String BUCKET = "faults";
  private static final int RETRIES = 2;

  private static FaultyGateway g;
  private static S3Client s3;
  private static S3Presigner presigner;

  @BeforeAll
  static void start() throws Exception {
    g =
        FaultyGateway.start(
            Map.of(
                "BACKEND_TIMEOUT", "1",
                "BACKEND_CONNECT_TIMEOUT_MS", "500",
                "BACKEND_MAX_RETRIES", Integer.toString(RETRIES)));
    s3 = g.client();
    s3.createBucket(b -> b.bucket(BUCKET));
    presigner = g.presigner();
  }

  @AfterAll
  static void stop() throws Exception {
    presigner.close();
    s3.close();
    g.close();
  }

  @AfterEach
  void heal() {
    g.heal();
    // Whatever failed, no request may be left holding a worker thread.
    await()
        .atMost(Duration.ofSeconds(10))
        .untilAsserted(() -> assertThat(g.requestsInProgress()).isZero());
  }

  private static byte[] random(int size, long seed) {
    byte[] data = new byte[size];
    new Random(seed).nextBytes(data);
    return data;
  }

  private static void put(String key, byte[] data) {
    s3.putObject(b -> b.bucket(BUCKET).key(key), RequestBody.fromBytes(data));
  }

  private static byte[] get(String key) {
    return s3.getObjectAsBytes(b -> b.bucket(BUCKET).key(key)).asByteArray();
  }

  /** The ciphertext as stored in the backend, or null if there is no object. */
  private static byte[] stored(String key) {
    try {
      return g.direct().getObjectAsBytes(b -> b.bucket(BUCKET).key(key)).asByteArray();
    } catch (NoSuchKeyException e) {
      return null;
    }
  }

  private static URL presignedGet(String key) {
    return presigner
        .presignGetObject(
            p ->
                p.signatureDuration(Duration.ofMinutes(5))
                    .getObjectRequest(r -> r.bucket(BUCKET).key(key)))
        .url();
  }

  private static Predicate<SeenRequest> on(String method, String key) {
    return r -> r.method().equals(method) && r.target().startsWith("/" + BUCKET + "/" + key);
  }

  private static List<SeenRequest> seen(String method, String key) {
    return g.probe.requests().stream().filter(on(method, key)).toList();
  }

  private static void assertS3Error(Runnable call, int status, String code) {
    assertThatThrownBy(call::run)
        .isInstanceOfSatisfying(
            S3Exception.class,
            e -> {
              assertThat(e.statusCode()).isEqualTo(status);
              assertThat(e.awsErrorDetails().errorCode()).isEqualTo(code);
            });
  }

  // ---- connection refused

  @Test
  void refusedConnectionsFailCleanlyKeepThePreviousVersionAndRecover() throws Exception {
    byte[] v1 = random(100_000, 1);
    put("refused", v1);
    byte[] storedV1 = stored("refused");
    g.probe.reset();

    g.faults.refuse();
    assertS3Error(() -> put("refused", random(100_000, 2)), 503, "ServiceUnavailable");
    assertS3Error(() -> put("refused-new", random(10, 3)), 503, "ServiceUnavailable");
    assertS3Error(() -> get("refused"), 503, "ServiceUnavailable");
    assertThatThrownBy(() -> s3.headObject(b -> b.bucket(BUCKET).key("refused")))
        .isInstanceOfSatisfying(
            S3Exception.class, e -> assertThat(e.statusCode()).as("HEAD: no body").isEqualTo(503));
    assertS3Error(() -> s3.listObjectsV2(b -> b.bucket(BUCKET)), 503, "ServiceUnavailable");
    assertThat(g.probe("/ready").statusCode()).isEqualTo(503);
    assertThat(g.probe.requests()).as("nothing reached the backend").isEmpty();

    g.faults.passThrough();
    await()
        .atMost(Duration.ofSeconds(20))
        .untilAsserted(() -> assertThat(g.probe("/ready").statusCode()).isEqualTo(200));
    assertThat(stored("refused")).as("previous version intact").isEqualTo(storedV1);
    assertThat(stored("refused-new")).as("no object").isNull();
    assertThat(get("refused")).isEqualTo(v1);
    byte[] v3 = random(100_000, 4);
    put("refused", v3);
    assertThat(get("refused")).isEqualTo(v3);
  }

  // ---- 5xx answers

  @Test
  void getRetriesSlowDownWithinItsBudget() {
    byte[] data = random(50_000, 5);
    put("slowdown", data);
    g.probe.reset();

    g.probe.failNext(RETRIES, on("GET", "slowdown"), 503, "SlowDown");
    assertThat(get("slowdown")).isEqualTo(data);
    assertThat(seen("GET", "slowdown")).hasSize(RETRIES + 1);

    g.probe.reset();
    g.probe.failNext(100, on("GET", "slowdown"), 503, "SlowDown");
    assertS3Error(() -> get("slowdown"), 503, "SlowDown");
    List<SeenRequest> attempts = seen("GET", "slowdown");
    assertThat(attempts).as("1 + BACKEND_MAX_RETRIES attempts").hasSize(RETRIES + 1);
    assertThat(attempts).allMatch(SeenRequest::injected);
    // Throttling backoff: retry n waits at least 250 ms * 2^(n-1) (half jitter of 500 ms * 2^n).
    assertBackoff(attempts, Duration.ofMillis(250));
  }

  /** Each gap between attempts is at least {@code first}, doubling: a floor, never a ceiling. */
  private static void assertBackoff(List<SeenRequest> attempts, Duration first) {
    Duration floor = first;
    for (int i = 1; i < attempts.size(); i++) {
      Duration gap = Duration.ofNanos(attempts.get(i).atNanos() - attempts.get(i - 1).atNanos());
      assertThat(gap).as("wait before retry %d", i).isGreaterThanOrEqualTo(floor);
      floor = floor.multipliedBy(2);
    }
  }

  @Test
  void headAndListRetryInternalErrors() {
    put("five-hundred", random(1000, 6));
    g.probe.reset();
    g.probe.failNext(RETRIES, on("HEAD", "five-hundred"), 500, "InternalError");
    assertThat(s3.headObject(b -> b.bucket(BUCKET).key("five-hundred")).contentLength())
        .isEqualTo(1000);
    assertThat(seen("HEAD", "five-hundred")).hasSize(RETRIES + 1);
    assertBackoff(seen("HEAD", "five-hundred"), Duration.ofMillis(50));

    g.probe.reset();
    g.probe.failNext(
        100,
        r -> r.method().equals("GET") && r.target().contains("list-type=2"),
        500,
        "InternalError");
    assertS3Error(() -> s3.listObjectsV2(b -> b.bucket(BUCKET)), 503, "ServiceUnavailable");
    assertThat(g.probe.requests()).hasSize(RETRIES + 1);
  }

  @Test
  void uploadsAreNotRetriedAndLeaveThePreviousVersion() {
    byte[] v1 = random(300_000, 7);
    put("no-retry", v1);
    byte[] storedV1 = stored("no-retry");
    g.probe.reset();

    g.probe.failNext(100, on("PUT", "no-retry"), 500, "InternalError");
    assertS3Error(() -> put("no-retry", random(300_000, 8)), 503, "ServiceUnavailable");
    assertThat(seen("PUT", "no-retry")).as("one attempt, not retried").hasSize(1);

    g.probe.reset();
    g.probe.failNext(100, on("PUT", "no-retry"), 503, "SlowDown");
    assertS3Error(() -> put("no-retry", random(1000, 9)), 503, "SlowDown");
    assertThat(seen("PUT", "no-retry")).hasSize(1);

    g.probe.stopFailing();
    assertThat(stored("no-retry")).isEqualTo(storedV1);
    assertThat(get("no-retry")).isEqualTo(v1);
  }

  // ---- resets

  @Test
  void aResetMidUploadFailsTheUploadOnceAndKeepsThePreviousVersion() {
    byte[] v1 = random(10_000, 10);
    put("reset-up", v1);
    byte[] storedV1 = stored("reset-up");
    g.probe.reset();

    g.faults.resetAfter(Direction.UPSTREAM, 200_000, 1);
    assertS3Error(() -> put("reset-up", random(1_000_000, 11)), 503, "ServiceUnavailable");
    assertThat(seen("PUT", "reset-up")).as("a half-sent body is not retried").hasSize(1);
    assertThat(stored("reset-up")).isEqualTo(storedV1);
    assertThat(get("reset-up")).isEqualTo(v1);
  }

  @Test
  void aResetMidDownloadAbortsTheClientConnection() throws Exception {
    byte[] data = random(1_000_000, 12);
    put("reset-down", data);
    // Throttled, so that the gateway has sent the first segment when the reset comes (an RST
    // also discards whatever the gateway had received but not read yet).
    g.faults.throttle(2_000_000).resetAfter(Direction.DOWNSTREAM, 400_000, 1);
    RawDownload.Result r = RawDownload.get(presignedGet("reset-down"), 30_000);
    assertThat(r.status()).isEqualTo(200);
    assertThat(r.declaredLength()).isEqualTo(data.length);
    assertThat(r.end()).isEqualTo(RawDownload.End.ABORTED);
    assertThat(r.received()).isLessThan(data.length);
    assertThat(get("reset-down")).isEqualTo(data);
  }

  @Test
  void aResetBeforeTheFirstSegmentIsACleanError() throws Exception {
    byte[] data = random(1_000_000, 13);
    put("reset-early", data);
    g.probe.reset();
    // Past the response head, within the first segment: the SDK has handed over the stream.
    g.faults.resetAfter(Direction.DOWNSTREAM, 2_000, 1);
    assertS3Error(() -> get("reset-early"), 503, "ServiceUnavailable");
  }

  // ---- slow and hanging backends

  @Test
  void aSlowBackendIsSlowButCorrect() {
    g.faults.latency(Duration.ofMillis(2)).throttle(2_000_000);
    byte[] data = random(700_000, 14);
    put("slow", data);
    assertThat(get("slow")).isEqualTo(data);
  }

  @Test
  void aHangingBackendTimesOutAndReadyFollows() throws Exception {
    byte[] data = random(100_000, 15);
    put("hang", data);
    byte[] storedBefore = stored("hang");

    g.faults.hang();
    assertS3Error(() -> get("hang"), 503, "ServiceUnavailable");
    assertS3Error(() -> put("hang", random(2_000_000, 17)), 503, "ServiceUnavailable");
    assertThat(g.probe("/ready").statusCode()).isEqualTo(503);

    g.faults.passThrough();
    await()
        .atMost(Duration.ofSeconds(20))
        .untilAsserted(() -> assertThat(g.probe("/ready").statusCode()).isEqualTo(200));
    assertThat(stored("hang")).isEqualTo(storedBefore);
    assertThat(get("hang")).isEqualTo(data);
  }

  @Test
  void aBackendStallingMidDownloadAbortsTheClientAfterTheTimeout() throws Exception {
    byte[] data = random(1_000_000, 18);
    put("stall", data);
    g.faults.stallAfter(Direction.DOWNSTREAM, 400_000, 1);
    RawDownload.Result r = RawDownload.get(presignedGet("stall"), 30_000);
    assertThat(r.status()).isEqualTo(200);
    assertThat(r.end()).isEqualTo(RawDownload.End.ABORTED);
    assertThat(r.received()).isLessThan(data.length);
  }

  @Test
  void aBackendThatStopsReadingAnUploadIsAbortedAfterTheTimeout() throws Exception {
    byte[] v1 = random(1000, 19);
    put("stop-reading", v1);
    byte[] storedV1 = stored("stop-reading");
    // A blocking socket write has no timeout of its own: without the gateway's guard this upload
    // would hold a worker thread until the client gave up, and longer.
    g.faults.stallAfter(Direction.UPSTREAM, 100_000, 1);
    try (S3Client patient =
        g.gateway
            .clientBuilder()
            .overrideConfiguration(
                o ->
                    o.apiCallTimeout(Duration.ofSeconds(60))
                        .retryStrategy(AwsRetryStrategy.doNotRetry()))
            .build()) {
      assertThatThrownBy(
              () ->
                  patient.putObject(
                      b -> b.bucket(BUCKET).key("stop-reading"),
                      RequestBody.fromBytes(random(32_000_000, 20))))
          .as("a large body still in flight: the gateway answers 503 and closes the connection")
          .isInstanceOfAny(S3Exception.class, SdkClientException.class)
          .as("the client is told, not left waiting for its own timeout")
          .isNotInstanceOf(ApiCallTimeoutException.class);
    }
    await()
        .atMost(Duration.ofSeconds(10))
        .untilAsserted(() -> assertThat(g.requestsInProgress()).isZero());
    assertThat(stored("stop-reading")).isEqualTo(storedV1);
  }
}
