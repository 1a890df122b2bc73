package io.github.s3eg.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import java.io.InputStream;
import java.io.OutputStream;
import java.io.RandomAccessFile;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.core.ResponseBytes;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.http.SdkHttpMethod;
import software.amazon.awssdk.http.SdkHttpRequest;
import software.amazon.awssdk.http.auth.aws.signer.AwsV4HttpSigner;
import software.amazon.awssdk.identity.spi.AwsCredentialsIdentity;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.GetObjectResponse;
import software.amazon.awssdk.services.s3.model.HeadObjectResponse;
import software.amazon.awssdk.services.s3.model.NoSuchKeyException;
import software.amazon.awssdk.services.s3.model.ObjectIdentifier;

/**
 * The object cache through a real gateway ({@code CACHE_ENABLED=true}) in front of S3Proxy, with
 * the backend's side counted by the probe: repeated reads cost no backend request, every write
 * through the gateway is seen by the next read, large and ranged reads are not stored, entries
 * expire on the gateway's clock, tampered objects and broken transfers never enter the cache, and
 * ranged and conditional requests answer exactly as a gateway without the cache on the same
 * backend.
 *
 * <p>A fill is stored after the response ended, which a client can notice before the gateway's
 * worker gets there; tests wait for the gateway to count the request as completed (its metrics)
 * before they expect the next read to hit.
 */
class CachedReadsTest {

  private static final AuthenticationTest.MovableClock CLOCK =
      new AuthenticationTest.MovableClock();
  private static final HttpClient HTTP =
      HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
  private static final String BUCKET = "cache";

  private static GatewayFixture cached;
  private static GatewayFixture uncached;
  private static S3Client s3;
  private static S3Client s3Uncached;

  @TempDir static Path dir;

  @BeforeAll
  static void start() throws Exception {
    cached =
        GatewayFixture.start(
            Map.of(
                "CACHE_ENABLED", "true",
                "CACHE_MAX_OBJECT_SIZE", "512KiB",
                "METRICS_PUBLIC", "true"),
            CLOCK);
    uncached = GatewayFixture.startOn(cached.backend(), Map.of("METRICS_PUBLIC", "true"));
    s3 = cached.defaultClient();
    s3Uncached = uncached.defaultClient();
    s3.createBucket(b -> b.bucket(BUCKET));
  }

  @AfterAll
  static void stop() throws Exception {
    s3.close();
    s3Uncached.close();
    uncached.close();
    cached.close();
  }

  private static byte[] data(int size, long seed) {
    byte[] data = new byte[size];
    new Random(seed).nextBytes(data);
    return data;
  }

  private static void put(String key, byte[] data) {
    s3.putObject(
        b ->
            b.bucket(BUCKET)
                .key(key)
                .contentType("application/x-test")
                .metadata(Map.of("colour", "blue")),
        RequestBody.fromBytes(data));
  }

  /** Backend requests for this object seen by the gateway's probe so far. */
  private static long backendRequests(GatewayFixture f, String key) {
    return f.probe().requests().stream()
        .filter(r -> r.target().split("\\?")[0].equals("/" + BUCKET + "/" + key))
        .count();
  }

  /** GetObject requests the gateway has answered and finished with (its metrics). */
  private static double completedGets(GatewayFixture f) throws Exception {
    String metrics =
        HTTP.send(
                HttpRequest.newBuilder(URI.create(f.endpoint() + "/metrics")).build(),
                HttpResponse.BodyHandlers.ofString())
            .body();
    return metrics
        .lines()
        .filter(l -> l.startsWith("s3_operations_total{") && l.contains("operation=\"GetObject\""))
        .mapToDouble(l -> Double.parseDouble(l.substring(l.lastIndexOf(' ') + 1)))
        .sum();
  }

  private static double metric(GatewayFixture f, String prefix) throws Exception {
    String metrics =
        HTTP.send(
                HttpRequest.newBuilder(URI.create(f.endpoint() + "/metrics")).build(),
                HttpResponse.BodyHandlers.ofString())
            .body();
    return metrics
        .lines()
        .filter(l -> l.startsWith(prefix))
        .mapToDouble(l -> Double.parseDouble(l.substring(l.lastIndexOf(' ') + 1)))
        .sum();
  }

