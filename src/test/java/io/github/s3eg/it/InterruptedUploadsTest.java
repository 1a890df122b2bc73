package io.github.s3eg.it;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.s3eg.Gateway;
import io.github.s3eg.config.GatewayConfig;
import io.github.s3eg.s3.testing.CapturedRequest;
import io.github.s3eg.s3.testing.CapturingHttpClient;
import io.github.s3eg.s3.testing.SdkClients;
import java.io.OutputStream;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Random;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.core.checksums.RequestChecksumCalculation;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.S3Object;

/**
 * Refused and interrupted uploads on the embedded store (issue 17 finding 4): a bad chunk
 * signature, a payload-hash mismatch, a client that disconnects and one that stalls past the
 * request timeout, each in the middle of a 1 MiB body (so ciphertext has reached the store), as a
 * PUT and as an UploadPart. Afterwards a listing of the bucket answers 200 with exactly the objects
 * that were stored, the store's directory holds no leftover, and the key can be written and read.
 * (S3Proxy's file store kept a temporary file without attributes, after which every listing
 * failed.)
 */
class InterruptedUploadsTest {

  private static final String KEY = "client-access";
  private static final String SECRET = "client-secret-0123456789";
  private static final int SIZE = 1024 * 1024;

  @TempDir static Path dataDir;
  private static Gateway gateway;
  private static S3Client s3;
  private static URI endpoint;

  @BeforeAll
  static void start() throws Exception {
    gateway =
        Gateway.start(
            GatewayConfig.from(
                Map.of(
                    "LISTEN_ADDR",
                    "127.0.0.1:0",
                    "DATA_DIR",
                    dataDir.toString(),
                    "AUTH_ACCESS_KEY",
                    KEY,
                    "AUTH_SECRET_KEY",
                    SECRET,
                    "ENCRYPTION_PASSWORD",
                    GatewayFixture.PASSWORD,
                    "SERVER_REQUEST_TIMEOUT",
                    "1500ms",
                    "METRICS_PUBLIC",
                    "true"),
                new Properties()));
    endpoint = URI.create("http://127.0.0.1:" + gateway.port());
    s3 =
        S3Client.builder()
            .endpointOverride(endpoint)
            .region(Region.US_EAST_1)
            .credentialsProvider(
                StaticCredentialsProvider.create(AwsBasicCredentials.create(KEY, SECRET)))
            .forcePathStyle(true)
            .requestChecksumCalculation(RequestChecksumCalculation.WHEN_REQUIRED)
            .build();
    s3.createBucket(b -> b.bucket("bucket"));
    s3.putObject(b -> b.bucket("bucket").key("kept"), RequestBody.fromString("kept"));
  }

  @AfterAll
  static void stop() throws Exception {
    s3.close();
    gateway.close();
  }

  private static byte[] data() {
    byte[] d = new byte[SIZE];
    new Random(17).nextBytes(d);
    return d;
  }

