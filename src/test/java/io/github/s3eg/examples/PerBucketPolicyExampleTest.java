package io.github.s3eg.examples;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import io.github.s3eg.crypto.ObjectMetadata;
import io.github.s3eg.it.ExampleFolder;
import io.github.s3eg.it.GatewayFixture;
import io.github.s3eg.it.TestBackend;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;
import software.amazon.awssdk.awscore.retry.AwsRetryStrategy;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.S3Exception;
import software.amazon.awssdk.services.s3.model.S3Object;

/**
 * The {@code examples/per-bucket-policy} example, loaded from its folder (start-up route check on)
 * in front of S3Proxy with compression on: {@code media} is stored uncompressed, {@code records}
 * refuses every write with {@code 403 AccessDenied} and nothing reaches the backend, and reads of
 * each still work; {@code finance}'s objects are wrapped under its own keyring ({@code
 * BUCKET_KEYRINGS}) however they are written. Each is checked against {@code plain}, a bucket with
 * the gateway's defaults.
 */
class PerBucketPolicyExampleTest {

  private static final byte[] TEXT =
      "compressible text, the same line again and again\n"
          .repeat(2000)
          .getBytes(StandardCharsets.UTF_8);

  private static Path keyring;
  private static TestBackend backend;
  private static S3Client direct;
  private static GatewayFixture gateway;
  private static S3Client s3;

  @BeforeAll
  static void start() throws Exception {
    backend = TestBackend.start();
    direct = backend.directClient();
    ExampleFolder example = ExampleFolder.named("per-bucket-policy");
    keyring = Files.createTempFile("finance-keyring", ".json");
    byte[] kek = new byte[32];
    new SecureRandom().nextBytes(kek);
    Files.writeString(
        keyring,
        "{\"id\": \"finance\", \"keys\": [{\"version\": 1, \"key\": \""
            + Base64.getEncoder().encodeToString(kek)
            + "\"}]}");
    Files.setPosixFilePermissions(keyring, PosixFilePermissions.fromString("rw-------"));
    Map<String, String> settings = new HashMap<>(example.settings());
    settings.put("BUCKET_KEYRINGS", "finance=" + keyring);
    gateway = GatewayFixture.startOn(backend, settings, example.camelProperties());
    s3 =
        gateway
            .clientBuilder()
            .overrideConfiguration(o -> o.retryStrategy(AwsRetryStrategy.doNotRetry()))
            .build();
    for (String bucket : List.of("plain", "media", "finance")) {
      s3.createBucket(b -> b.bucket(bucket));
    }
    // 'records' refuses CreateBucket too: made on the backend, with one object written before.
    direct.createBucket(b -> b.bucket("records"));
    try (GatewayFixture unedited = GatewayFixture.startOn(backend, Map.of());
        S3Client writer = unedited.clientBuilder().build()) {
      writer.putObject(b -> b.bucket("records").key("ledger.txt"), RequestBody.fromBytes(TEXT));
    }
  }

  @AfterAll
  static void stop() throws Exception {
    s3.close();
    gateway.close();
    direct.close();
    backend.close();
    Files.deleteIfExists(keyring);
  }

  @Test
  void financeHasItsOwnKeyForEveryWayAnObjectIsWritten() {
    s3.putObject(b -> b.bucket("finance").key("put.txt"), RequestBody.fromBytes(TEXT));
    s3.putObject(b -> b.bucket("plain").key("elsewhere.txt"), RequestBody.fromBytes(TEXT));
    String id = s3.createMultipartUpload(b -> b.bucket("finance").key("multipart.txt")).uploadId();
    String etag =
        s3.uploadPart(
                b -> b.bucket("finance").key("multipart.txt").uploadId(id).partNumber(1),
                RequestBody.fromBytes(TEXT))
            .eTag();
    s3.completeMultipartUpload(
        b ->
            b.bucket("finance")
                .key("multipart.txt")
                .uploadId(id)
                .multipartUpload(m -> m.parts(p -> p.partNumber(1).eTag(etag))));
    s3.copyObject(
        b ->
            b.sourceBucket("plain")
                .sourceKey("elsewhere.txt")
                .destinationBucket("finance")
                .destinationKey("copied-in.txt"));
    s3.copyObject(
        b ->
            b.sourceBucket("finance")
                .sourceKey("put.txt")
                .destinationBucket("plain")
                .destinationKey("copied-out.txt"));

    for (String key : List.of("put.txt", "multipart.txt", "copied-in.txt")) {
      assertThat(stored("finance", key).get(ObjectMetadata.KEK)).as(key).startsWith("finance");
      assertThat(read("finance", key)).as(key).isEqualTo(TEXT);
    }
    for (String key : List.of("elsewhere.txt", "copied-out.txt")) {
      assertThat(stored("plain", key).get(ObjectMetadata.KEK)).as(key).doesNotContain("finance");
      assertThat(read("plain", key)).as(key).isEqualTo(TEXT);
    }
  }

