package io.github.s3eg.it;

import static io.github.s3eg.it.ChecksumsTest.crc32;
import static io.github.s3eg.it.ChecksumsTest.data;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.github.s3eg.s3.body.Crc64Nvme;
import java.nio.ByteBuffer;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
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
import software.amazon.awssdk.services.s3.model.CompleteMultipartUploadResponse;
import software.amazon.awssdk.services.s3.model.CompletedPart;
import software.amazon.awssdk.services.s3.model.GetObjectAttributesResponse;
import software.amazon.awssdk.services.s3.model.GetObjectResponse;
import software.amazon.awssdk.services.s3.model.HeadObjectResponse;
import software.amazon.awssdk.services.s3.model.ListPartsResponse;
import software.amazon.awssdk.services.s3.model.ObjectAttributes;
import software.amazon.awssdk.services.s3.model.ObjectPart;
import software.amazon.awssdk.services.s3.model.S3Exception;
import software.amazon.awssdk.services.s3.model.UploadPartRequest;
import software.amazon.awssdk.services.s3.model.UploadPartResponse;

/**
 * Checksums of multipart uploads, as S3 defines them per algorithm: COMPOSITE (the checksum of the
 * parts' checksums, shown with {@code -N}) and FULL_OBJECT (the CRC of the whole object), per-part
 * checksums verified in UploadPart, listed by ListParts and checked in Complete, the object's
 * checksum on Complete, GET, HEAD and GetObjectAttributes. The backend (S3Proxy 2.9, which refuses
 * checksum headers) never sees one.
 */
class MultipartChecksumsTest {

  private static final String BUCKET = "mp-checksums";
  private static final int PART = 5 * 1024 * 1024;

  private static GatewayFixture fixture;
  private static S3Client sdk;
  private static S3Client whenRequired;

  @BeforeAll
  static void start() throws Exception {
    fixture = GatewayFixture.start(Map.of());
    sdk = fixture.defaultClient();
    whenRequired = fixture.whenRequiredClient();
    sdk.createBucket(b -> b.bucket(BUCKET));
  }

  @AfterAll
  static void stop() throws Exception {
    sdk.close();
    whenRequired.close();
    fixture.close();
  }

  /** The SDK's defaults: no algorithm at Create, a CRC32 trailer on every part. */
  @Test
  void sdkDefaultsUploadPartsWithTrailingCrc32() {
    byte[] one = data(PART);
    byte[] two = data(1000);
    String id = sdk.createMultipartUpload(b -> b.bucket(BUCKET).key("default")).uploadId();
    UploadPartResponse p1 = sdk.uploadPart(part("default", id, 1), RequestBody.fromBytes(one));
    UploadPartResponse p2 = sdk.uploadPart(part("default", id, 2), RequestBody.fromBytes(two));
    assertThat(p1.checksumCRC32()).isEqualTo(crc32(one));
    assertThat(p2.checksumCRC32()).isEqualTo(crc32(two));
    sdk.completeMultipartUpload(
        b ->
            b.bucket(BUCKET)
                .key("default")
                .uploadId(id)
                .multipartUpload(
                    m ->
                        m.parts(
                            CompletedPart.builder().partNumber(1).eTag(p1.eTag()).build(),
                            CompletedPart.builder().partNumber(2).eTag(p2.eTag()).build())));
    ResponseBytes<GetObjectResponse> got =
        sdk.getObjectAsBytes(b -> b.bucket(BUCKET).key("default"));
    assertThat(got.asByteArray()).isEqualTo(concat(one, two));
    // Without an algorithm at Create there is no object checksum, and GetObjectAttributes counts
    // the parts without listing them (as S3 does for objects without checksums).
    GetObjectAttributesResponse a =
        sdk.getObjectAttributes(
            b ->
                b.bucket(BUCKET)
                    .key("default")
                    .objectAttributes(
                        ObjectAttributes.OBJECT_PARTS,
                        ObjectAttributes.CHECKSUM,
                        ObjectAttributes.OBJECT_SIZE));
    assertThat(a.objectSize()).isEqualTo(one.length + two.length);
    assertThat(a.checksum()).isNull();
    assertThat(a.objectParts().totalPartsCount()).isEqualTo(2);
    assertThat(a.objectParts().parts()).isEmpty();
  }

