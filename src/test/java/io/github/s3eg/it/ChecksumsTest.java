package io.github.s3eg.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.Base64;
import java.util.Map;
import java.util.Random;
import java.util.stream.Stream;
import java.util.zip.CRC32;
import java.util.zip.CRC32C;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import software.amazon.awssdk.core.ResponseBytes;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.ChecksumAlgorithm;
import software.amazon.awssdk.services.s3.model.ChecksumMode;
import software.amazon.awssdk.services.s3.model.ChecksumType;
import software.amazon.awssdk.services.s3.model.GetObjectAttributesResponse;
import software.amazon.awssdk.services.s3.model.GetObjectResponse;
import software.amazon.awssdk.services.s3.model.HeadObjectResponse;
import software.amazon.awssdk.services.s3.model.ObjectAttributes;
import software.amazon.awssdk.services.s3.model.PutObjectRequest;
import software.amazon.awssdk.services.s3.model.PutObjectResponse;
import software.amazon.awssdk.services.s3.model.S3Exception;

/**
 * S3's additional checksums end to end on single PUTs: what the client sends ({@code
 * x-amz-checksum-*} as a header or an aws-chunked trailer) is verified against the plaintext, kept
 * with the object and shown on GET and HEAD when asked ({@code x-amz-checksum-mode: ENABLED}), as
 * the AWS SDK for Java v2 does at its default settings. The spool limit is set low, so that large
 * bodies take the path where the trailing checksum is recorded after the upload.
 */
class ChecksumsTest {

  private static final String BUCKET = "checksums";
  private static final String REFUSED = "checksums-refused";

  private static GatewayFixture fixture;
  private static S3Client sdk;
  private static S3Client whenRequired;

  @BeforeAll
  static void start() throws Exception {
    fixture = GatewayFixture.start(Map.of("ENCRYPTION_SPOOL_LIMIT", "4096"));
    sdk = fixture.defaultClient();
    whenRequired = fixture.whenRequiredClient();
    sdk.createBucket(b -> b.bucket(BUCKET));
    sdk.createBucket(b -> b.bucket(REFUSED));
  }

  @AfterAll
  static void stop() throws Exception {
    sdk.close();
    whenRequired.close();
    fixture.close();
  }

  static Stream<Integer> sizes() {
    return Stream.of(0, 100, 300_000);
  }

  @ParameterizedTest(name = "{0} bytes")
  @MethodSource("sizes")
  void sdkDefaultsPutWithATrailingCrc32AndValidateItOnGet(int size) {
    byte[] data = data(size);
    String key = "default-" + size;
    PutObjectResponse put =
        sdk.putObject(b -> b.bucket(BUCKET).key(key), RequestBody.fromBytes(data));
    String crc32 = crc32(data);
    assertThat(put.checksumCRC32()).isEqualTo(crc32);
    assertThat(put.checksumType()).isEqualTo(ChecksumType.FULL_OBJECT);

    // At its defaults (responseChecksumValidation WHEN_SUPPORTED) the SDK validates the body
    // against the checksum when the application asks for it (SDK 2.41 does not ask by itself).
    ResponseBytes<GetObjectResponse> got =
        sdk.getObjectAsBytes(b -> b.bucket(BUCKET).key(key).checksumMode(ChecksumMode.ENABLED));
    assertThat(got.asByteArray()).isEqualTo(data);
    assertThat(got.response().checksumCRC32()).isEqualTo(crc32);
    assertThat(got.response().checksumType()).isEqualTo(ChecksumType.FULL_OBJECT);

    HeadObjectResponse head =
        sdk.headObject(b -> b.bucket(BUCKET).key(key).checksumMode(ChecksumMode.ENABLED));
    assertThat(head.checksumCRC32()).isEqualTo(crc32);
    assertThat(head.checksumType()).isEqualTo(ChecksumType.FULL_OBJECT);
    assertThat(head.contentLength()).isEqualTo(size);
  }