  /** Runs a read and waits until the gateway is done with it (a fill is then stored or not). */
  private static <T> T settled(GatewayFixture f, java.util.concurrent.Callable<T> read)
      throws Exception {
    double before = completedGets(f);
    try {
      return read.call();
    } finally {
      await().atMost(Duration.ofSeconds(30)).until(() -> completedGets(f) > before);
    }
  }

  private static ResponseBytes<GetObjectResponse> get(String key) {
    return s3.getObjectAsBytes(b -> b.bucket(BUCKET).key(key));
  }

  /** A settled GET through the caching gateway. */
  private static ResponseBytes<GetObjectResponse> settledGet(String key) throws Exception {
    return settled(cached, () -> get(key));
  }

  /** A GET that must be served from the cache: no backend request. */
  private static byte[] assertCachedRead(String key) throws Exception {
    long before = backendRequests(cached, key);
    byte[] body = settledGet(key).asByteArray();
    assertThat(backendRequests(cached, key))
        .as("backend requests for a cached read")
        .isEqualTo(before);
    return body;
  }

  /** A GET that must reach the backend. */
  private static void assertBackendRead(String key, Runnable read) throws Exception {
    long before = backendRequests(cached, key);
    settled(
        cached,
        () -> {
          read.run();
          return null;
        });
    assertThat(backendRequests(cached, key)).as("backend requests").isGreaterThan(before);
  }

  // ---- hits

  @Test
  void aSecondGetIsServedFromMemoryWithTheSameAnswer() throws Exception {
    byte[] data = data(100_000, 1);
    put("hot", data);
    long before = backendRequests(cached, "hot");
    ResponseBytes<GetObjectResponse> first = settledGet("hot");
    assertThat(backendRequests(cached, "hot")).isEqualTo(before + 1);

    ResponseBytes<GetObjectResponse> second = settledGet("hot");
    assertThat(backendRequests(cached, "hot")).as("no backend request").isEqualTo(before + 1);
    assertThat(second.asByteArray()).isEqualTo(data);
    GetObjectResponse a = first.response();
    GetObjectResponse b = second.response();
    assertThat(b.eTag()).isEqualTo(a.eTag());
    assertThat(b.lastModified()).isEqualTo(a.lastModified());
    assertThat(b.contentType()).isEqualTo("application/x-test");
    assertThat(b.contentLength()).isEqualTo(data.length);
    assertThat(b.metadata()).isEqualTo(Map.of("colour", "blue"));

    // HEAD is answered from the cached copy too, exactly as without it.
    HeadObjectResponse head = s3.headObject(h -> h.bucket(BUCKET).key("hot"));
    assertThat(backendRequests(cached, "hot")).isEqualTo(before + 1);
    HeadObjectResponse reference = s3Uncached.headObject(h -> h.bucket(BUCKET).key("hot"));
    assertThat(head.eTag()).isEqualTo(reference.eTag());
    assertThat(head.contentLength()).isEqualTo(reference.contentLength());
    assertThat(head.lastModified()).isEqualTo(reference.lastModified());
    assertThat(head.contentType()).isEqualTo(reference.contentType());
    assertThat(head.metadata()).isEqualTo(reference.metadata());

    assertThat(metric(cached, "cache_gets_total{cache=\"objects\",result=\"hit\"")).isPositive();
    assertThat(metric(cached, "cache_fills_total{cache=\"objects\",outcome=\"stored\""))
        .isPositive();
  }

  @Test
  void authenticationRunsBeforeTheCache() throws Exception {
    put("guarded", data(1000, 2));
    settledGet("guarded");
    assertCachedRead("guarded");
    URI uri = URI.create(cached.endpoint() + "/" + BUCKET + "/guarded");
    HttpResponse<String> anonymous =
        HTTP.send(HttpRequest.newBuilder(uri).build(), HttpResponse.BodyHandlers.ofString());
    assertThat(anonymous.statusCode()).isEqualTo(403);
    assertThat(anonymous.body()).contains("<Code>AccessDenied</Code>");
    HttpResponse<byte[]> wrongSecret =
        signed(cached, "GET", "/" + BUCKET + "/guarded", Map.of(), "wrong-secret-0123456789");
    assertThat(wrongSecret.statusCode()).isEqualTo(403);
    assertThat(new String(wrongSecret.body(), StandardCharsets.UTF_8))
        .contains("<Code>SignatureDoesNotMatch</Code>");
  }

