package io.github.s3eg.ops;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.github.s3eg.backend.ReservedKeys;
import io.github.s3eg.it.GatewayFixture;
import io.github.s3eg.it.TestBackend;
import io.github.s3eg.it.TestObjects;
import io.github.s3eg.recovery.Throttle;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.URI;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import java.util.stream.IntStream;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.MetadataDirective;

/**
 * {@code scrub} over a bucket of 1,000 objects written through the gateway (single, compressed,
 * multipart), of which 5 were damaged on the backend in five different ways and 2 were stored there
 * in plaintext: the report names exactly those 7, each with its finding. The admin endpoint runs
 * the same check in the background and publishes its progress in {@code /metrics}.
 */
class ScrubTest {

  static final String BUCKET = "scrubbed";
  static final int MIB = 1 << 20;

  static TestBackend backend;
  static GatewayFixture gateway;

  /** The damaged objects and what the scrub must call them. */
  static final Map<String, String> EXPECTED = new HashMap<>();

  @BeforeAll
  static void bucketOfAThousandObjects() throws Exception {
    backend = TestBackend.start();
    gateway =
        GatewayFixture.startOn(
            backend,
            Map.of("COMPRESSION_ENABLED", "true", "COMPRESSION_CONTENT_TYPES", "text/plain"));
    try (S3Client s3 = gateway.defaultClient()) {
      s3.createBucket(b -> b.bucket(BUCKET));
      multipart(s3, "mpu/intact", 7 * MIB);
      multipart(s3, "mpu/index-deleted", 6 * MIB);
      IntStream.range(0, 996)
          .parallel()
          .forEach(
              i -> {
                byte[] body = new byte[100 + (i * 37) % 5000];
                new Random(i).nextBytes(body);
                if (i % 50 == 0) {
                  byte[] text = ("compressible line " + i + "\n").repeat(400).getBytes();
                  s3.putObject(
                      b -> b.bucket(BUCKET).key(key(i)).contentType("text/plain"),
                      RequestBody.fromBytes(text));
                } else {
                  s3.putObject(b -> b.bucket(BUCKET).key(key(i)), RequestBody.fromBytes(body));
                }
              });
    }
    S3Client direct = backend.directClient();
    // 1. A body byte flipped.
    rewrite(direct, key(10), body -> body[body.length / 2] ^= 1, null);
    EXPECTED.put(key(10), "tampered");
    // 2. The body cut short (its authenticated size says how long it was).
    rewriteCut(direct, key(20), 20);
    EXPECTED.put(key(20), "truncated");
    // 3. A multipart object's index deleted.
    String indexPrefix = ReservedKeys.index("mpu/index-deleted");
    direct
        .listObjectsV2(b -> b.bucket(BUCKET).prefix(indexPrefix))
        .contents()
        .forEach(o -> direct.deleteObject(b -> b.bucket(BUCKET).key(o.key())));
    EXPECTED.put("mpu/index-deleted", "missing-index");
    // 4. Another object's body and metadata put under this name (a move on the backend).
    direct.copyObject(
        b ->
            b.sourceBucket(BUCKET)
                .sourceKey(key(31))
                .destinationBucket(BUCKET)
                .destinationKey(key(30))
                .metadataDirective(MetadataDirective.COPY));
    EXPECTED.put(key(30), "wrong-binding");
    // 5. The key reference changed to a key this gateway does not have.
    rewrite(direct, key(40), body -> {}, Map.of("s3eg-kek", "pw-0123456789ab:1"));
    EXPECTED.put(key(40), "key-not-found");
    // Two objects stored in plaintext, straight on the backend.
    for (String k : List.of("plain/one", "plain/two")) {
      direct.putObject(b -> b.bucket(BUCKET).key(k), RequestBody.fromString("plaintext " + k));
      EXPECTED.put(k, "plaintext");
    }
  }

  @AfterAll
  static void stop() throws Exception {
    gateway.close();
    backend.close();
  }

  static String key(int i) {
    return String.format("objects/%04d", i);
  }

  static void multipart(S3Client s3, String key, int size) {
    TestObjects.multipart(s3, BUCKET, key, TestObjects.random(size, size), 5 * MIB);
  }

  interface BodyChange {
    void apply(byte[] body);
  }

  static void rewrite(S3Client direct, String key, BodyChange change, Map<String, String> meta) {
    var stored = direct.getObjectAsBytes(b -> b.bucket(BUCKET).key(key));
    byte[] body = stored.asByteArray();
    change.apply(body);
    Map<String, String> metadata = new HashMap<>(stored.response().metadata());
    if (meta != null) {
      metadata.putAll(meta);
    }
    direct.putObject(
        b -> b.bucket(BUCKET).key(key).metadata(metadata), RequestBody.fromBytes(body));
  }

  static void rewriteCut(S3Client direct, String key, int cut) {
    var stored = direct.getObjectAsBytes(b -> b.bucket(BUCKET).key(key));
    byte[] body = stored.asByteArray();
    direct.putObject(
        b -> b.bucket(BUCKET).key(key).metadata(stored.response().metadata()),
        RequestBody.fromBytes(java.util.Arrays.copyOf(body, body.length - cut)));
  }

  static Map<String, String> findings(JsonNode report) {
    Map<String, String> found = new HashMap<>();
    report
        .get("findings")
        .forEach(f -> found.put(f.get("key").asText(), f.get("finding").asText()));
    return found;
  }