  /** A part whose checksum is wrong is refused (a bucket of its own: see ChecksumsTest). */
  @Test
  void aPartWithAWrongChecksumIsRefused() {
    sdk.createBucket(b -> b.bucket("mp-refused"));
    String id = sdk.createMultipartUpload(b -> b.bucket("mp-refused").key("k")).uploadId();
    byte[] data = data(1000);
    assertThatThrownBy(
            () ->
                whenRequired.uploadPart(
                    UploadPartRequest.builder()
                        .bucket("mp-refused")
                        .key("k")
                        .uploadId(id)
                        .partNumber(1)
                        .checksumCRC32(crc32(data(999)))
                        .build(),
                    RequestBody.fromBytes(data)))
        .isInstanceOfSatisfying(
            S3Exception.class,
            e -> {
              assertThat(e.statusCode()).isEqualTo(400);
              assertThat(e.awsErrorDetails().errorCode()).isEqualTo("BadDigest");
            });
  }

  static Stream<Arguments> uploads() {
    return Stream.of(
        Arguments.of(ChecksumAlgorithm.CRC32, ChecksumType.COMPOSITE),
        Arguments.of(ChecksumAlgorithm.CRC32, ChecksumType.FULL_OBJECT),
        Arguments.of(ChecksumAlgorithm.CRC32_C, ChecksumType.COMPOSITE),
        Arguments.of(ChecksumAlgorithm.CRC32_C, ChecksumType.FULL_OBJECT),
        Arguments.of(ChecksumAlgorithm.SHA1, ChecksumType.COMPOSITE),
        Arguments.of(ChecksumAlgorithm.SHA256, ChecksumType.COMPOSITE),
        Arguments.of(ChecksumAlgorithm.CRC64_NVME, ChecksumType.FULL_OBJECT));
  }