  // ---- what is not stored

  @Test
  void objectsOverTheItemCapAreNotCached() throws Exception {
    byte[] data = data(600 * 1024, 3);
    put("big", data);
    assertBackendRead("big", () -> assertThat(get("big").asByteArray()).isEqualTo(data));
    assertBackendRead("big", () -> assertThat(get("big").asByteArray()).isEqualTo(data));
  }

  @Test
  void aRangedReadIsNotStoredAsTheObject() throws Exception {
    byte[] data = data(200_000, 4);
    put("ranged", data);
    assertBackendRead(
        "ranged",
        () ->
            assertThat(
                    s3.getObjectAsBytes(b -> b.bucket(BUCKET).key("ranged").range("bytes=10-19"))
                        .asByteArray())
                .hasSize(10));
    assertBackendRead("ranged", () -> assertThat(get("ranged").asByteArray()).isEqualTo(data));
    assertThat(assertCachedRead("ranged")).isEqualTo(data);
  }

  @Test
  void aTamperedObjectNeverEntersTheCache() throws Exception {
    byte[] data = data(300_000, 5);
    put("tampered", data);
    Path file = cached.backendDirectory().resolve(BUCKET).resolve("tampered");
    // A flipped bit in the fourth segment: the answer has started when it is found.
    try (RandomAccessFile f = new RandomAccessFile(file.toFile(), "rw")) {
      long offset = 3L * (65536 + 16) + 1000;
      f.seek(offset);
      int b = f.read();
      f.seek(offset);
      f.write(b ^ 1);
    }
    for (int attempt = 0; attempt < 2; attempt++) {
      long before = backendRequests(cached, "tampered");
      settled(
          cached,
          () -> {
            assertThatThrownBy(() -> get("tampered")).isInstanceOf(Exception.class);
            return null;
          });
      assertThat(backendRequests(cached, "tampered"))
          .as("attempt %d", attempt)
          .isGreaterThan(before);
    }
  }

  /** A gateway with the cache that takes objects far larger than the socket buffers. */
  private static GatewayFixture largeObjectGateway() throws Exception {
    return GatewayFixture.startOn(
        cached.backend(),
        Map.of(
            "CACHE_ENABLED", "true",
            "CACHE_MAX_OBJECT_SIZE", "32MiB",
            "CACHE_MAX_SIZE", "64MiB",
            "METRICS_PUBLIC", "true"));
  }

  /** Far more than the socket buffers between gateway and client can take. */
  private static final int LARGE = 24 << 20;

  @Test
  void aClientThatGoesAwayLeavesNothingCached() throws Exception {
    try (GatewayFixture big = largeObjectGateway();
        S3Client client = big.defaultClient()) {
      byte[] data = data(LARGE, 6);
      client.putObject(b -> b.bucket(BUCKET).key("abandoned"), RequestBody.fromBytes(data));
      settled(
          big,
          () -> {
            try (SlowReader reader = SlowReader.open(big, "/" + BUCKET + "/abandoned")) {
              return null; // closed after the status line
            }
          });
      long before = backendRequests(big, "abandoned");
      byte[] read =
          settled(big, () -> client.getObjectAsBytes(b -> b.bucket(BUCKET).key("abandoned")))
              .asByteArray();
      assertThat(Arrays.equals(read, data)).as("the whole object, not a partial copy").isTrue();
      assertThat(backendRequests(big, "abandoned"))
          .as("not cached by the abandoned read")
          .isEqualTo(before + 1);
      settled(big, () -> client.getObjectAsBytes(b -> b.bucket(BUCKET).key("abandoned")));
      assertThat(backendRequests(big, "abandoned"))
          .as("cached by the complete read")
          .isEqualTo(before + 1);
    }
  }