  @Test
  void checksumsAreShownOnlyWhenAskedAndNotForRanges() {
    byte[] data = data(1000);
    sdk.putObject(b -> b.bucket(BUCKET).key("modes"), RequestBody.fromBytes(data));
    assertThat(whenRequired.headObject(b -> b.bucket(BUCKET).key("modes")).checksumCRC32())
        .isNull();
    assertThat(
            whenRequired
                .getObjectAsBytes(
                    b ->
                        b.bucket(BUCKET)
                            .key("modes")
                            .range("bytes=0-9")
                            .checksumMode(ChecksumMode.ENABLED))
                .response()
                .checksumCRC32())
        .isNull();
    assertThat(
            whenRequired
                .getObjectAsBytes(b -> b.bucket(BUCKET).key("modes"))
                .response()
                .checksumCRC32())
        .isNull();
  }

  /** Each algorithm, sent explicitly; the expected values are computed independently. */
  static Stream<Arguments> algorithms() {
    byte[] check = "123456789".getBytes(StandardCharsets.US_ASCII);
    return Stream.of(
        Arguments.of(ChecksumAlgorithm.CRC32, check, crc32(check)),
        Arguments.of(ChecksumAlgorithm.CRC32_C, check, crc32c(check)),
        Arguments.of(ChecksumAlgorithm.SHA1, check, digest("SHA-1", check)),
        Arguments.of(ChecksumAlgorithm.SHA256, check, digest("SHA-256", check)),
        // CRC-64/NVME's published check value for "123456789".
        Arguments.of(ChecksumAlgorithm.CRC64_NVME, check, b64(0xae8b14860a799888L)),
        Arguments.of(ChecksumAlgorithm.SHA256, data(300_000), digest("SHA-256", data(300_000))),
        Arguments.of(ChecksumAlgorithm.CRC32_C, data(300_000), crc32c(data(300_000))));
  }

  @ParameterizedTest(name = "{0}, {2}")
  @MethodSource("algorithms")
  void eachAlgorithmIsVerifiedKeptAndShown(ChecksumAlgorithm algorithm, byte[] data, String value) {
    String key = "alg-" + algorithm + "-" + data.length;
    for (S3Client client : new S3Client[] {sdk, whenRequired}) {
      PutObjectRequest.Builder put = PutObjectRequest.builder().bucket(BUCKET).key(key);
      if (algorithm == ChecksumAlgorithm.CRC64_NVME) {
        // The SDK computes CRC64NVME only with the native CRT; the value goes as a header.
        put.checksumCRC64NVME(value);
      } else if (client == sdk) {
        put.checksumAlgorithm(algorithm); // computed by the SDK, sent as a trailer
      } else {
        withValue(put, algorithm, value); // sent as a header
      }
      sdk.putObject(put.build(), RequestBody.fromBytes(data));
      HeadObjectResponse head =
          sdk.headObject(b -> b.bucket(BUCKET).key(key).checksumMode(ChecksumMode.ENABLED));
      assertThat(shown(head, algorithm)).as(algorithm + " via " + client).isEqualTo(value);
      assertThat(head.checksumType()).isEqualTo(ChecksumType.FULL_OBJECT);
    }
  }

  @ParameterizedTest
  @MethodSource("sizes")
  void aWrongChecksumIsRefusedAndNothingIsStored(int size) throws Exception {
    byte[] data = data(size);
    String key = "wrong-" + size;
    // Its own bucket: S3Proxy's filesystem store leaves a temporary file of a cut-off upload, and
    // lists such a bucket with 500.
    String bucket = REFUSED;
    assertThatThrownBy(
            () ->
                whenRequired.putObject(
                    b -> b.bucket(bucket).key(key).checksumSHA256(digest("SHA-256", data(7))),
                    RequestBody.fromBytes(data)))
        .isInstanceOfSatisfying(
            S3Exception.class,
            e -> {
              assertThat(e.statusCode()).isEqualTo(400);
              assertThat(e.awsErrorDetails().errorCode()).isEqualTo("BadDigest");
            });
    assertThatThrownBy(() -> sdk.headObject(b -> b.bucket(bucket).key(key)))
        .isInstanceOfSatisfying(S3Exception.class, e -> assertThat(e.statusCode()).isEqualTo(404));
    assertThat(fixture.backendDirectory().resolve(bucket).resolve(key)).doesNotExist();
  }

