package io.github.s3eg.it.faults;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.github.s3eg.it.GatewayFixture;
import io.github.s3eg.it.TestBackend;
import io.github.s3eg.keys.kmip.KmipClient;
import io.github.s3eg.keys.kmip.PyKmipServer;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.awscore.retry.AwsRetryStrategy;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.NoSuchKeyException;
import software.amazon.awssdk.services.s3.model.S3Exception;

/**
 * The key service (a real PyKMIP server, behind a {@link FaultProxy}; TLS passes through it) goes
 * down, hangs or crawls. Writes fail fast with 503 and store nothing (no object without a wrapped
 * key); reads of objects whose data key is cached keep working until the cache TTL, others fail
 * with 503; {@code /ready} reports the key manager; everything recovers by itself.
 */
class KmsFaultsTest {

  private static final String BUCKET = "kms-faults";
  private static final Duration KMS_TIMEOUT = Duration.ofSeconds(1);
  private static final Duration CACHE_TTL = Duration.ofSeconds(6);

  @TempDir static Path dir;

  private static TestBackend backend;
  private static PyKmipServer kmip;
  private static FaultProxy faults;
  private static GatewayFixture gateway;
  private static S3Client s3;
  private static S3Client direct;
  private static HttpClient http;

  @BeforeAll
  static void start() throws Exception {
    backend = TestBackend.start();
    kmip = PyKmipServer.start(dir.resolve("kmip"));
    String kek;
    try (KmipClient admin = new KmipClient(kmip.clientConfig())) {
      kek = admin.createAes256Key("s3eg-kek-faults");
      admin.activate(kek);
    }
    faults = FaultProxy.start("127.0.0.1", kmip.port());
    Map<String, String> s = new HashMap<>();
    s.put("KEY_MANAGER_ENABLED", "true");
    s.put("KEY_MANAGER_PROVIDER", "kmip");
    s.put("KEY_MANAGER_CACHE_TTL", CACHE_TTL.toSeconds() + "s");
    s.put("COSMIAN_KMS_ENDPOINT", "kmip://127.0.0.1:" + faults.port());
    s.put("COSMIAN_KMS_TIMEOUT", KMS_TIMEOUT.toMillis() + "ms");
    s.put("COSMIAN_KMS_KEYS", kek + ":1");
    s.put("COSMIAN_KMS_CA_CERT", kmip.pki().caCert().toString());
    s.put("COSMIAN_KMS_CLIENT_CERT", kmip.pki().clientCert().toString());
    s.put("COSMIAN_KMS_CLIENT_KEY", kmip.pki().clientKey().toString());
    gateway = GatewayFixture.startOn(backend, s);
    s3 =
        gateway
            .clientBuilder()
            .overrideConfiguration(
                o ->
                    o.apiCallTimeout(Duration.ofSeconds(60))
                        .retryStrategy(AwsRetryStrategy.doNotRetry()))
            .build();
    direct = backend.directClient();
    http = HttpClient.newHttpClient();
    s3.createBucket(b -> b.bucket(BUCKET));
  }

  @AfterAll
  static void stop() throws Exception {
    http.close();
    s3.close();
    direct.close();
    gateway.close();
    faults.close();
    kmip.close();
    backend.close();
  }

  @AfterEach
  void heal() {
    faults.passThrough();
    await().atMost(Duration.ofSeconds(20)).until(() -> ready() == 200);
  }

  private static int ready() throws Exception {
    return http.send(
            HttpRequest.newBuilder(URI.create(gateway.endpoint() + "/ready"))
                .timeout(Duration.ofSeconds(20))
                .build(),
            HttpResponse.BodyHandlers.ofString())
        .statusCode();
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

  private static boolean storedInBackend(String key) {
    try {
      direct.headObject(b -> b.bucket(BUCKET).key(key));
      return true;
    } catch (NoSuchKeyException e) {
      return false;
    }
  }

  private static void assertUnavailable(Runnable call) {
    assertThatThrownBy(call::run)
        .isInstanceOfSatisfying(
            S3Exception.class,
            e -> {
              assertThat(e.statusCode()).isEqualTo(503);
              assertThat(e.awsErrorDetails().errorCode()).isEqualTo("ServiceUnavailable");
            });
  }

  @Test
  void keyServiceDownWritesNothingAndCachedKeysKeepServingWithinTheirTtl() throws Exception {
    byte[] cached = random(200_000, 1);
    byte[] notCached = random(200_000, 2);
    put("cached", cached);
    put("not-cached", notCached);
    assertThat(get("cached")).as("this read caches the data key").isEqualTo(cached);

    faults.refuse();
    long cachedAt = System.nanoTime();
    assertUnavailable(() -> put("during-outage", random(1000, 3)));
    assertUnavailable(() -> put("during-outage-large", random(2_000_000, 4)));
    assertThat(storedInBackend("during-outage")).as("no object without a wrapped key").isFalse();
    assertThat(storedInBackend("during-outage-large")).isFalse();
    assertUnavailable(() -> put("cached", random(1000, 5)));
    assertThat(get("cached"))
        .as("previous version intact, served from the cache")
        .isEqualTo(cached);
    assertUnavailable(() -> get("not-cached"));
    assertThat(ready()).isEqualTo(503);
    assertThat(Duration.ofNanos(System.nanoTime() - cachedAt))
        .as("the checks above ran within the cache TTL (else the test proves nothing)")
        .isLessThan(CACHE_TTL);

    // Past the TTL the cached key is gone too: nothing outlives its TTL while the KMS is away.
    await()
        .atMost(CACHE_TTL.multipliedBy(3))
        .pollInterval(Duration.ofMillis(500))
        .untilAsserted(() -> assertUnavailable(() -> get("cached")));

    faults.passThrough();
    await().atMost(Duration.ofSeconds(20)).until(() -> ready() == 200);
    assertThat(get("not-cached")).isEqualTo(notCached);
    assertThat(get("cached")).isEqualTo(cached);
    put("after-outage", random(1000, 6));
    assertThat(storedInBackend("after-outage")).isTrue();
  }

  @Test
  void aHangingKeyServiceFailsWithinItsTimeout() throws Exception {
    faults.hang();
    long start = System.nanoTime();
    assertUnavailable(() -> put("hung", random(1000, 7)));
    Duration took = Duration.ofNanos(System.nanoTime() - start);
    // Bounded by COSMIAN_KMS_TIMEOUT (a connect and a request, each at most 1 s), not by the
    // client's 60 s: the upper bound is generous for a loaded machine, yet far below a hang.
    assertThat(took).isLessThan(Duration.ofSeconds(15));
    assertThat(storedInBackend("hung")).isFalse();
    assertThat(ready()).isEqualTo(503);
  }

  @Test
  void aSlowKeyServiceIsSlowButCorrect() {
    faults.latency(Duration.ofMillis(100)).throttle(20_000);
    byte[] data = random(100_000, 8);
    put("slow-kms", data);
    assertThat(get("slow-kms")).isEqualTo(data);
  }

  @Test
  void aKeyServiceThatResetsConnectionsIsRecoveredFrom() {
    byte[] data = random(10_000, 9);
    put("reset-kms", data);
    // Every pooled KMIP connection is cut; the next calls must open new ones by themselves.
    faults.resetAll();
    put("reset-kms-2", data);
    assertThat(get("reset-kms-2")).isEqualTo(data);
  }
}