  @Test
  void aReadThatBeganBeforeAWriteDoesNotCacheTheOldObject() throws Exception {
    try (GatewayFixture big = largeObjectGateway();
        S3Client client = big.defaultClient()) {
      byte[] v1 = data(LARGE, 10);
      byte[] v2 = "version 2".getBytes(StandardCharsets.UTF_8);
      client.putObject(b -> b.bucket(BUCKET).key("raced"), RequestBody.fromBytes(v1));
      byte[] old =
          settled(
              big,
              () -> {
                // The read has begun (its answer started) and waits for this client...
                try (SlowReader reader = SlowReader.open(big, "/" + BUCKET + "/raced")) {
                  // ... while a write replaces the object and returns ...
                  client.putObject(b -> b.bucket(BUCKET).key("raced"), RequestBody.fromBytes(v2));
                  // ... and only then does the read go on to its end.
                  return reader.rest();
                }
              });
      assertThat(Arrays.equals(old, v1)).as("the read that began first saw version 1").isTrue();
      byte[] next =
          settled(big, () -> client.getObjectAsBytes(b -> b.bucket(BUCKET).key("raced")))
              .asByteArray();
      assertThat(next.length == v1.length && Arrays.equals(next, v1))
          .as("version 1 cached by the read that raced the write")
          .isFalse();
      assertThat(next).isEqualTo(v2);
    }
  }

  // ---- writes through the gateway

  @Test
  void aPutReplacesTheCachedCopy() throws Exception {
    put("replaced", "version 1".getBytes(StandardCharsets.UTF_8));
    settledGet("replaced");
    assertCachedRead("replaced");
    put("replaced", "version 2".getBytes(StandardCharsets.UTF_8));
    assertThat(settledGet("replaced").asUtf8String()).isEqualTo("version 2");
    assertThat(new String(assertCachedRead("replaced"), StandardCharsets.UTF_8))
        .isEqualTo("version 2");
  }

  @Test
  void aDeleteRemovesTheCachedCopy() throws Exception {
    put("deleted", "soon gone".getBytes(StandardCharsets.UTF_8));
    settledGet("deleted");
    assertCachedRead("deleted");
    s3.deleteObject(b -> b.bucket(BUCKET).key("deleted"));
    assertThatThrownBy(() -> get("deleted")).isInstanceOf(NoSuchKeyException.class);
    assertThatThrownBy(() -> s3.headObject(h -> h.bucket(BUCKET).key("deleted")))
        .isInstanceOf(software.amazon.awssdk.services.s3.model.S3Exception.class);
  }

  @Test
  void aCopyOntoAnObjectReplacesItsCachedCopy() throws Exception {
    put("copy-target", "old target".getBytes(StandardCharsets.UTF_8));
    put("copy-source", "new content".getBytes(StandardCharsets.UTF_8));
    settledGet("copy-target");
    assertCachedRead("copy-target");
    s3.copyObject(
        c ->
            c.sourceBucket(BUCKET)
                .sourceKey("copy-source")
                .destinationBucket(BUCKET)
                .destinationKey("copy-target"));
    assertThat(settledGet("copy-target").asUtf8String()).isEqualTo("new content");
  }

  @Test
  void aMultiObjectDeleteRemovesEveryCachedCopy() throws Exception {
    List<String> keys = List.of("multi-1", "multi-2", "multi-3");
    for (String key : keys) {
      put(key, key.getBytes(StandardCharsets.UTF_8));
      settledGet(key);
      assertCachedRead(key);
    }
    s3.deleteObjects(
        d ->
            d.bucket(BUCKET)
                .delete(
                    x ->
                        x.objects(
                            keys.stream()
                                .map(k -> ObjectIdentifier.builder().key(k).build())
                                .toList())));
    for (String key : keys) {
      assertThatThrownBy(() -> get(key)).isInstanceOf(NoSuchKeyException.class);
    }
  }

  @Test
  void aFailedWriteStillDropsTheCachedCopy() throws Exception {
    put("outage", "before".getBytes(StandardCharsets.UTF_8));
    settledGet("outage");
    assertCachedRead("outage");
    cached.probe().startOutage();
    try {
      assertThatThrownBy(() -> s3.deleteObject(b -> b.bucket(BUCKET).key("outage")))
          .isInstanceOf(Exception.class);
    } finally {
      cached.probe().endOutage();
    }
    // The delete may or may not have reached the backend: the next read asks it.
    assertBackendRead("outage", () -> get("outage"));
  }

  // ---- expiry

