package io.github.s3eg.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.RandomAccessFile;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.Arrays;
import java.util.Base64;
import java.util.HexFormat;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.core.ResponseBytes;
import software.amazon.awssdk.core.ResponseInputStream;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.GetObjectResponse;
import software.amazon.awssdk.services.s3.model.HeadObjectResponse;
import software.amazon.awssdk.services.s3.model.MetadataDirective;
import software.amazon.awssdk.services.s3.model.S3Exception;

/**
 * Encryption through the routes, checked from the backend's side: what is stored is ciphertext,
 * clients see plaintext sizes and MD5 ETags, ranged reads and copies cost what they should at the
 * backend (counted by the probe), and tampering with stored objects is detected.
 */
class EncryptionPipelineTest {

  private static final byte[] MARKER =
      "PLAINTEXT-MARKER-0123456789".getBytes(StandardCharsets.US_ASCII);

  private static GatewayFixture fixture;
  private static S3Client s3;
  private static S3Client direct;

  @BeforeAll
  static void start() throws Exception {
    fixture = GatewayFixture.start(Map.of("METRICS_PUBLIC", "true"));
    s3 = fixture.defaultClient();
    direct = fixture.backend().directClient();
    s3.createBucket(b -> b.bucket("enc"));
  }

  @AfterAll
  static void stop() throws Exception {
    s3.close();
    direct.close();
    fixture.close();
  }

  private static byte[] markerData(int size) {
    byte[] data = new byte[size];
    for (int i = 0; i < size; i++) {
      data[i] = MARKER[i % MARKER.length];
    }
    return data;
  }

  private static String md5Hex(byte[] data) throws Exception {
    return HexFormat.of().formatHex(MessageDigest.getInstance("MD5").digest(data));
  }

  private static boolean contains(byte[] haystack, byte[] needle) {
    outer:
    for (int i = 0; i + needle.length <= haystack.length; i++) {
      for (int j = 0; j < needle.length; j++) {
        if (haystack[i + j] != needle[j]) {
          continue outer;
        }
      }
      return true;
    }
    return false;
  }

  @Test
  void theBackendHoldsCiphertextAndClientsSeePlaintext() throws Exception {
    byte[] data = markerData(1_000_000);
    s3.putObject(
        b -> b.bucket("enc").key("secret.txt").metadata(Map.of("note", "kept")),
        RequestBody.fromBytes(data));

    ResponseBytes<GetObjectResponse> stored =
        direct.getObjectAsBytes(b -> b.bucket("enc").key("secret.txt"));
    assertThat(contains(stored.asByteArray(), MARKER)).as("plaintext at rest").isFalse();
    assertThat(stored.asByteArray().length).isGreaterThan(data.length);
    assertThat(stored.response().metadata())
        .containsKeys("s3eg-v", "s3eg-alg", "s3eg-dek", "s3eg-etag")
        .containsEntry("note", "kept");

    ResponseBytes<GetObjectResponse> got =
        s3.getObjectAsBytes(b -> b.bucket("enc").key("secret.txt"));
    assertThat(got.asByteArray()).isEqualTo(data);
    assertThat(got.response().metadata()).containsOnlyKeys("note");
    HeadObjectResponse head = s3.headObject(b -> b.bucket("enc").key("secret.txt"));
    assertThat(head.contentLength()).isEqualTo(data.length);
    assertThat(head.metadata()).containsOnlyKeys("note");
    assertThat(s3.listObjectsV2(b -> b.bucket("enc").prefix("secret.txt")).contents().get(0).size())
        .isEqualTo(data.length);
  }

  @Test
  void encryptionAndDecryptionShowInTheMetrics() throws Exception {
    byte[] data = markerData(123_456);
    s3.putObject(b -> b.bucket("enc").key("metered"), RequestBody.fromBytes(data));
    s3.getObjectAsBytes(b -> b.bucket("enc").key("metered"));
    try (java.net.http.HttpClient http = java.net.http.HttpClient.newHttpClient()) {
      String metrics =
          http.send(
                  java.net.http.HttpRequest.newBuilder(
                          java.net.URI.create(fixture.endpoint() + "/metrics"))
                      .build(),
                  java.net.http.HttpResponse.BodyHandlers.ofString())
              .body();
      assertThat(metrics)
          .containsPattern("encryption_operations_total\\{[^}]*direction=\"encrypt\"[^}]*} [1-9]")
          .containsPattern("encryption_operations_total\\{[^}]*direction=\"decrypt\"[^}]*} [1-9]")
          .containsPattern("encryption_bytes_total\\{[^}]*direction=\"encrypt\"[^}]*} [1-9]");
    }
  }