  @Test
  void aChecksumSurvivesACopy() {
    byte[] data = data(5000);
    sdk.putObject(
        b -> b.bucket(BUCKET).key("copy-source").checksumAlgorithm(ChecksumAlgorithm.SHA1),
        RequestBody.fromBytes(data));
    sdk.copyObject(
        b ->
            b.sourceBucket(BUCKET)
                .sourceKey("copy-source")
                .destinationBucket(BUCKET)
                .destinationKey("copy-target"));
    assertThat(
            sdk.headObject(
                    b -> b.bucket(BUCKET).key("copy-target").checksumMode(ChecksumMode.ENABLED))
                .checksumSHA1())
        .isEqualTo(digest("SHA-1", data));
  }

  @Test
  void getObjectAttributesAnswersThePlaintextView() {
    byte[] data = data(70_000);
    PutObjectResponse put =
        sdk.putObject(
            b -> b.bucket(BUCKET).key("attributes").checksumAlgorithm(ChecksumAlgorithm.SHA256),
            RequestBody.fromBytes(data));
    GetObjectAttributesResponse a =
        sdk.getObjectAttributes(
            b ->
                b.bucket(BUCKET)
                    .key("attributes")
                    .objectAttributes(
                        ObjectAttributes.E_TAG,
                        ObjectAttributes.OBJECT_SIZE,
                        ObjectAttributes.CHECKSUM,
                        ObjectAttributes.STORAGE_CLASS,
                        ObjectAttributes.OBJECT_PARTS));
    assertThat(a.eTag()).isEqualTo(put.eTag().replace("\"", ""));
    assertThat(a.objectSize()).isEqualTo(data.length);
    assertThat(a.checksum().checksumSHA256()).isEqualTo(digest("SHA-256", data));
    assertThat(a.checksum().checksumType()).isEqualTo(ChecksumType.FULL_OBJECT);
    assertThat(a.storageClassAsString()).isEqualTo("STANDARD");
    assertThat(a.objectParts()).isNull();
    assertThat(a.lastModified()).isNotNull();

    GetObjectAttributesResponse sizeOnly =
        sdk.getObjectAttributes(
            b -> b.bucket(BUCKET).key("attributes").objectAttributes(ObjectAttributes.OBJECT_SIZE));
    assertThat(sizeOnly.objectSize()).isEqualTo(data.length);
    assertThat(sizeOnly.eTag()).isNull();
    assertThat(sizeOnly.checksum()).isNull();

    assertThatThrownBy(
            () ->
                sdk.getObjectAttributes(
                    b ->
                        b.bucket(BUCKET)
                            .key("no-such-key")
                            .objectAttributes(ObjectAttributes.OBJECT_SIZE)))
        .isInstanceOfSatisfying(S3Exception.class, e -> assertThat(e.statusCode()).isEqualTo(404));
  }