  @Test
  void entriesExpireOnTheGatewaysClock() throws Exception {
    put("ttl", "short-lived".getBytes(StandardCharsets.UTF_8));
    settledGet("ttl");
    assertCachedRead("ttl");
    CLOCK.advance(Duration.ofSeconds(59));
    assertCachedRead("ttl");
    CLOCK.advance(Duration.ofSeconds(2)); // past the default CACHE_DEFAULT_TTL of 60 s
    assertBackendRead("ttl", () -> get("ttl"));
    assertCachedRead("ttl");
  }

  // ---- ranges and conditions

  @Test
  void rangesAndConditionsAnswerAsWithoutTheCache() throws Exception {
    byte[] data = data(200_000, 7);
    put("conditional", data);
    String path = "/" + BUCKET + "/conditional";
    settledGet("conditional");
    assertCachedRead("conditional");
    HeadObjectResponse head = s3Uncached.headObject(h -> h.bucket(BUCKET).key("conditional"));
    String etag = head.eTag();
    Instant modified = head.lastModified();
    String at = httpDate(modified);
    String dayBefore = httpDate(modified.minus(Duration.ofDays(1)));
    String dayAfter = httpDate(modified.plus(Duration.ofDays(1)));

    List<Map<String, String>> cases = new ArrayList<>();
    cases.add(Map.of());
    for (String range :
        List.of(
            "bytes=0-99",
            "bytes=0-0",
            "bytes=100-",
            "bytes=-500",
            "bytes=-300000",
            "bytes=65530-65560",
            "bytes=199990-300000",
            "bytes=199999-",
            "bytes=200000-",
            "bytes=250000-",
            "bytes=300000-",
            "bytes=5-1",
            "bytes=abc",
            "bytes=0-1,5-6",
            "items=0-9")) {
      cases.add(Map.of("Range", range));
    }
    cases.add(Map.of("If-Match", etag));
    cases.add(Map.of("If-Match", "\"0123\""));
    cases.add(Map.of("If-Match", "*"));
    cases.add(Map.of("If-None-Match", etag));
    cases.add(Map.of("If-None-Match", "\"0123\""));
    cases.add(Map.of("If-Modified-Since", at));
    cases.add(Map.of("If-Modified-Since", dayBefore));
    cases.add(Map.of("If-Modified-Since", "not a date"));
    cases.add(Map.of("If-Unmodified-Since", dayBefore));
    cases.add(Map.of("If-Unmodified-Since", dayAfter));
    cases.add(Map.of("If-Match", etag, "If-Unmodified-Since", dayBefore));
    cases.add(Map.of("If-None-Match", "\"0123\"", "If-Modified-Since", dayAfter));
    cases.add(Map.of("If-Match", "\"0123\"", "Range", "bytes=0-9"));
    cases.add(Map.of("If-None-Match", etag, "Range", "bytes=0-9"));
    cases.add(Map.of("If-Match", "\"0123\"", "Range", "bytes=200000-"));
    cases.add(Map.of("If-Match", etag, "Range", "bytes=-10"));

    long before = backendRequests(cached, "conditional");
    for (String method : List.of("GET", "HEAD")) {
      for (String query : List.of("", "?response-content-type=text%2Fplain")) {
        for (Map<String, String> headers : cases) {
          String what = method + " " + query + " " + headers;
          HttpResponse<byte[]> expected = signed(uncached, method, path + query, headers, null);
          HttpResponse<byte[]> actual = signed(cached, method, path + query, headers, null);
          assertThat(actual.statusCode()).as(what).isEqualTo(expected.statusCode());
          if (method.equals("GET") && "bytes=300000-".equals(headers.get("Range"))) {
            // Past the last ciphertext segment the backend itself refuses the planned read, and
            // the gateway without the cache relays its 416 without ActualObjectSize; the cached
            // answer has it, as for any other unsatisfiable range. Same status and code.
            assertThat(errorCode(actual.body())).as(what).isEqualTo("InvalidRange");
            assertThat(errorCode(expected.body())).as(what).isEqualTo("InvalidRange");
            continue;
          }
          assertThat(comparable(actual)).as(what).isEqualTo(comparable(expected));
          assertThat(normalized(actual.body())).as(what).isEqualTo(normalized(expected.body()));
        }
      }
    }
    assertThat(backendRequests(cached, "conditional")).as("all from the cache").isEqualTo(before);
  }