  @ParameterizedTest(name = "{0} {1}")
  @MethodSource("uploads")
  void partChecksumsAreVerifiedListedCheckedAndCombined(
      ChecksumAlgorithm algorithm, ChecksumType type) {
    String key = "mp-" + algorithm + "-" + type;
    byte[] one = data(PART);
    byte[] two = data(1000);
    var created =
        sdk.createMultipartUpload(
            b -> b.bucket(BUCKET).key(key).checksumAlgorithm(algorithm).checksumType(type));
    assertThat(created.checksumAlgorithm()).isEqualTo(algorithm);
    assertThat(created.checksumType()).isEqualTo(type);
    String id = created.uploadId();
    List<CompletedPart> parts = new ArrayList<>();
    int n = 1;
    for (byte[] data : new byte[][] {one, two}) {
      String value = checksum(algorithm, data);
      UploadPartRequest.Builder b = part(key, id, n).toBuilder();
      if (algorithm == ChecksumAlgorithm.CRC64_NVME) {
        withValue(b, algorithm, value); // the SDK computes CRC64NVME only with the native CRT
      } else {
        b.checksumAlgorithm(algorithm); // computed by the SDK, sent as a trailer
      }
      UploadPartResponse r = sdk.uploadPart(b.build(), RequestBody.fromBytes(data));
      assertThat(value(r, algorithm)).isEqualTo(value);
      CompletedPart.Builder c = CompletedPart.builder().partNumber(n).eTag(r.eTag());
      partValue(c, algorithm, value);
      parts.add(c.build());
      n++;
    }
    ListPartsResponse listed = sdk.listParts(b -> b.bucket(BUCKET).key(key).uploadId(id));
    assertThat(listed.checksumAlgorithm()).isEqualTo(algorithm);
    assertThat(listed.checksumType()).isEqualTo(type);
    assertThat(listed.parts())
        .extracting(p -> value(p, algorithm))
        .containsExactly(checksum(algorithm, one), checksum(algorithm, two));

    String expected =
        type == ChecksumType.COMPOSITE
            ? checksum(
                algorithm, concat(raw(checksum(algorithm, one)), raw(checksum(algorithm, two))))
            : checksum(algorithm, concat(one, two));
    String shown = type == ChecksumType.COMPOSITE ? expected + "-2" : expected;
    CompleteMultipartUploadResponse done =
        sdk.completeMultipartUpload(
            b -> b.bucket(BUCKET).key(key).uploadId(id).multipartUpload(m -> m.parts(parts)));
    assertThat(value(done, algorithm)).isEqualTo(shown);
    assertThat(done.checksumType()).isEqualTo(type);

    HeadObjectResponse head =
        sdk.headObject(b -> b.bucket(BUCKET).key(key).checksumMode(ChecksumMode.ENABLED));
    assertThat(value(head, algorithm)).isEqualTo(shown);
    assertThat(head.checksumType()).isEqualTo(type);
    if (algorithm != ChecksumAlgorithm.CRC64_NVME) {
      // The SDK validates a full-object checksum on GET (and skips composite ones).
      ResponseBytes<GetObjectResponse> got =
          sdk.getObjectAsBytes(b -> b.bucket(BUCKET).key(key).checksumMode(ChecksumMode.ENABLED));
      assertThat(got.asByteArray()).isEqualTo(concat(one, two));
      assertThat(value(got.response(), algorithm)).isEqualTo(shown);
    }

    GetObjectAttributesResponse a =
        sdk.getObjectAttributes(
            b ->
                b.bucket(BUCKET)
                    .key(key)
                    .objectAttributes(
                        ObjectAttributes.CHECKSUM,
                        ObjectAttributes.OBJECT_PARTS,
                        ObjectAttributes.OBJECT_SIZE,
                        ObjectAttributes.E_TAG));
    assertThat(a.objectSize()).isEqualTo(one.length + two.length);
    assertThat(a.eTag()).isEqualTo(done.eTag().replace("\"", ""));
    assertThat(a.checksum().checksumType()).isEqualTo(type);
    assertThat(a.objectParts().totalPartsCount()).isEqualTo(2);
    assertThat(a.objectParts().parts())
        .extracting(ObjectPart::size)
        .containsExactly((long) one.length, (long) two.length);
    assertThat(a.objectParts().parts())
        .extracting(p -> value(p, algorithm))
        .containsExactly(checksum(algorithm, one), checksum(algorithm, two));
  }