  @Test
  void etagIsThePlaintextMd5WhateverTheUploadPath() throws Exception {
    for (int size : new int[] {0, 1000, 300_000, 3_000_000}) {
      byte[] data =
          new Random(size)
              .ints(size, 0, 256)
              .collect(java.io.ByteArrayOutputStream::new, (o, i) -> o.write(i), (a, b) -> {})
              .toByteArray();
      String expected = "\"" + md5Hex(data) + "\"";
      String key = "etag-" + size;
      String putEtag =
          s3.putObject(b -> b.bucket("enc").key(key), RequestBody.fromBytes(data)).eTag();
      assertThat(putEtag).as("PUT " + size).isEqualTo(expected);
      assertThat(s3.headObject(b -> b.bucket("enc").key(key)).eTag())
          .as("HEAD " + size)
          .isEqualTo(expected);
      assertThat(s3.getObjectAsBytes(b -> b.bucket("enc").key(key)).response().eTag())
          .as("GET " + size)
          .isEqualTo(expected);
      // With Content-MD5 the ETag is sealed before the body.
      String withMd5 = key + "-md5";
      String md5 =
          Base64.getEncoder().encodeToString(MessageDigest.getInstance("MD5").digest(data));
      s3.putObject(b -> b.bucket("enc").key(withMd5).contentMD5(md5), RequestBody.fromBytes(data));
      assertThat(s3.headObject(b -> b.bucket("enc").key(withMd5)).eTag()).isEqualTo(expected);
    }
  }

  @Test
  void aWrongContentMd5CreatesNoObject() {
    byte[] data = markerData(400_000);
    String wrong = Base64.getEncoder().encodeToString(new byte[16]);
    assertThatThrownBy(
            () ->
                s3.putObject(
                    b -> b.bucket("enc").key("bad-md5").contentMD5(wrong),
                    RequestBody.fromBytes(data)))
        .isInstanceOfSatisfying(
            S3Exception.class,
            e -> assertThat(e.awsErrorDetails().errorCode()).isEqualTo("BadDigest"));
    assertThatThrownBy(() -> direct.headObject(b -> b.bucket("enc").key("bad-md5")))
        .isInstanceOfSatisfying(S3Exception.class, e -> assertThat(e.statusCode()).isEqualTo(404));
  }

  @Test
  void clientsCannotSetTheGatewaysMetadata() {
    assertThatThrownBy(
            () ->
                s3.putObject(
                    b -> b.bucket("enc").key("forge").metadata(Map.of("s3eg-v", "1")),
                    RequestBody.fromString("x")))
        .isInstanceOfSatisfying(
            S3Exception.class,
            e -> assertThat(e.awsErrorDetails().errorCode()).isEqualTo("InvalidArgument"));
  }

  @Test
  void aSmallRangeOfAGibibyteObjectReadsAtMostTwoSegmentsInOneBackendRequest() throws Exception {
    long size = 1L << 30;
    LargeObjectStreamingTest.DeterministicStream upload =
        new LargeObjectStreamingTest.DeterministicStream(size, 99);
    s3.putObject(
        b -> b.bucket("enc").key("one-gib"),
        RequestBody.fromContentProvider(() -> upload, size, "application/octet-stream"));
    assertThat(s3.headObject(b -> b.bucket("enc").key("one-gib")).contentLength()).isEqualTo(size);

    long first = 700_000_123L;
    fixture.probe().reset();
    byte[] slice =
        s3.getObjectAsBytes(
                b -> b.bucket("enc").key("one-gib").range("bytes=" + first + "-" + (first + 1023)))
            .asByteArray();
    assertThat(fixture.probe().requests()).as("backend requests").hasSize(1);
    long twoSegments = 2L * (64 * 1024 + 16);
    assertThat(fixture.probe().responseBytes())
        .as("backend bytes")
        .isLessThanOrEqualTo(twoSegments + 2048);

    LargeObjectStreamingTest.DeterministicStream replay =
        new LargeObjectStreamingTest.DeterministicStream(size, 99);
    replay.skipNBytes(first);
    assertThat(slice).isEqualTo(replay.readNBytes(1024));

    // Suffix and open ranges, and one past the end.
    fixture.probe().reset();
    byte[] tail =
        s3.getObjectAsBytes(b -> b.bucket("enc").key("one-gib").range("bytes=-100")).asByteArray();
    assertThat(tail).hasSize(100);
    assertThat(fixture.probe().requests()).hasSize(1);
    assertThatThrownBy(
            () -> s3.getObject(b -> b.bucket("enc").key("one-gib").range("bytes=" + size + "-")))
        .isInstanceOfSatisfying(S3Exception.class, e -> assertThat(e.statusCode()).isEqualTo(416));
  }

