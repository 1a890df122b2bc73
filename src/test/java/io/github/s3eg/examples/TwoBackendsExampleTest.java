package io.github.s3eg.examples;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import io.github.s3eg.it.ExampleFolder;
import io.github.s3eg.it.GatewayFixture;
import io.github.s3eg.it.TestBackend;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import software.amazon.awssdk.awscore.retry.AwsRetryStrategy;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.Bucket;
import software.amazon.awssdk.services.s3.model.CompletedPart;
import software.amazon.awssdk.services.s3.model.S3Exception;
import software.amazon.awssdk.services.s3.model.S3Object;

/**
 * The {@code examples/two-backends} example: buckets named {@code archive-*} live on backend B, the
 * rest on A, each S3Proxy with its own credentials. Objects, listings, multipart uploads and copies
 * work in both, and each bucket, object and upload exists only on its own backend, as ciphertext
 * (checked on each backend directly).
 */
class TwoBackendsExampleTest {

  private static final String LIVE = "live";
  private static final String ARCHIVE = "archive-2024";
  private static final byte[] TEXT =
      "a line of plaintext that neither backend may hold\n"
          .repeat(400)
          .getBytes(StandardCharsets.UTF_8);

  private static TestBackend a;
  private static TestBackend b;
  private static S3Client directA;
  private static S3Client directB;
  private static GatewayFixture gateway;
  private static S3Client s3;

  @BeforeAll
  static void start() throws Exception {
    a = TestBackend.start("a-access", "a-secret-0123456789");
    b = TestBackend.start("b-access", "b-secret-0123456789");
    directA = a.directClient();
    directB = b.directClient();
    Map<String, String> settings = new HashMap<>(ExampleFolder.named("two-backends").settings());
    // The example's A is the fixture's backend; its B is this S3Proxy.
    settings.keySet().removeIf(k -> k.startsWith("BACKEND_"));
    settings.put("BACKEND2_ENDPOINT", b.endpoint().toString());
    settings.put("BACKEND2_ACCESS_KEY", b.accessKey());
    settings.put("BACKEND2_SECRET_KEY", b.secretKey());
    gateway =
        GatewayFixture.startOn(a, settings, ExampleFolder.named("two-backends").camelProperties());
    s3 =
        gateway
            .clientBuilder()
            .overrideConfiguration(o -> o.retryStrategy(AwsRetryStrategy.doNotRetry()))
            .build();
    s3.createBucket(r -> r.bucket(LIVE));
    s3.createBucket(r -> r.bucket(ARCHIVE));
  }

  @AfterAll
  static void stop() throws Exception {
    for (AutoCloseable c : new AutoCloseable[] {s3, gateway, directA, directB, a, b}) {
      if (c != null) {
        c.close();
      }
    }
  }

  @Test
  void eachBucketIsOnItsOwnBackendAndListedTogether() {
    assertThat(names(directA)).contains(LIVE).doesNotContain(ARCHIVE);
    assertThat(names(directB)).contains(ARCHIVE).doesNotContain(LIVE);
    assertThat(names(s3)).contains(LIVE, ARCHIVE);
  }

  @ParameterizedTest
  @ValueSource(strings = {LIVE, ARCHIVE})
  void objectsListingsAndCopiesWorkInEach(String bucket) {
    s3.putObject(r -> r.bucket(bucket).key("notes.txt"), RequestBody.fromBytes(TEXT));
    s3.copyObject(
        r ->
            r.sourceBucket(bucket)
                .sourceKey("notes.txt")
                .destinationBucket(bucket)
                .destinationKey("notes-copy.txt"));

    assertThat(read(bucket, "notes.txt")).isEqualTo(TEXT);
    assertThat(read(bucket, "notes-copy.txt")).isEqualTo(TEXT);
    assertThat(s3.listObjectsV2(r -> r.bucket(bucket).prefix("notes")).contents())
        .extracting(S3Object::key, S3Object::size)
        .containsExactly(
            org.assertj.core.groups.Tuple.tuple("notes-copy.txt", (long) TEXT.length),
            org.assertj.core.groups.Tuple.tuple("notes.txt", (long) TEXT.length));
    assertOnlyOnItsBackendAsCiphertext(bucket, "notes.txt");
    assertOnlyOnItsBackendAsCiphertext(bucket, "notes-copy.txt");
  }

  @ParameterizedTest
  @ValueSource(strings = {LIVE, ARCHIVE})
  void multipartUploadsWorkInEach(String bucket) {
    byte[] first = new byte[5 * 1024 * 1024];
    for (int i = 0; i < first.length; i++) {
      first[i] = TEXT[i % TEXT.length];
    }
    String id = s3.createMultipartUpload(r -> r.bucket(bucket).key("big.txt")).uploadId();
    assertThat(s3.listMultipartUploads(r -> r.bucket(bucket)).uploads())
        .extracting(u -> u.uploadId())
        .containsExactly(id);
    List<CompletedPart> parts = new ArrayList<>();
    byte[][] bodies = {first, TEXT};
    for (int n = 1; n <= 2; n++) {
      int number = n;
      String etag =
          s3.uploadPart(
                  r -> r.bucket(bucket).key("big.txt").uploadId(id).partNumber(number),
                  RequestBody.fromBytes(bodies[number - 1]))
              .eTag();
      parts.add(CompletedPart.builder().partNumber(number).eTag(etag).build());
    }
    assertThat(s3.listParts(r -> r.bucket(bucket).key("big.txt").uploadId(id)).parts()).hasSize(2);
    s3.completeMultipartUpload(
        r -> r.bucket(bucket).key("big.txt").uploadId(id).multipartUpload(m -> m.parts(parts)));

    byte[] expected = new byte[first.length + TEXT.length];
    System.arraycopy(first, 0, expected, 0, first.length);
    System.arraycopy(TEXT, 0, expected, first.length, TEXT.length);
    assertThat(read(bucket, "big.txt")).isEqualTo(expected);
    assertOnlyOnItsBackendAsCiphertext(bucket, "big.txt");
  }

  @Test
  void aCopyBetweenTheBackendsIsRefusedAndStoresNothing() {
    s3.putObject(r -> r.bucket(LIVE).key("crossing.txt"), RequestBody.fromBytes(TEXT));

    S3Exception refused =
        catchThrowableOfType(
            S3Exception.class,
            () ->
                s3.copyObject(
                    r ->
                        r.sourceBucket(LIVE)
                            .sourceKey("crossing.txt")
                            .destinationBucket(ARCHIVE)
                            .destinationKey("crossing.txt")));

    assertThat(refused).isNotNull();
    assertThat(refused.statusCode()).isEqualTo(501);
    assertThat(directB.listObjectsV2(r -> r.bucket(ARCHIVE).prefix("crossing")).contents())
        .isEmpty();
  }

  private static void assertOnlyOnItsBackendAsCiphertext(String bucket, String key) {
    S3Client own = bucket.equals(ARCHIVE) ? directB : directA;
    S3Client other = bucket.equals(ARCHIVE) ? directA : directB;
    byte[] stored = own.getObjectAsBytes(r -> r.bucket(bucket).key(key)).asByteArray();
    assertThat(new String(stored, StandardCharsets.ISO_8859_1)).doesNotContain("a line of plain");
    assertThat(names(other)).doesNotContain(bucket);
  }

  private static List<String> names(S3Client client) {
    return client.listBuckets().buckets().stream().map(Bucket::name).toList();
  }

  private static byte[] read(String bucket, String key) {
    return s3.getObjectAsBytes(r -> r.bucket(bucket).key(key)).asByteArray();
  }
}