  @Test
  void withoutTheSettingEveryReadReachesTheBackend() throws Exception {
    put("uncached", "plain read".getBytes(StandardCharsets.UTF_8));
    for (int i = 0; i < 3; i++) {
      long before = backendRequests(uncached, "uncached");
      settled(uncached, () -> s3Uncached.getObjectAsBytes(b -> b.bucket(BUCKET).key("uncached")));
      assertThat(backendRequests(uncached, "uncached")).isEqualTo(before + 1);
    }
    assertThat(metric(uncached, "cache_")).isZero();
  }

  // ---- rewrap

  @Test
  void aRewrapDropsTheCachedCopy() throws Exception {
    Path v1 = dir.resolve("keyring-v1.json");
    Path v2 = dir.resolve("keyring-v2.json");
    String keys =
        "[{\"version\": 1, \"key\": \""
            + Base64.getEncoder().encodeToString(data(32, 8))
            + "\"}, {\"version\": 2, \"key\": \""
            + Base64.getEncoder().encodeToString(data(32, 9))
            + "\"}]";
    Files.writeString(v1, "{\"id\": \"local\", \"active\": 1, \"keys\": " + keys + "}");
    Files.writeString(v2, "{\"id\": \"local\", \"active\": 2, \"keys\": " + keys + "}");
    try (GatewayFixture old =
            GatewayFixture.start(
                Map.of(
                    "KEY_MANAGER_ENABLED", "true",
                    "KEY_MANAGER_PROVIDER", "keyring",
                    "KEYRING_FILE", v1.toString()));
        GatewayFixture current =
            GatewayFixture.startOn(
                old.backend(),
                Map.of(
                    "KEY_MANAGER_ENABLED", "true",
                    "KEY_MANAGER_PROVIDER", "keyring",
                    "KEYRING_FILE", v2.toString(),
                    "CACHE_ENABLED", "true",
                    "METRICS_PUBLIC", "true"));
        S3Client oldClient = old.defaultClient();
        S3Client client = current.defaultClient()) {
      oldClient.createBucket(b -> b.bucket(BUCKET));
      oldClient.putObject(
          b -> b.bucket(BUCKET).key("rotated"), RequestBody.fromString("under version 1"));
      settled(current, () -> client.getObjectAsBytes(b -> b.bucket(BUCKET).key("rotated")));
      long before = backendRequests(current, "rotated");
      settled(current, () -> client.getObjectAsBytes(b -> b.bucket(BUCKET).key("rotated")));
      assertThat(backendRequests(current, "rotated")).as("cached").isEqualTo(before);

      HttpResponse<byte[]> rewrap =
          signed(current, "POST", "/" + BUCKET + "?s3eg-rewrap=1", Map.of(), null);
      assertThat(new String(rewrap.body(), StandardCharsets.UTF_8))
          .contains("<Rewrapped>1</Rewrapped>");

      long afterRewrap = backendRequests(current, "rotated");
      String body =
          settled(current, () -> client.getObjectAsBytes(b -> b.bucket(BUCKET).key("rotated")))
              .asUtf8String();
      assertThat(body).isEqualTo("under version 1");
      assertThat(backendRequests(current, "rotated")).as("read again").isEqualTo(afterRewrap + 1);
    }
  }

  // ---- helpers

  private static String httpDate(Instant instant) {
    return DateTimeFormatter.RFC_1123_DATE_TIME.format(instant.atOffset(ZoneOffset.UTC));
  }

  /** Response headers that must be equal: all but the per-response ones. */
  private static Map<String, String> comparable(HttpResponse<byte[]> r) {
    Map<String, String> headers = new TreeMap<>();
    r.headers()
        .map()
        .forEach(
            (name, values) -> {
              String n = name.toLowerCase(java.util.Locale.ROOT);
              if (!n.equals("date") && !n.equals("x-amz-request-id") && !n.equals("x-amz-id-2")) {
                headers.put(n, String.join(",", values));
              }
            });
    return headers;
  }

  private static String errorCode(byte[] body) {
    java.util.regex.Matcher m =
        java.util.regex.Pattern.compile("<Code>([^<]*)</Code>")
            .matcher(new String(body, StandardCharsets.UTF_8));
    return m.find() ? m.group(1) : null;
  }