  /** A compressed object (format version 2) keeps the checksum of its uncompressed plaintext. */
  @Test
  void aCompressedObjectKeepsTheChecksum() throws Exception {
    try (GatewayFixture compressing =
            GatewayFixture.startOn(
                fixture.backend(),
                Map.of("COMPRESSION_ENABLED", "true", "COMPRESSION_MIN_SIZE", "1000"));
        S3Client client = compressing.defaultClient();
        S3Client direct = fixture.backend().directClient()) {
      byte[] text = CompressionPipelineTest.text(4, 500_000);
      client.putObject(
          b ->
              b.bucket(BUCKET)
                  .key("compressed.log")
                  .contentType("text/plain")
                  .checksumAlgorithm(ChecksumAlgorithm.CRC32_C),
          RequestBody.fromBytes(text));
      assertThat(direct.headObject(b -> b.bucket(BUCKET).key("compressed.log")).metadata())
          .containsEntry("s3eg-v", "2")
          .containsKey("s3eg-sum");
      ResponseBytes<GetObjectResponse> got =
          client.getObjectAsBytes(
              b -> b.bucket(BUCKET).key("compressed.log").checksumMode(ChecksumMode.ENABLED));
      assertThat(got.asByteArray()).isEqualTo(text);
      assertThat(got.response().checksumCRC32C()).isEqualTo(crc32c(text));
    }
  }

  /** The object cache answers alike: a cached copy shows the checksum when asked. */
  @Test
  void aCachedCopyShowsTheChecksum() throws Exception {
    try (GatewayFixture cached =
            GatewayFixture.startOn(fixture.backend(), Map.of("CACHE_ENABLED", "true"));
        S3Client client = cached.defaultClient()) {
      byte[] data = data(2000);
      client.putObject(
          b -> b.bucket(BUCKET).key("cached").checksumAlgorithm(ChecksumAlgorithm.SHA1),
          RequestBody.fromBytes(data));
      for (int i = 0; i < 3; i++) { // a miss that fills the cache, then hits
        GetObjectResponse r =
            client
                .getObjectAsBytes(
                    b -> b.bucket(BUCKET).key("cached").checksumMode(ChecksumMode.ENABLED))
                .response();
        assertThat(r.checksumSHA1()).as("GET " + i).isEqualTo(digest("SHA-1", data));
        assertThat(
                client
                    .headObject(
                        b -> b.bucket(BUCKET).key("cached").checksumMode(ChecksumMode.ENABLED))
                    .checksumSHA1())
            .as("HEAD " + i)
            .isEqualTo(digest("SHA-1", data));
      }
    }
  }

  // ---- helpers

  static byte[] data(int size) {
    byte[] b = new byte[size];
    new Random(size).nextBytes(b);
    return b;
  }

  static String crc32(byte[] data) {
    CRC32 c = new CRC32();
    c.update(data);
    return b64Int(c.getValue());
  }

  static String crc32c(byte[] data) {
    CRC32C c = new CRC32C();
    c.update(data);
    return b64Int(c.getValue());
  }

  private static String b64Int(long v) {
    return Base64.getEncoder()
        .encodeToString(
            new byte[] {(byte) (v >>> 24), (byte) (v >>> 16), (byte) (v >>> 8), (byte) v});
  }

  private static String b64(long v) {
    return Base64.getEncoder().encodeToString(java.nio.ByteBuffer.allocate(8).putLong(v).array());
  }

  static String digest(String algorithm, byte[] data) {
    try {
      return Base64.getEncoder().encodeToString(MessageDigest.getInstance(algorithm).digest(data));
    } catch (java.security.NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  private static void withValue(PutObjectRequest.Builder b, ChecksumAlgorithm a, String v) {
    switch (a) {
      case CRC32 -> b.checksumCRC32(v);
      case CRC32_C -> b.checksumCRC32C(v);
      case SHA1 -> b.checksumSHA1(v);
      case SHA256 -> b.checksumSHA256(v);
      case CRC64_NVME -> b.checksumCRC64NVME(v);
      default -> throw new IllegalArgumentException(a.toString());
    }
  }

  private static String shown(HeadObjectResponse h, ChecksumAlgorithm a) {
    return switch (a) {
      case CRC32 -> h.checksumCRC32();
      case CRC32_C -> h.checksumCRC32C();
      case SHA1 -> h.checksumSHA1();
      case SHA256 -> h.checksumSHA256();
      case CRC64_NVME -> h.checksumCRC64NVME();
      default -> throw new IllegalArgumentException(a.toString());
    };
  }
}