  @Test
  void rangesMatchThePlaintextSlices() {
    byte[] data = new byte[200_000];
    new Random(5).nextBytes(data);
    s3.putObject(b -> b.bucket("enc").key("ranges"), RequestBody.fromBytes(data));
    Random r = new Random(6);
    for (int i = 0; i < 40; i++) {
      int a = r.nextInt(data.length);
      int z = Math.min(data.length - 1, a + r.nextInt(150_000));
      byte[] got =
          s3.getObjectAsBytes(b -> b.bucket("enc").key("ranges").range("bytes=" + a + "-" + z))
              .asByteArray();
      assertThat(got).as("bytes=%d-%d", a, z).isEqualTo(Arrays.copyOfRange(data, a, z + 1));
    }
    byte[] open =
        s3.getObjectAsBytes(b -> b.bucket("enc").key("ranges").range("bytes=65530-")).asByteArray();
    assertThat(open).isEqualTo(Arrays.copyOfRange(data, 65530, data.length));
  }

  @Test
  void copyRewrapsTheKeyAndMovesNoObjectBytesThroughTheGateway() throws Exception {
    long size = 100L * 1024 * 1024;
    LargeObjectStreamingTest.DeterministicStream upload =
        new LargeObjectStreamingTest.DeterministicStream(size, 11);
    s3.putObject(
        b -> b.bucket("enc").key("big-source").contentType("video/mp4"),
        RequestBody.fromContentProvider(() -> upload, size, "video/mp4"));
    String etag = s3.headObject(b -> b.bucket("enc").key("big-source")).eTag();

    fixture.probe().reset();
    s3.copyObject(
        b ->
            b.sourceBucket("enc")
                .sourceKey("big-source")
                .destinationBucket("enc")
                .destinationKey("big-copy"));
    assertThat(fixture.probe().responseBytes())
        .as("bytes the backend sent to the gateway")
        .isLessThan(64 * 1024);
    // No GET of the object (the source's tags are read, ?tagging: a copy keeps them).
    assertThat(fixture.probe().requests())
        .filteredOn(r -> !r.target().contains("?tagging"))
        .extracting(CountingProxy.SeenRequest::method)
        .doesNotContain("GET");

    HeadObjectResponse copy = s3.headObject(b -> b.bucket("enc").key("big-copy"));
    assertThat(copy.eTag()).isEqualTo(etag);
    assertThat(copy.contentType()).isEqualTo("video/mp4");
    MessageDigest a = MessageDigest.getInstance("SHA-256");
    try (ResponseInputStream<GetObjectResponse> in =
        s3.getObject(b -> b.bucket("enc").key("big-copy"))) {
      byte[] buf = new byte[1 << 16];
      for (int n; (n = in.read(buf)) > 0; ) {
        a.update(buf, 0, n);
      }
    }
    assertThat(a.digest()).isEqualTo(upload.sha256());

    s3.copyObject(
        b ->
            b.sourceBucket("enc")
                .sourceKey("big-source")
                .destinationBucket("enc")
                .destinationKey("big-copy2")
                .metadataDirective(MetadataDirective.REPLACE)
                .contentType("text/plain")
                .metadata(Map.of("x", "y")));
    HeadObjectResponse replaced = s3.headObject(b -> b.bucket("enc").key("big-copy2"));
    assertThat(replaced.contentType()).isEqualTo("text/plain");
    assertThat(replaced.metadata()).containsOnlyKeys("x");
  }