  /** A PUT (or UploadPart) of {@code key} as the SDK signs it, captured instead of sent. */
  private static CapturedRequest signed(String key, boolean chunked, boolean part) {
    CapturingHttpClient capture = new CapturingHttpClient();
    String uploadId =
        part ? s3.createMultipartUpload(b -> b.bucket("bucket").key(key)).uploadId() : null;
    try (S3Client signer =
        SdkClients.s3(
            capture,
            endpoint.toString(),
            KEY,
            SECRET,
            b ->
                b.requestChecksumCalculation(RequestChecksumCalculation.WHEN_REQUIRED)
                    .serviceConfiguration(
                        software.amazon.awssdk.services.s3.S3Configuration.builder()
                            .pathStyleAccessEnabled(true)
                            .chunkedEncodingEnabled(chunked)
                            .build()))) {
      if (part) {
        signer.uploadPart(
            b -> b.bucket("bucket").key(key).uploadId(uploadId).partNumber(1),
            RequestBody.fromBytes(data()));
      } else {
        signer.putObject(b -> b.bucket("bucket").key(key), RequestBody.fromBytes(data()));
      }
    }
    return capture.last();
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "bad chunk signature",
        "payload hash mismatch",
        "client disconnect",
        "request timeout",
        "bad chunk signature/part",
        "payload hash mismatch/part",
        "client disconnect/part",
        "request timeout/part"
      })
  void aRefusedUploadLeavesTheBucketListable(String kind) throws Exception {
    boolean part = kind.endsWith("/part");
    String key = "refused-" + kind.replace(' ', '-').replace('/', '-');
    double uploadsBefore = finishedUploads();
    switch (kind.replace("/part", "")) {
      case "bad chunk signature" -> {
        CapturedRequest r = signed(key, true, part);
        assertThat(r.header("x-amz-content-sha256"))
            .isEqualTo("STREAMING-AWS4-HMAC-SHA256-PAYLOAD");
        byte[] body = r.body().clone();
        body[body.length - 1000] ^= 1; // in the last chunk: most of the body went through
        assertThat(RawHttp.send(endpoint, r.withBody(body)).status()).isEqualTo(403);
      }
      case "payload hash mismatch" -> {
        CapturedRequest r = signed(key, false, part);
        assertThat(r.header("x-amz-content-sha256")).hasSize(64);
        byte[] body = r.body().clone();
        body[body.length - 1] ^= 1;
        RawHttp.Response answer = RawHttp.send(endpoint, r.withBody(body));
        assertThat(answer.status()).isEqualTo(400);
        assertThat(answer.body()).contains("XAmzContentSHA256Mismatch");
      }
      case "client disconnect" -> {
        try (Socket socket = sendHalf(signed(key, false, part))) {
          Thread.sleep(200); // the half body reaches the store
        }
      }
      case "request timeout" -> {
        try (Socket socket = sendHalf(signed(key, false, part))) {
          socket.setSoTimeout(30_000);
          RawHttp.Response answer = RawHttp.read(socket.getInputStream());
          assertThat(answer.status()).isEqualTo(400);
          assertThat(answer.body()).contains("RequestTimeout");
        }
      }
      default -> throw new IllegalArgumentException(kind);
    }
    // The gateway may answer (or lose) the client before its worker has cut the backend upload:
    // wait until it counts the request as finished, so the store has met the cut (generous: the
    // machine may be loaded).
    long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
    while (finishedUploads() <= uploadsBefore && System.nanoTime() < deadline) {
      Thread.sleep(50);
    }
    assertThat(finishedUploads()).as("the refused upload finished").isGreaterThan(uploadsBefore);
    assertListable(key);
  }

  /** Sends the head and half of the body, and leaves the connection open. */
  private static Socket sendHalf(CapturedRequest r) throws Exception {
    Socket socket = new Socket(endpoint.getHost(), endpoint.getPort());
    StringBuilder head = new StringBuilder();
    head.append(r.method())
        .append(' ')
        .append(r.rawPath())
        .append(r.rawQuery() == null || r.rawQuery().isEmpty() ? "" : "?" + r.rawQuery())
        .append(" HTTP/1.1\r\n");
    r.headers()
        .forEach(
            (name, values) -> {
              if (!name.equalsIgnoreCase("Expect")) {
                values.forEach(v -> head.append(name).append(": ").append(v).append("\r\n"));
              }
            });
    head.append("\r\n");
    OutputStream out = socket.getOutputStream();
    out.write(head.toString().getBytes(StandardCharsets.ISO_8859_1));
    out.write(r.body(), 0, r.body().length / 2);
    out.flush();
    return socket;
  }

  /** Listings answer 200 with the stored objects only, no leftover remains, the key works. */
  private static void assertListable(String key) throws Exception {
    // The store may still be noticing the cut the gateway made: allow it a moment, as a client's
    // next request would (generous: the machine may be loaded). Listings are right meanwhile too
    // (ListingDuringWritesTest); only the leftover check below needs the wait.
    long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
    while (leftovers().findAny().isPresent() && System.nanoTime() < deadline) {
      Thread.sleep(50);
    }
    List<String> listed =
        s3.listObjectsV2(b -> b.bucket("bucket")).contents().stream().map(S3Object::key).toList();
    // (S3Proxy's own multipart bookkeeping shows in its listings: issue 17 finding 7, not here.)
    assertThat(listed)
        .contains("kept")
        .doesNotContain(key)
        .noneMatch(k -> k.matches(".*" + key + "-[0-9a-f-]{36}"));
    assertThat(s3.listObjects(b -> b.bucket("bucket")).contents()).isNotEmpty();
    assertThat(leftovers()).as("leftover files in the store").isEmpty();
    s3.putObject(b -> b.bucket("bucket").key("ok-" + key), RequestBody.fromBytes(data()));
    assertThat(s3.getObjectAsBytes(b -> b.bucket("bucket").key("ok-" + key)).asByteArray())
        .isEqualTo(data());
  }

  /** PutObject and UploadPart requests the gateway has finished with, whatever the outcome. */
  private static double finishedUploads() throws Exception {
    String metrics;
    try (java.net.http.HttpClient http = java.net.http.HttpClient.newHttpClient()) {
      metrics =
          http.send(
                  java.net.http.HttpRequest.newBuilder(endpoint.resolve("/metrics")).build(),
                  java.net.http.HttpResponse.BodyHandlers.ofString())
              .body();
    }
    return metrics
        .lines()
        .filter(l -> l.startsWith("s3_operations_total{"))
        .filter(
            l -> l.contains("operation=\"PutObject\"") || l.contains("operation=\"UploadPart\""))
        .mapToDouble(l -> Double.parseDouble(l.substring(l.lastIndexOf(' ') + 1)))
        .sum();
  }

  /** Files of the bucket's directory named like S3Proxy's temporary files. */
  private static Stream<Path> leftovers() throws Exception {
    Path bucket = dataDir.resolve("objects").resolve("bucket");
    return Files.walk(bucket)
        .filter(Files::isRegularFile)
        .filter(
            p ->
                p.getFileName()
                    .toString()
                    .matches(".*-[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}"))
        .toList()
        .stream();
  }
}
