package io.github.s3eg.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.github.s3eg.crypto.SegmentLayout;
import java.io.RandomAccessFile;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.Arrays;
import java.util.Base64;
import java.util.HexFormat;
import java.util.Map;
import java.util.Random;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import software.amazon.awssdk.core.ResponseBytes;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.GetObjectResponse;
import software.amazon.awssdk.services.s3.model.HeadObjectResponse;
import software.amazon.awssdk.services.s3.model.S3Exception;

/**
 * Compression through the routes, checked from the backend's side: which uploads are compressed
 * (content type, size, content encoding), that compressed objects are ciphertext at rest and
 * smaller, that clients see plaintext sizes and MD5 ETags, that ranges cost a bounded number of
 * backend requests and bytes, what listings show, and that tampering is refused.
 */
class CompressionPipelineTest {

  private static GatewayFixture zstd;
  private static GatewayFixture gzip;
  private static S3Client zstdClient;
  private static S3Client gzipClient;

  @BeforeAll
  static void start() throws Exception {
    zstd =
        GatewayFixture.start(Map.of("COMPRESSION_ENABLED", "true", "COMPRESSION_MIN_SIZE", "1000"));
    gzip =
        GatewayFixture.start(
            Map.of(
                "COMPRESSION_ENABLED", "true",
                "COMPRESSION_ALGORITHM", "gzip",
                "COMPRESSION_LEVEL", "5",
                "COMPRESSION_MIN_SIZE", "0",
                "ENCRYPTION_PREFERRED_ALGORITHM", "CHACHA20-POLY1305"));
    zstdClient = zstd.defaultClient();
    gzipClient = gzip.whenRequiredClient();
    zstdClient.createBucket(b -> b.bucket("cmp"));
    gzipClient.createBucket(b -> b.bucket("cmp"));
  }

  @AfterAll
  static void stop() throws Exception {
    zstdClient.close();
    gzipClient.close();
    zstd.close();
    gzip.close();
  }

  /** Log-like text: compresses several times, but not to nothing. */
  static byte[] text(long seed, int size) {
    Random r = new Random(seed);
    StringBuilder b = new StringBuilder(size + 100);
    String[] levels = {"INFO", "WARN", "DEBUG", "ERROR"};
    while (b.length() < size) {
      b.append("2026-01-0")
          .append(1 + r.nextInt(9))
          .append(" ")
          .append(levels[r.nextInt(4)])
          .append(" request ")
          .append(r.nextInt(100000))
          .append(" took ")
          .append(r.nextInt(999))
          .append("ms PLAINTEXT-MARKER\n");
    }
    return Arrays.copyOf(b.toString().getBytes(StandardCharsets.US_ASCII), size);
  }