  @Test
  void tamperingOnTheBackendIsDetected() throws Exception {
    byte[] data = markerData(300_000);
    s3.putObject(b -> b.bucket("enc").key("victim"), RequestBody.fromBytes(data));
    Path file = fixture.backendDirectory().resolve("enc").resolve("victim");
    assertThat(file).exists();

    // A flipped bit in the first segment: refused before any byte is sent.
    try (RandomAccessFile f = new RandomAccessFile(file.toFile(), "rw")) {
      f.seek(100);
      int b = f.read();
      f.seek(100);
      f.write(b ^ 1);
    }
    assertThatThrownBy(() -> s3.getObjectAsBytes(b -> b.bucket("enc").key("victim")))
        .isInstanceOfSatisfying(
            S3Exception.class,
            e -> {
              assertThat(e.statusCode()).isEqualTo(500);
              assertThat(e.awsErrorDetails().errorMessage()).contains("integrity");
            });

    // A truncated object at a segment boundary never ends cleanly.
    s3.putObject(b -> b.bucket("enc").key("victim2"), RequestBody.fromBytes(data));
    Path file2 = fixture.backendDirectory().resolve("enc").resolve("victim2");
    try (RandomAccessFile f = new RandomAccessFile(file2.toFile(), "rw")) {
      f.setLength(40 + 2L * (65536 + 16));
    }
    assertThatThrownBy(() -> s3.getObjectAsBytes(b -> b.bucket("enc").key("victim2")))
        .isInstanceOf(Exception.class);

    // An object (body and metadata) moved to another name: its key is bound to the old name.
    s3.putObject(b -> b.bucket("enc").key("original"), RequestBody.fromBytes(data));
    direct.copyObject(
        b ->
            b.sourceBucket("enc")
                .sourceKey("original")
                .destinationBucket("enc")
                .destinationKey("moved"));
    assertThatThrownBy(() -> s3.getObjectAsBytes(b -> b.bucket("enc").key("moved")))
        .isInstanceOfSatisfying(S3Exception.class, e -> assertThat(e.statusCode()).isEqualTo(500));
    assertThat(s3.getObjectAsBytes(b -> b.bucket("enc").key("original")).asByteArray())
        .isEqualTo(data);
  }

  @Test
  void plaintextObjectsWrittenBeforeTheGatewayAreRefused() {
    direct.putObject(b -> b.bucket("enc").key("legacy"), RequestBody.fromString("old plaintext"));
    assertThatThrownBy(() -> s3.getObjectAsBytes(b -> b.bucket("enc").key("legacy")))
        .isInstanceOfSatisfying(
            S3Exception.class,
            e -> {
              assertThat(e.statusCode()).isEqualTo(403);
              assertThat(e.awsErrorDetails().errorMessage())
                  .contains("ENCRYPTION_ALLOW_PLAINTEXT_READS");
            });
  }

  @Test
  void plaintextReadsWhenExplicitlyAllowed() throws Exception {
    try (GatewayFixture allowing =
            GatewayFixture.start(Map.of("ENCRYPTION_ALLOW_PLAINTEXT_READS", "true"));
        S3Client client = allowing.defaultClient();
        S3Client backend = allowing.backend().directClient()) {
      client.createBucket(b -> b.bucket("legacy"));
      backend.putObject(
          b -> b.bucket("legacy").key("old"), RequestBody.fromString("old plaintext"));
      assertThat(client.getObjectAsBytes(b -> b.bucket("legacy").key("old")).asUtf8String())
          .isEqualTo("old plaintext");
      assertThat(
              client
                  .getObjectAsBytes(b -> b.bucket("legacy").key("old").range("bytes=4-8"))
                  .asUtf8String())
          .isEqualTo("plain");
      // Broken encryption metadata is never taken for plaintext.
      backend.putObject(
          b -> b.bucket("legacy").key("half").metadata(Map.of("s3eg-v", "1")),
          RequestBody.fromString("x"));
      assertThatThrownBy(() -> client.getObjectAsBytes(b -> b.bucket("legacy").key("half")))
          .isInstanceOfSatisfying(
              S3Exception.class, e -> assertThat(e.statusCode()).isEqualTo(500));
    }
  }
}