  /** A body without its request ids (error documents carry them). */
  private static String normalized(byte[] body) {
    return new String(body, StandardCharsets.ISO_8859_1)
        .replaceAll("<RequestId>[^<]*</RequestId>", "")
        .replaceAll("<HostId>[^<]*</HostId>", "");
  }

  private static SdkHttpRequest sign(
      GatewayFixture f,
      String method,
      String pathAndQuery,
      Map<String, String> headers,
      String secret) {
    SdkHttpRequest.Builder unsigned =
        SdkHttpRequest.builder()
            .method(SdkHttpMethod.fromValue(method))
            .uri(URI.create(f.endpoint() + pathAndQuery))
            .putHeader("x-amz-content-sha256", "UNSIGNED-PAYLOAD");
    headers.forEach(unsigned::putHeader);
    return AwsV4HttpSigner.create()
        .sign(
            r ->
                r.identity(
                        AwsCredentialsIdentity.create(
                            GatewayFixture.CLIENT_KEY,
                            secret == null ? GatewayFixture.CLIENT_SECRET : secret))
                    .request(unsigned.build())
                    .putProperty(AwsV4HttpSigner.SERVICE_SIGNING_NAME, "s3")
                    .putProperty(AwsV4HttpSigner.REGION_NAME, "us-east-1")
                    .putProperty(AwsV4HttpSigner.PAYLOAD_SIGNING_ENABLED, false))
        .request();
  }

  private static HttpResponse<byte[]> signed(
      GatewayFixture f,
      String method,
      String pathAndQuery,
      Map<String, String> headers,
      String secret)
      throws Exception {
    SdkHttpRequest signed = sign(f, method, pathAndQuery, headers, secret);
    HttpRequest.Builder request =
        HttpRequest.newBuilder(URI.create(f.endpoint() + pathAndQuery))
            .method(method, HttpRequest.BodyPublishers.noBody());
    for (Map.Entry<String, List<String>> h : signed.headers().entrySet()) {
      if (!h.getKey().equalsIgnoreCase("Host")) {
        h.getValue().forEach(v -> request.header(h.getKey(), v));
      }
    }
    return HTTP.send(request.build(), HttpResponse.BodyHandlers.ofByteArray());
  }

  /** A signed GET as raw HTTP/1.1 text, for a client that reads only the status line. */
  private static String rawSignedGet(GatewayFixture f, String path) {
    SdkHttpRequest signed = sign(f, "GET", path, Map.of(), null);
    StringBuilder text = new StringBuilder("GET " + path + " HTTP/1.1\r\n");
    Map<String, List<String>> headers = new LinkedHashMap<>(signed.headers());
    headers.forEach(
        (name, values) ->
            values.forEach(v -> text.append(name).append(": ").append(v).append("\r\n")));
    return text.append("\r\n").toString();
  }

  /** A signed GET over a raw socket that stops after the status line until asked for the rest. */
  private static final class SlowReader implements AutoCloseable {
    private final Socket socket;
    private final InputStream in;

    private SlowReader(Socket socket, InputStream in) {
      this.socket = socket;
      this.in = in;
    }

    static SlowReader open(GatewayFixture f, String path) throws Exception {
      Socket socket = new Socket("127.0.0.1", f.endpoint().getPort());
      OutputStream out = socket.getOutputStream();
      out.write(rawSignedGet(f, path).getBytes(StandardCharsets.UTF_8));
      out.flush();
      InputStream in = socket.getInputStream();
      assertThat(new String(in.readNBytes(12), StandardCharsets.US_ASCII))
          .isEqualTo("HTTP/1.1 200");
      return new SlowReader(socket, in);
    }

    /** The body, after the rest of the head. */
    byte[] rest() throws Exception {
      StringBuilder head = new StringBuilder();
      while (!head.toString().endsWith("\r\n\r\n")) {
        head.append((char) in.read());
      }
      java.util.regex.Matcher m =
          java.util.regex.Pattern.compile("(?i)content-length: *(\\d+)").matcher(head);
      assertThat(m.find()).as("Content-Length in %s", head).isTrue();
      return in.readNBytes(Integer.parseInt(m.group(1)));
    }

    @Override
    public void close() throws Exception {
      socket.close();
    }
  }
}