  static String md5Hex(byte[] data) throws Exception {
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

  private static Map<String, String> stored(GatewayFixture f, String key) {
    try (S3Client direct = f.backend().directClient()) {
      return direct.headObject(b -> b.bucket("cmp").key(key)).metadata();
    }
  }

  private static Stream<Object[]> both() {
    return Stream.of(new Object[] {zstd, zstdClient}, new Object[] {gzip, gzipClient});
  }

  @Test
  void compressedObjectsAreSmallerCiphertextAtRestAndReadBackExactly() throws Exception {
    for (Object[] f : both().toList()) {
      GatewayFixture fixture = (GatewayFixture) f[0];
      S3Client s3 = (S3Client) f[1];
      String codec = fixture == zstd ? "zstd" : "gzip";
      for (int size : new int[] {1000, 262_143, 262_144, 262_145, 3 * 262_144 + 17}) {
        byte[] data = text(size, size);
        String key = "round/" + size;
        s3.putObject(
            b -> b.bucket("cmp").key(key).contentType("text/plain; charset=utf-8"),
            RequestBody.fromBytes(data));

        try (S3Client direct = fixture.backend().directClient()) {
          ResponseBytes<GetObjectResponse> raw =
              direct.getObjectAsBytes(b -> b.bucket("cmp").key(key));
          assertThat(contains(raw.asByteArray(), "PLAINTEXT-MARKER".getBytes()))
              .as("plaintext at rest")
              .isFalse();
          assertThat(raw.asByteArray().length).as("%s %d", codec, size).isLessThan(data.length / 2);
          assertThat(raw.response().metadata())
              .containsEntry("s3eg-v", "2")
              .containsEntry("s3eg-cmp", codec + ".262144")
              .containsEntry("s3eg-alg", fixture == zstd ? "AES256-GCM" : "CHACHA20-POLY1305");
        }
        ResponseBytes<GetObjectResponse> got = s3.getObjectAsBytes(b -> b.bucket("cmp").key(key));
        assertThat(got.asByteArray()).isEqualTo(data);
        assertThat(got.response().eTag()).isEqualTo("\"" + md5Hex(data) + "\"");
        assertThat(got.response().contentType()).startsWith("text/plain");
        HeadObjectResponse head = s3.headObject(b -> b.bucket("cmp").key(key));
        assertThat(head.contentLength()).isEqualTo(size);
        assertThat(head.eTag()).isEqualTo("\"" + md5Hex(data) + "\"");
        assertThat(head.metadata()).isEmpty();
      }
    }
  }

  @Test
  void theEmptyObjectAndContentMd5() throws Exception {
    // gzip fixture: minimum size 0, so even the empty object is compressed.
    gzipClient.putObject(
        b -> b.bucket("cmp").key("empty").contentType("text/plain"), RequestBody.empty());
    assertThat(stored(gzip, "empty")).containsEntry("s3eg-v", "2");
    assertThat(gzipClient.getObjectAsBytes(b -> b.bucket("cmp").key("empty")).asByteArray())
        .isEmpty();
    assertThat(gzipClient.headObject(b -> b.bucket("cmp").key("empty")).contentLength()).isZero();

    byte[] data = text(7, 50_000);
    String md5 = Base64.getEncoder().encodeToString(MessageDigest.getInstance("MD5").digest(data));
    gzipClient.putObject(
        b -> b.bucket("cmp").key("with-md5").contentType("text/csv").contentMD5(md5),
        RequestBody.fromBytes(data));
    assertThat(gzipClient.headObject(b -> b.bucket("cmp").key("with-md5")).eTag())
        .isEqualTo("\"" + md5Hex(data) + "\"");

    String wrong = Base64.getEncoder().encodeToString(new byte[16]);
    assertThatThrownBy(
            () ->
                gzipClient.putObject(
                    b -> b.bucket("cmp").key("bad-md5").contentType("text/csv").contentMD5(wrong),
                    RequestBody.fromBytes(data)))
        .isInstanceOfSatisfying(
            S3Exception.class,
            e -> assertThat(e.awsErrorDetails().errorCode()).isEqualTo("BadDigest"));
    assertThatThrownBy(() -> gzipClient.headObject(b -> b.bucket("cmp").key("bad-md5")))
        .isInstanceOf(S3Exception.class);
    assertThat(spoolFiles()).as("no spool file left behind").isEmpty();
  }

  @Test
  void onlyMatchingTypesAndSizesAreCompressed() {
    Map<String, String> cases =
        Map.of(
            "json", "application/json",
            "csv", "text/csv",
            "png", "image/png",
            "none", "",
            "gzipped", "text/plain");
    for (Map.Entry<String, String> c : cases.entrySet()) {
      byte[] data = text(3, 5000);
      zstdClient.putObject(
          b -> {
            b.bucket("cmp").key("type/" + c.getKey());
            if (!c.getValue().isEmpty()) {
              b.contentType(c.getValue());
            }
            if (c.getKey().equals("gzipped")) {
              b.contentEncoding("gzip");
            }
          },
          RequestBody.fromBytes(data));
    }
    assertThat(stored(zstd, "type/json")).containsEntry("s3eg-v", "2");
    assertThat(stored(zstd, "type/csv")).containsEntry("s3eg-v", "2");
    assertThat(stored(zstd, "type/png")).containsEntry("s3eg-v", "1").doesNotContainKey("s3eg-cmp");
    assertThat(stored(zstd, "type/none")).containsEntry("s3eg-v", "1");
    assertThat(stored(zstd, "type/gzipped")).containsEntry("s3eg-v", "1");

    // COMPRESSION_MIN_SIZE=1000 on this fixture.
    zstdClient.putObject(
        b -> b.bucket("cmp").key("size/999").contentType("text/plain"),
        RequestBody.fromBytes(text(4, 999)));
    zstdClient.putObject(
        b -> b.bucket("cmp").key("size/1000").contentType("text/plain"),
        RequestBody.fromBytes(text(4, 1000)));
    assertThat(stored(zstd, "size/999")).containsEntry("s3eg-v", "1");
    assertThat(stored(zstd, "size/1000")).containsEntry("s3eg-v", "2");
  }

  @Test
  void rangesCostAtMostFourBackendRequestsAndAboutTheirFramesCompressedBytes() throws Exception {
    int size = 24 * 1024 * 1024;
    byte[] data = text(11, size);
    zstdClient.putObject(
        b -> b.bucket("cmp").key("ranged").contentType("text/plain"), RequestBody.fromBytes(data));
    long stored;
    try (S3Client direct = zstd.backend().directClient()) {
      stored = direct.headObject(b -> b.bucket("cmp").key("ranged")).contentLength();
    }
    assertThat(stored).isLessThan(size / 3);

    String[][] ranges = {
      {"bytes=20000000-20000999", "20000000", "20000999"},
      {"bytes=0-99", "0", "99"},
      {"bytes=262140-262150", "262140", "262150"},
      {"bytes=-100", Integer.toString(size - 100), Integer.toString(size - 1)},
      {"bytes=" + (size - 5000) + "-", Integer.toString(size - 5000), Integer.toString(size - 1)},
      {"bytes=16000000-99999999", "16000000", Integer.toString(size - 1)},
    };
    for (String[] r : ranges) {
      zstd.probe().reset();
      byte[] got =
          zstdClient.getObjectAsBytes(b -> b.bucket("cmp").key("ranged").range(r[0])).asByteArray();
      int first = Integer.parseInt(r[1]);
      int last = Integer.parseInt(r[2]);
      assertThat(got).as(r[0]).isEqualTo(Arrays.copyOfRange(data, first, last + 1));
      assertThat(zstd.probe().requests())
          .as("backend requests for %s", r[0])
          .hasSizeLessThanOrEqualTo(4);
      long frames = (long) (last / 262_144 - first / 262_144 + 1);
      // The planned first request (dropped after its headers), two segments of index entries,
      // and the covering frames: each compressed frame is well under one 256 KiB frame here.
      long bound = 4 * (64 * 1024 + 16) + frames * (262_144 / 3) + 64 * 1024 + 8192;
      if (frames <= 2) {
        assertThat(zstd.probe().responseBytes()).as("backend bytes for %s", r[0]).isLessThan(bound);
      }
    }
    // Within the compressed body's length: the planned read, the index entries, the frames.
    zstd.probe().reset();
    zstdClient.getObjectAsBytes(b -> b.bucket("cmp").key("ranged").range("bytes=100-200"));
    assertThat(zstd.probe().requests()).hasSize(3);
    // Planned past the compressed body's end: the backend's 416 and a one-byte read come first.
    zstd.probe().reset();
    zstdClient.getObjectAsBytes(
        b -> b.bucket("cmp").key("ranged").range("bytes=20000000-20000010"));
    assertThat(zstd.probe().requests())
        .extracting(CountingProxy.SeenRequest::range)
        .hasSize(4)
        .element(1)
        .isEqualTo("bytes=0-0");

    assertThatThrownBy(
            () ->
                zstdClient.getObject(
                    b -> b.bucket("cmp").key("ranged").range("bytes=" + size + "-")))
        .isInstanceOfSatisfying(S3Exception.class, e -> assertThat(e.statusCode()).isEqualTo(416));
  }

  @Test
  void listingsShowTheStoredSizeOfCompressedObjects() throws Exception {
    byte[] data = text(12, 2_000_000);
    zstdClient.putObject(
        b -> b.bucket("cmp").key("listed/log.txt").contentType("text/plain"),
        RequestBody.fromBytes(data));
    long backendSize;
    try (S3Client direct = zstd.backend().directClient()) {
      backendSize = direct.headObject(b -> b.bucket("cmp").key("listed/log.txt")).contentLength();
    }
    long listed =
        zstdClient.listObjectsV2(b -> b.bucket("cmp").prefix("listed/")).contents().get(0).size();
    // The documented trade-off: a listing has no metadata, so it shows the compressed container's
    // size (computed from the backend size), not the plaintext size that HEAD and GET report.
    assertThat(listed).isEqualTo(SegmentLayout.defaults().plaintextSize(backendSize));
    assertThat(listed).isLessThan(data.length);
    assertThat(zstdClient.headObject(b -> b.bucket("cmp").key("listed/log.txt")).contentLength())
        .isEqualTo(data.length);
  }

  @ParameterizedTest
  @ValueSource(strings = {"frames", "index"})
  void tamperingWithAStoredCompressedObjectIsRefused(String where) throws Exception {
    byte[] data = text(13, 3_000_000);
    String key = "victim-" + where;
    zstdClient.putObject(
        b -> b.bucket("cmp").key(key).contentType("text/plain"), RequestBody.fromBytes(data));
    Path file = zstd.backendDirectory().resolve("cmp").resolve(key);
    try (RandomAccessFile f = new RandomAccessFile(file.toFile(), "rw")) {
      long at = where.equals("frames") ? 1000 : f.length() - 30;
      f.seek(at);
      int b = f.read();
      f.seek(at);
      f.write(b ^ 1);
    }
    if (where.equals("frames")) {
      assertThatThrownBy(() -> zstdClient.getObjectAsBytes(b -> b.bucket("cmp").key(key)))
          .isInstanceOfSatisfying(
              S3Exception.class,
              e -> {
                assertThat(e.statusCode()).isEqualTo(500);
                assertThat(e.awsErrorDetails().errorMessage()).contains("integrity");
              });
    } else {
      // A ranged read goes through the index: refused before any byte.
      assertThatThrownBy(
              () ->
                  zstdClient.getObjectAsBytes(
                      b -> b.bucket("cmp").key(key).range("bytes=1000000-1000100")))
          .isInstanceOfSatisfying(
              S3Exception.class, e -> assertThat(e.statusCode()).isEqualTo(500));
      // A whole read reaches the index only after the frames: the transfer is cut, never complete.
      assertThatThrownBy(() -> zstdClient.getObjectAsBytes(b -> b.bucket("cmp").key(key)))
          .isInstanceOf(Exception.class);
    }
  }

  /**
   * This JVM's spool files: the temporary directory is shared with every other process on the
   * machine (other test runs spool there too), so only names with this process id count.
   */
  static java.util.List<Path> spoolFiles() throws Exception {
    String mine = "s3eg-spool-" + ProcessHandle.current().pid() + "-";
    try (Stream<Path> files = Files.list(Path.of(System.getProperty("java.io.tmpdir")))) {
      return files.filter(p -> p.getFileName().toString().startsWith(mine)).toList();
    }
  }
}