  @Test
  void aBucketOfTheDefaultsCompressesText() {
    s3.putObject(
        b -> b.bucket("plain").key("notes.txt").contentType("text/plain"),
        RequestBody.fromBytes(TEXT));

    assertThat(stored("plain", "notes.txt")).containsEntry(ObjectMetadata.VERSION, "2");
    assertThat(read("plain", "notes.txt")).isEqualTo(TEXT);
  }

  @Test
  void mediaIsStoredUncompressedAndReads() {
    s3.putObject(
        b -> b.bucket("media").key("notes.txt").contentType("text/plain"),
        RequestBody.fromBytes(TEXT));

    assertThat(stored("media", "notes.txt"))
        .containsEntry(ObjectMetadata.VERSION, "1")
        .doesNotContainKey(ObjectMetadata.COMPRESSION);
    assertThat(direct.headObject(b -> b.bucket("media").key("notes.txt")).contentLength())
        .isGreaterThan(TEXT.length);
    assertThat(read("media", "notes.txt")).isEqualTo(TEXT);
  }

  @Test
  void recordsRefusesEveryWriteAndStoresNothing() {
    assertAccessDenied(
        () -> s3.putObject(b -> b.bucket("records").key("new.txt"), RequestBody.fromBytes(TEXT)));
    assertAccessDenied(() -> s3.deleteObject(b -> b.bucket("records").key("ledger.txt")));
    assertAccessDenied(
        () ->
            s3.copyObject(
                b ->
                    b.sourceBucket("records")
                        .sourceKey("ledger.txt")
                        .destinationBucket("records")
                        .destinationKey("copy.txt")));
    assertAccessDenied(
        () -> s3.createMultipartUpload(b -> b.bucket("records").key("multipart.txt")));
    assertAccessDenied(
        () ->
            s3.deleteObjects(
                b ->
                    b.bucket("records")
                        .delete(d -> d.objects(o -> o.key("ledger.txt"), o -> o.key("x")))));
    assertAccessDenied(() -> s3.deleteBucket(b -> b.bucket("records")));

    assertThat(
            direct.listObjectsV2Paginator(b -> b.bucket("records")).contents().stream()
                .map(S3Object::key)
                .filter(k -> !k.startsWith(".s3eg/"))
                .toList())
        .containsExactly("ledger.txt");
    assertThat(direct.listMultipartUploads(b -> b.bucket("records")).uploads()).isEmpty();
  }

  @Test
  void recordsStillReadsListsAndCopiesOut() {
    assertThat(read("records", "ledger.txt")).isEqualTo(TEXT);
    assertThat(s3.headObject(b -> b.bucket("records").key("ledger.txt")).contentLength())
        .isEqualTo(TEXT.length);
    assertThat(s3.listObjectsV2(b -> b.bucket("records")).contents())
        .extracting(S3Object::key)
        .containsExactly("ledger.txt");
    s3.copyObject(
        b ->
            b.sourceBucket("records")
                .sourceKey("ledger.txt")
                .destinationBucket("plain")
                .destinationKey("ledger-copy.txt"));
    assertThat(read("plain", "ledger-copy.txt")).isEqualTo(TEXT);
  }

  private static void assertAccessDenied(Executable write) {
    S3Exception refused = catchThrowableOfType(S3Exception.class, write::execute);
    assertThat(refused).as("refused").isNotNull();
    assertThat(refused.statusCode()).isEqualTo(403);
    assertThat(refused.awsErrorDetails().errorCode()).isEqualTo("AccessDenied");
  }

  private static Map<String, String> stored(String bucket, String key) {
    return direct.headObject(b -> b.bucket(bucket).key(key)).metadata();
  }

  private static byte[] read(String bucket, String key) {
    return s3.getObjectAsBytes(b -> b.bucket(bucket).key(key)).asByteArray();
  }
}