  @Test
  void theCommandNamesExactlyTheSevenObjects() throws Exception {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    int exit =
        ScrubCommand.run(
            new String[] {
              "scrub", "s3://" + BUCKET, "--objects-per-second", "0", "--mb-per-second", "0"
            },
            GatewayFixture.config(backend, Map.of()),
            new PrintStream(out, true, StandardCharsets.UTF_8),
            new PrintStream(err, true, StandardCharsets.UTF_8));
    JsonNode report = new ObjectMapper().readTree(out.toByteArray());
    assertThat(exit).as(err.toString(StandardCharsets.UTF_8)).isEqualTo(1);
    assertThat(report.get("scanned").asLong()).isEqualTo(1000);
    assertThat(report.get("verified").asLong()).isEqualTo(993);
    assertThat(report.get("complete").asBoolean()).isTrue();
    assertThat(findings(report)).isEqualTo(EXPECTED);
    assertThat(report.get("counts").get("tampered").asLong()).isEqualTo(1);
    assertThat(report.get("counts").get("plaintext").asLong()).isEqualTo(2);
  }

  @Test
  void theAdminEndpointScrubsInTheBackgroundWithProgressInMetrics() throws Exception {
    URI scrub = URI.create(gateway.endpoint() + "/" + BUCKET + "?s3eg-scrub");
    HttpResponse<String> started =
        SignedHttp.signed("POST", scrub, GatewayFixture.CLIENT_KEY, GatewayFixture.CLIENT_SECRET);
    assertThat(started.statusCode()).as(started.body()).isEqualTo(202);
    JsonNode[] done = new JsonNode[1];
    Awaitility.await()
        .atMost(5, TimeUnit.MINUTES)
        .pollInterval(Duration.ofMillis(500))
        .until(
            () -> {
              HttpResponse<String> r = SignedHttp.signedGet(scrub);
              assertThat(r.statusCode()).isEqualTo(200);
              done[0] = new ObjectMapper().readTree(r.body());
              return done[0].get("complete").asBoolean();
            });
    assertThat(findings(done[0])).isEqualTo(EXPECTED);
    String metrics = SignedHttp.signedGet(URI.create(gateway.endpoint() + "/metrics")).body();
    assertThat(metrics)
        .contains("scrub_running 0.0")
        .contains("scrub_objects_checked 1000.0")
        .contains("scrub_findings{finding=\"tampered\"} 1.0")
        .contains("scrub_findings{finding=\"missing-index\"} 1.0")
        .contains("scrub_findings{finding=\"plaintext\"} 2.0");
  }

  record Run(int exit, String stdout, String stderr) {}

  static Run scrub(Map<String, String> settings, String... args) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    String[] full = new String[args.length + 1];
    full[0] = "scrub";
    System.arraycopy(args, 0, full, 1, args.length);
    int exit =
        ScrubCommand.run(
            full,
            GatewayFixture.config(backend, settings),
            new PrintStream(out, true, StandardCharsets.UTF_8),
            new PrintStream(err, true, StandardCharsets.UTF_8));
    return new Run(
        exit, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
  }

  /**
   * The pace comes from SCRUB_* unless the command line says otherwise; the report can go to a
   * file; the exit status tells failures (1) from notices only (3) from a clean prefix (0).
   */
  @Test
  void theCommandsPaceReportFileAndExitStatus(
      @org.junit.jupiter.api.io.TempDir java.nio.file.Path dir) throws Exception {
    java.nio.file.Path file = dir.resolve("report.json");
    Run failures =
        scrub(
            Map.of("SCRUB_OBJECTS_PER_SECOND", "7", "SCRUB_MB_PER_SECOND", "3"),
            "s3://" + BUCKET + "/mpu/",
            "--report",
            file.toString());
    assertThat(failures.stderr()).contains("at most 7 objects/s and 3 MB/s");
    assertThat(failures.exit()).isEqualTo(1);
    assertThat(failures.stdout()).isEmpty();
    JsonNode report = new ObjectMapper().readTree(file.toFile());
    assertThat(report.get("scanned").asLong()).isEqualTo(2);
    assertThat(findings(report)).isEqualTo(Map.of("mpu/index-deleted", "missing-index"));

    Run flags =
        scrub(
            Map.of("SCRUB_OBJECTS_PER_SECOND", "7"),
            "s3://" + BUCKET + "/plain/",
            "--objects-per-second",
            "0",
            "--mb-per-second",
            "50");
    assertThat(flags.stderr()).contains("at most unlimited objects/s and 50 MB/s");
    assertThat(flags.exit()).as("plaintext objects are notices").isEqualTo(3);
    assertThat(findings(new ObjectMapper().readTree(flags.stdout())))
        .isEqualTo(Map.of("plain/one", "plaintext", "plain/two", "plaintext"));

    Run clean = scrub(Map.of(), "s3://" + BUCKET + "/objects/0001");
    assertThat(clean.exit()).as(clean.stderr()).isZero();
    assertThat(new ObjectMapper().readTree(clean.stdout()).get("verified").asLong()).isEqualTo(1);

    assertThat(scrub(Map.of(), "s3://" + BUCKET, "--objects-per-second", "-1").exit()).isEqualTo(2);
    assertThat(scrub(Map.of(), "not-a-url").exit()).isEqualTo(2);
  }

  @Test
  void theThrottleKeepsTheRate() throws Exception {
    Throttle throttle = new Throttle(20, 0);
    long start = System.nanoTime();
    for (int i = 0; i < 41; i++) {
      throttle.object();
    }
    // 41 objects at 20/s: the 41st may start 2 s after the first, not earlier.
    assertThat(System.nanoTime() - start)
        .isGreaterThanOrEqualTo(TimeUnit.MILLISECONDS.toNanos(1900));
    Throttle bytes = new Throttle(0, 1_000_000);
    start = System.nanoTime();
    bytes.bytes(500_000);
    bytes.bytes(1_000_000);
    assertThat(System.nanoTime() - start)
        .isGreaterThanOrEqualTo(TimeUnit.MILLISECONDS.toNanos(1400));
  }
}