  @Test
  void completeChecksThePartsAndTheObjectChecksumAndStoresNothingOnAMismatch() {
    String key = "complete-checks";
    byte[] one = data(PART);
    byte[] two = data(10);
    String id =
        sdk.createMultipartUpload(
                b -> b.bucket(BUCKET).key(key).checksumAlgorithm(ChecksumAlgorithm.SHA256))
            .uploadId();
    List<UploadPartResponse> uploaded = new ArrayList<>();
    int n = 1;
    for (byte[] data : new byte[][] {one, two}) {
      int number = n++;
      uploaded.add(
          sdk.uploadPart(
              part(key, id, number).toBuilder().checksumAlgorithm(ChecksumAlgorithm.SHA256).build(),
              RequestBody.fromBytes(data)));
    }
    Consumer<List<CompletedPart>> complete =
        parts ->
            sdk.completeMultipartUpload(
                b -> b.bucket(BUCKET).key(key).uploadId(id).multipartUpload(m -> m.parts(parts)));
    // COMPOSITE: Complete must name every part's checksum ...
    assertThatThrownBy(
            () ->
                complete.accept(
                    List.of(
                        CompletedPart.builder().partNumber(1).eTag(uploaded.get(0).eTag()).build(),
                        CompletedPart.builder()
                            .partNumber(2)
                            .eTag(uploaded.get(1).eTag())
                            .build())))
        .isInstanceOfSatisfying(
            S3Exception.class,
            e -> assertThat(e.awsErrorDetails().errorCode()).isEqualTo("InvalidRequest"));
    // ... and the right one.
    assertThatThrownBy(
            () ->
                complete.accept(
                    List.of(
                        completed(1, uploaded.get(0).eTag(), uploaded.get(1).checksumSHA256()),
                        completed(2, uploaded.get(1).eTag(), uploaded.get(1).checksumSHA256()))))
        .isInstanceOfSatisfying(
            S3Exception.class,
            e -> assertThat(e.awsErrorDetails().errorCode()).isEqualTo("InvalidPart"));
    // A declared object checksum must match, and then nothing is stored.
    List<CompletedPart> good =
        List.of(
            completed(1, uploaded.get(0).eTag(), uploaded.get(0).checksumSHA256()),
            completed(2, uploaded.get(1).eTag(), uploaded.get(1).checksumSHA256()));
    assertThatThrownBy(
            () ->
                sdk.completeMultipartUpload(
                    b ->
                        b.bucket(BUCKET)
                            .key(key)
                            .uploadId(id)
                            .checksumSHA256(uploaded.get(0).checksumSHA256())
                            .multipartUpload(m -> m.parts(good))))
        .isInstanceOfSatisfying(
            S3Exception.class,
            e -> assertThat(e.awsErrorDetails().errorCode()).isEqualTo("BadDigest"));
    assertThatThrownBy(() -> sdk.headObject(b -> b.bucket(BUCKET).key(key)))
        .isInstanceOfSatisfying(S3Exception.class, e -> assertThat(e.statusCode()).isEqualTo(404));
    // A Complete of another checksum type is refused.
    assertThatThrownBy(
            () ->
                sdk.completeMultipartUpload(
                    b ->
                        b.bucket(BUCKET)
                            .key(key)
                            .uploadId(id)
                            .checksumType(ChecksumType.FULL_OBJECT)
                            .multipartUpload(m -> m.parts(good))))
        .isInstanceOfSatisfying(
            S3Exception.class,
            e -> assertThat(e.awsErrorDetails().errorCode()).isEqualTo("InvalidRequest"));
    complete.accept(good);
    assertThat(sdk.getObjectAsBytes(b -> b.bucket(BUCKET).key(key)).asByteArray())
        .isEqualTo(concat(one, two));
  }

  @Test
  void uploadPartMustUseTheUploadsAlgorithm() {
    String key = "part-algorithm";
    String id =
        sdk.createMultipartUpload(
                b -> b.bucket(BUCKET).key(key).checksumAlgorithm(ChecksumAlgorithm.CRC32))
            .uploadId();
    byte[] data = data(100);
    assertThatThrownBy(
            () ->
                sdk.uploadPart(
                    part(key, id, 1).toBuilder().checksumAlgorithm(ChecksumAlgorithm.SHA1).build(),
                    RequestBody.fromBytes(data)))
        .isInstanceOfSatisfying(
            S3Exception.class,
            e -> {
              assertThat(e.awsErrorDetails().errorCode()).isEqualTo("InvalidRequest");
              assertThat(e.awsErrorDetails().errorMessage()).contains("Checksum Type mismatch");
            });
    // COMPOSITE needs every part's checksum.
    assertThatThrownBy(() -> whenRequired.uploadPart(part(key, id, 1), RequestBody.fromBytes(data)))
        .isInstanceOfSatisfying(
            S3Exception.class,
            e -> assertThat(e.awsErrorDetails().errorCode()).isEqualTo("InvalidRequest"));
    sdk.abortMultipartUpload(b -> b.bucket(BUCKET).key(key).uploadId(id));
  }

  @Test
  void createRefusesTypesTheAlgorithmDoesNotHave() {
    assertThatThrownBy(
            () ->
                sdk.createMultipartUpload(
                    b ->
                        b.bucket(BUCKET)
                            .key("bad-type")
                            .checksumAlgorithm(ChecksumAlgorithm.SHA1)
                            .checksumType(ChecksumType.FULL_OBJECT)))
        .isInstanceOfSatisfying(
            S3Exception.class,
            e -> assertThat(e.awsErrorDetails().errorCode()).isEqualTo("InvalidRequest"));
    assertThatThrownBy(
            () ->
                sdk.createMultipartUpload(
                    b -> b.bucket(BUCKET).key("bad-type").checksumType(ChecksumType.COMPOSITE)))
        .isInstanceOfSatisfying(
            S3Exception.class,
            e -> assertThat(e.awsErrorDetails().errorCode()).isEqualTo("InvalidRequest"));
  }

  // ---- helpers

  private static UploadPartRequest part(String key, String uploadId, int number) {
    return UploadPartRequest.builder()
        .bucket(BUCKET)
        .key(key)
        .uploadId(uploadId)
        .partNumber(number)
        .build();
  }

  private static CompletedPart completed(int number, String etag, String sha256) {
    return CompletedPart.builder().partNumber(number).eTag(etag).checksumSHA256(sha256).build();
  }

  static byte[] concat(byte[] a, byte[] b) {
    byte[] out = new byte[a.length + b.length];
    System.arraycopy(a, 0, out, 0, a.length);
    System.arraycopy(b, 0, out, a.length, b.length);
    return out;
  }

  private static byte[] raw(String base64) {
    return Base64.getDecoder().decode(base64);
  }

  /**
   * Independent computations (the JDK's; CRC64NVME from the gateway's class, checked elsewhere).
   */
  static String checksum(ChecksumAlgorithm algorithm, byte[] data) {
    try {
      return switch (algorithm) {
        case CRC32 -> crc32(data);
        case CRC32_C -> {
          CRC32C c = new CRC32C();
          c.update(data);
          yield Base64.getEncoder()
              .encodeToString(ByteBuffer.allocate(4).putInt((int) c.getValue()).array());
        }
        case SHA1 ->
            Base64.getEncoder().encodeToString(MessageDigest.getInstance("SHA-1").digest(data));
        case SHA256 ->
            Base64.getEncoder().encodeToString(MessageDigest.getInstance("SHA-256").digest(data));
        case CRC64_NVME -> {
          Crc64Nvme c = new Crc64Nvme();
          c.update(data, 0, data.length);
          yield Base64.getEncoder()
              .encodeToString(ByteBuffer.allocate(8).putLong(c.getValue()).array());
        }
        default -> throw new IllegalArgumentException(algorithm.toString());
      };
    } catch (java.security.NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  private static void withValue(UploadPartRequest.Builder b, ChecksumAlgorithm a, String v) {
    switch (a) {
      case CRC32 -> b.checksumCRC32(v);
      case CRC32_C -> b.checksumCRC32C(v);
      case SHA1 -> b.checksumSHA1(v);
      case SHA256 -> b.checksumSHA256(v);
      case CRC64_NVME -> b.checksumCRC64NVME(v);
      default -> throw new IllegalArgumentException(a.toString());
    }
  }

  private static void partValue(CompletedPart.Builder b, ChecksumAlgorithm a, String v) {
    switch (a) {
      case CRC32 -> b.checksumCRC32(v);
      case CRC32_C -> b.checksumCRC32C(v);
      case SHA1 -> b.checksumSHA1(v);
      case SHA256 -> b.checksumSHA256(v);
      case CRC64_NVME -> b.checksumCRC64NVME(v);
      default -> throw new IllegalArgumentException(a.toString());
    }
  }

  /** The value of {@code algorithm} on any SDK response or part carrying checksums. */
  private static String value(Object r, ChecksumAlgorithm a) {
    String method =
        switch (a) {
          case CRC32 -> "checksumCRC32";
          case CRC32_C -> "checksumCRC32C";
          case SHA1 -> "checksumSHA1";
          case SHA256 -> "checksumSHA256";
          case CRC64_NVME -> "checksumCRC64NVME";
          default -> throw new IllegalArgumentException(a.toString());
        };
    try {
      return (String) r.getClass().getMethod(method).invoke(r);
    } catch (ReflectiveOperationException e) {
      throw new IllegalStateException(e);
    }
  }
}
