package io.github.s3eg.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import software.amazon.awssdk.core.ResponseBytes;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.CommonPrefix;
import software.amazon.awssdk.services.s3.model.CopyObjectResponse;
import software.amazon.awssdk.services.s3.model.Delete;
import software.amazon.awssdk.services.s3.model.DeleteObjectsResponse;
import software.amazon.awssdk.services.s3.model.GetObjectResponse;
import software.amazon.awssdk.services.s3.model.HeadObjectResponse;
import software.amazon.awssdk.services.s3.model.ListObjectsResponse;
import software.amazon.awssdk.services.s3.model.ListObjectsV2Response;
import software.amazon.awssdk.services.s3.model.MetadataDirective;
import software.amazon.awssdk.services.s3.model.ObjectIdentifier;
import software.amazon.awssdk.services.s3.model.S3Exception;
import software.amazon.awssdk.services.s3.model.S3Object;
import software.amazon.awssdk.utils.http.SdkHttpUtils;

/**
 * The S3 API through the gateway, driven by the AWS SDK for Java v2 in both of its body modes
 * (default: aws-chunked with CRC32 trailers; WHEN_REQUIRED: signed aws-chunked), against a real
 * S3Proxy backend.
 */
class S3ApiTest {

  private static GatewayFixture fixture;
  private static S3Client defaultClient;
  private static S3Client whenRequiredClient;

  @BeforeAll
  static void start() throws Exception {
    fixture = GatewayFixture.start(Map.of());
    defaultClient = fixture.defaultClient();
    whenRequiredClient = fixture.whenRequiredClient();
  }

  @AfterAll
  static void stop() throws Exception {
    defaultClient.close();
    whenRequiredClient.close();
    fixture.close();
  }

  /** Client modes by name: JUnit closes AutoCloseable arguments, so clients are looked up. */
  static Stream<String> clients() {
    return Stream.of("default", "when-required");
  }

  private static S3Client client(String mode) {
    return mode.equals("default") ? defaultClient : whenRequiredClient;
  }

  private static String bucket(S3Client s3, String name) {
    s3.createBucket(b -> b.bucket(name));
    return name;
  }

  private static byte[] random(int size, long seed) {
    byte[] data = new byte[size];
    new Random(seed).nextBytes(data);
    return data;
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("clients")
  void putAndGetRoundTripBytesHeadersAndMetadata(String mode) {
    S3Client s3 = client(mode);
    String bucket = bucket(s3, "rt-" + mode);
    byte[] data = random(200_001, 1);
    s3.putObject(
        b ->
            b.bucket(bucket)
                .key("doc.bin")
                .contentType("application/x-test")
                .contentDisposition("attachment; filename=\"doc.bin\"")
                .contentLanguage("de-CH")
                .cacheControl("max-age=60")
                .contentEncoding("identity")
                .expires(Instant.parse("2030-01-01T00:00:00Z"))
                .metadata(Map.of("color", "blue", "owner", "ünïcode ok")),
        RequestBody.fromBytes(data));

    ResponseBytes<GetObjectResponse> got =
        s3.getObjectAsBytes(b -> b.bucket(bucket).key("doc.bin"));
    assertThat(got.asByteArray()).isEqualTo(data);
    GetObjectResponse r = got.response();
    assertThat(r.contentType()).isEqualTo("application/x-test");
    assertThat(r.contentDisposition()).isEqualTo("attachment; filename=\"doc.bin\"");
    assertThat(r.contentLanguage()).isEqualTo("de-CH");
    assertThat(r.cacheControl()).isEqualTo("max-age=60");
    assertThat(r.contentEncoding()).isEqualTo("identity");
    assertThat(r.expires()).isEqualTo(Instant.parse("2030-01-01T00:00:00Z"));
    assertThat(r.metadata()).containsEntry("color", "blue").containsEntry("owner", "ünïcode ok");
    assertThat(r.contentLength()).isEqualTo(data.length);

    HeadObjectResponse head = s3.headObject(b -> b.bucket(bucket).key("doc.bin"));
    assertThat(head.contentLength()).isEqualTo(data.length);
    assertThat(head.eTag()).isEqualTo(r.eTag());
    assertThat(head.metadata()).containsEntry("color", "blue");
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("clients")
  void emptyObjectRoundTrips(String mode) {
    S3Client s3 = client(mode);
    String bucket = bucket(s3, "empty-" + mode);
    s3.putObject(b -> b.bucket(bucket).key("zero"), RequestBody.empty());
    assertThat(s3.getObjectAsBytes(b -> b.bucket(bucket).key("zero")).asByteArray()).isEmpty();
    assertThat(s3.headObject(b -> b.bucket(bucket).key("zero")).contentLength()).isZero();
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("clients")
  void oddKeysRoundTripExactly(String mode) {
    S3Client s3 = client(mode);
    String bucket = bucket(s3, "keys-" + mode);
    List<String> keys =
        List.of(
            "with space.txt",
            "plus+sign",
            "percent%20literal",
            "ünïcödé/✓/ファイル",
            "semi;colon=eq&amp",
            "tilde~(paren)",
            "quote'\"",
            "star*?question");
    for (String key : keys) {
      s3.putObject(b -> b.bucket(bucket).key(key), RequestBody.fromString("v:" + key));
    }
    for (String key : keys) {
      assertThat(s3.getObjectAsBytes(b -> b.bucket(bucket).key(key)).asUtf8String())
          .as(key)
          .isEqualTo("v:" + key);
    }
    List<String> listed =
        s3.listObjectsV2(b -> b.bucket(bucket)).contents().stream().map(S3Object::key).toList();
    assertThat(listed).containsExactlyInAnyOrderElementsOf(keys);
    List<String> listedV1 =
        s3.listObjects(b -> b.bucket(bucket).encodingType("url")).contents().stream()
            .map(S3Object::key)
            .toList();
    assertThat(listedV1).containsExactlyInAnyOrderElementsOf(keys);
  }

  /**
   * On a backend whose keys are opaque strings ({@code BACKEND_KEYS_ARE_PATHS=false}, e.g. AWS S3)
   * keys with {@code //} or {@code ..} segments, {@code ./} and a trailing {@code /} are passed on
   * exactly: the backend-side probe shows the request target the backend received. (S3Proxy, the
   * test backend, cannot store most of them: its HTTP layer normalises the path.) On a backend that
   * resolves keys like file paths (the default for {@code generic}: S3Proxy, the embedded store)
   * they are refused before the backend, since they would name another object there ({@code
   * KeySpellingsTest}); a trailing {@code /} (a folder marker) is not.
   */
  @Test
  void keysWithEmptyAndDotDotSegmentsReachAnOpaqueKeyBackendUnchanged() throws Exception {
    List<String> keys =
        List.of("a//double//slash", "../parent", "x/../y", "./dot", "x/./y", "trailing/");
    try (GatewayFixture opaque =
            GatewayFixture.startOn(fixture.backend(), Map.of("BACKEND_KEYS_ARE_PATHS", "false"));
        S3Client s3 = opaque.defaultClient()) {
      String bucket = bucket(s3, "segment-keys");
      for (String key : keys) {
        opaque.probe().reset();
        try {
          s3.putObject(b -> b.bucket(bucket).key(key), RequestBody.fromString("x"));
        } catch (S3Exception backendRefused) {
          assertThat(backendRefused.statusCode()).isGreaterThanOrEqualTo(500);
        }
        // The SDK writes "//" as "/%2F" so that no HTTP layer merges the slashes; S3 decodes it.
        assertThat(opaque.probe().requests())
            .extracting(r -> SdkHttpUtils.urlDecode(r.target()))
            .contains("/" + bucket + "/" + key);
      }
    }
    S3Client s3 = defaultClient;
    String bucket = bucket(s3, "segment-keys-paths");
    for (String key : keys) {
      fixture.probe().reset();
      if (key.equals("trailing/")) {
        s3.putObject(b -> b.bucket(bucket).key(key), RequestBody.fromString("x"));
        continue;
      }
      assertThatThrownBy(
              () -> s3.putObject(b -> b.bucket(bucket).key(key), RequestBody.fromString("x")))
          .isInstanceOfSatisfying(
              S3Exception.class,
              e -> assertThat(e.awsErrorDetails().errorCode()).isEqualTo("InvalidArgument"));
      assertThat(fixture.probe().requests()).isEmpty();
    }
  }

  @Test
  void rangesAsOnS3() {
    S3Client s3 = defaultClient;
    String bucket = bucket(s3, "ranges");
    byte[] data = random(100_000, 2);
    s3.putObject(b -> b.bucket(bucket).key("r"), RequestBody.fromBytes(data));

    assertRange(s3, bucket, "bytes=0-9", data, 0, 9);
    assertRange(s3, bucket, "bytes=99990-", data, 99_990, 99_999);
    assertRange(s3, bucket, "bytes=-5", data, 99_995, 99_999);
    assertRange(s3, bucket, "bytes=99000-200000", data, 99_000, 99_999);
    assertThatThrownBy(
            () -> s3.getObject(b -> b.bucket(bucket).key("r").range("bytes=100000-100010")))
        .isInstanceOfSatisfying(
            S3Exception.class,
            e -> {
              assertThat(e.statusCode()).isEqualTo(416);
              assertThat(e.awsErrorDetails().errorCode()).isEqualTo("InvalidRange");
            });
    // A header that is not a single byte range is ignored: the whole object comes back.
    ResponseBytes<GetObjectResponse> whole =
        s3.getObjectAsBytes(b -> b.bucket(bucket).key("r").range("bytes=0-1,5-6"));
    assertThat(whole.asByteArray()).isEqualTo(data);
  }

  /** HeadObject takes Range as S3 does: 206 with the range's length, 416 past the end. */
  @Test
  void headWithRangeAnswersTheRange() {
    S3Client s3 = defaultClient;
    String bucket = bucket(s3, "head-ranges");
    s3.putObject(b -> b.bucket(bucket).key("r"), RequestBody.fromBytes(random(100_000, 3)));

    HeadObjectResponse ranged = s3.headObject(b -> b.bucket(bucket).key("r").range("bytes=10-19"));
    assertThat(ranged.sdkHttpResponse().statusCode()).isEqualTo(206);
    assertThat(ranged.contentLength()).isEqualTo(10);
    assertThat(ranged.contentRange()).isEqualTo("bytes 10-19/100000");
    HeadObjectResponse suffix = s3.headObject(b -> b.bucket(bucket).key("r").range("bytes=-5"));
    assertThat(suffix.contentRange()).isEqualTo("bytes 99995-99999/100000");
    HeadObjectResponse whole = s3.headObject(b -> b.bucket(bucket).key("r"));
    assertThat(whole.sdkHttpResponse().statusCode()).isEqualTo(200);
    assertThat(whole.contentLength()).isEqualTo(100_000);
    assertThat(whole.contentRange()).isNull();
    assertThatThrownBy(() -> s3.headObject(b -> b.bucket(bucket).key("r").range("bytes=100000-")))
        .isInstanceOfSatisfying(S3Exception.class, e -> assertThat(e.statusCode()).isEqualTo(416));
  }

  private static void assertRange(
      S3Client s3, String bucket, String range, byte[] data, int first, int last) {
    ResponseBytes<GetObjectResponse> got =
        s3.getObjectAsBytes(b -> b.bucket(bucket).key("r").range(range));
    assertThat(got.asByteArray())
        .as(range)
        .isEqualTo(java.util.Arrays.copyOfRange(data, first, last + 1));
    assertThat(got.response().contentRange())
        .isEqualTo("bytes " + first + "-" + last + "/" + data.length);
    assertThat(got.response().contentLength()).isEqualTo(last - first + 1);
  }

  @Test
  void conditionalRequests() {
    S3Client s3 = defaultClient;
    String bucket = bucket(s3, "conditions");
    s3.putObject(b -> b.bucket(bucket).key("c"), RequestBody.fromString("conditional"));
    HeadObjectResponse head = s3.headObject(b -> b.bucket(bucket).key("c"));
    String etag = head.eTag();
    Instant modified = head.lastModified();

    assertThat(s3.getObjectAsBytes(b -> b.bucket(bucket).key("c").ifMatch(etag)).asUtf8String())
        .isEqualTo("conditional");
    assertStatus(
        () -> s3.getObject(b -> b.bucket(bucket).key("c").ifMatch("\"0000\"")),
        412,
        "PreconditionFailed");
    assertStatus(() -> s3.getObject(b -> b.bucket(bucket).key("c").ifNoneMatch(etag)), 304, null);
    assertStatus(
        () ->
            s3.getObject(b -> b.bucket(bucket).key("c").ifModifiedSince(modified.plusSeconds(60))),
        304,
        null);
    assertStatus(
        () ->
            s3.getObject(
                b -> b.bucket(bucket).key("c").ifUnmodifiedSince(modified.minusSeconds(3600))),
        412,
        "PreconditionFailed");
    assertStatus(() -> s3.headObject(b -> b.bucket(bucket).key("c").ifNoneMatch(etag)), 304, null);
    assertThat(
            s3.getObjectAsBytes(
                    b -> b.bucket(bucket).key("c").ifModifiedSince(modified.minusSeconds(3600)))
                .asUtf8String())
        .isEqualTo("conditional");
  }

  private static void assertStatus(Runnable call, int status, String code) {
    assertThatThrownBy(call::run)
        .isInstanceOfSatisfying(
            S3Exception.class,
            e -> {
              assertThat(e.statusCode()).isEqualTo(status);
              if (code != null) {
                assertThat(e.awsErrorDetails().errorCode()).isEqualTo(code);
              }
            });
  }

  @Test
  void copyObjectWithCopyAndReplaceDirectives() {
    S3Client s3 = defaultClient;
    String bucket = bucket(s3, "copies");
    s3.putObject(
        b -> b.bucket(bucket).key("src").contentType("text/plain").metadata(Map.of("k", "v")),
        RequestBody.fromString("copy me"));
    CopyObjectResponse copied =
        s3.copyObject(
            b ->
                b.sourceBucket(bucket)
                    .sourceKey("src")
                    .destinationBucket(bucket)
                    .destinationKey("dst/copy 1"));
    assertThat(copied.copyObjectResult().eTag()).isNotBlank();
    GetObjectResponse c1 = s3.getObject(b -> b.bucket(bucket).key("dst/copy 1")).response();
    assertThat(c1.contentType()).isEqualTo("text/plain");
    assertThat(c1.metadata()).containsEntry("k", "v");

    s3.copyObject(
        b ->
            b.sourceBucket(bucket)
                .sourceKey("src")
                .destinationBucket(bucket)
                .destinationKey("dst/copy2")
                .metadataDirective(MetadataDirective.REPLACE)
                .contentType("application/json")
                .metadata(Map.of("new", "yes")));
    ResponseBytes<GetObjectResponse> c2 =
        s3.getObjectAsBytes(b -> b.bucket(bucket).key("dst/copy2"));
    assertThat(c2.asUtf8String()).isEqualTo("copy me");
    assertThat(c2.response().contentType()).isEqualTo("application/json");
    assertThat(c2.response().metadata()).containsEntry("new", "yes").doesNotContainKey("k");

    assertStatus(
        () ->
            s3.copyObject(
                b ->
                    b.sourceBucket(bucket)
                        .sourceKey("missing")
                        .destinationBucket(bucket)
                        .destinationKey("x")),
        404,
        "NoSuchKey");
  }

  /** A copy from a bucket that does not exist names the bucket, as S3 does, not a missing key. */
  @Test
  void copyFromAMissingBucketAnswersNoSuchBucket() {
    S3Client s3 = defaultClient;
    String bucket = bucket(s3, "copy-missing-source");
    String upload = s3.createMultipartUpload(b -> b.bucket(bucket).key("part-copy")).uploadId();
    assertStatus(
        () ->
            s3.copyObject(
                b ->
                    b.sourceBucket("no-such-source-bucket")
                        .sourceKey("k")
                        .destinationBucket(bucket)
                        .destinationKey("x")),
        404,
        "NoSuchBucket");
    assertStatus(
        () ->
            s3.uploadPartCopy(
                b ->
                    b.sourceBucket("no-such-source-bucket")
                        .sourceKey("k")
                        .destinationBucket(bucket)
                        .destinationKey("part-copy")
                        .uploadId(upload)
                        .partNumber(1)),
        404,
        "NoSuchBucket");
    s3.abortMultipartUpload(b -> b.bucket(bucket).key("part-copy").uploadId(upload));
  }

  @Test
  void deleteObjectsAndDeleteObject() {
    S3Client s3 = defaultClient;
    String bucket = bucket(s3, "deletes");
    for (int i = 0; i < 5; i++) {
      int n = i;
      s3.putObject(b -> b.bucket(bucket).key("d" + n), RequestBody.fromString("x"));
    }
    DeleteObjectsResponse r =
        s3.deleteObjects(
            b ->
                b.bucket(bucket)
                    .delete(
                        Delete.builder()
                            .objects(
                                ObjectIdentifier.builder().key("d0").build(),
                                ObjectIdentifier.builder().key("d1").build())
                            .build()));
    assertThat(r.deleted()).extracting(d -> d.key()).containsExactlyInAnyOrder("d0", "d1");
    s3.deleteObject(b -> b.bucket(bucket).key("d2"));
    assertThat(s3.listObjectsV2(b -> b.bucket(bucket)).contents())
        .extracting(S3Object::key)
        .containsExactly("d3", "d4");
    assertStatus(() -> s3.deleteBucket(b -> b.bucket(bucket)), 409, "BucketNotEmpty");
  }

  @Test
  void listingPaginationPrefixesAndDelimiters() {
    S3Client s3 = defaultClient;
    String bucket = bucket(s3, "listing");
    List<String> keys = new ArrayList<>();
    for (int i = 0; i < 7; i++) {
      keys.add(String.format("photos/2024/img%02d.jpg", i));
    }
    keys.add("photos/2025/a.jpg");
    keys.add("docs/readme.md");
    keys.add("top.txt");
    for (String k : keys) {
      s3.putObject(b -> b.bucket(bucket).key(k), RequestBody.fromString(k));
    }

    ListObjectsV2Response root = s3.listObjectsV2(b -> b.bucket(bucket).delimiter("/"));
    assertThat(root.commonPrefixes())
        .extracting(CommonPrefix::prefix)
        .containsExactly("docs/", "photos/");
    assertThat(root.contents()).extracting(S3Object::key).containsExactly("top.txt");
    assertThat(root.contents().get(0).size()).isEqualTo("top.txt".length());

    List<String> paged = new ArrayList<>();
    String token = null;
    int pages = 0;
    do {
      String t = token;
      ListObjectsV2Response page =
          s3.listObjectsV2(b -> b.bucket(bucket).prefix("photos/").maxKeys(3).continuationToken(t));
      page.contents().forEach(o -> paged.add(o.key()));
      token = page.isTruncated() ? page.nextContinuationToken() : null;
      pages++;
    } while (token != null);
    assertThat(paged).hasSize(8).isSorted();
    assertThat(pages).isEqualTo(3);

    ListObjectsV2Response after =
        s3.listObjectsV2(b -> b.bucket(bucket).startAfter("photos/2025/a.jpg"));
    assertThat(after.contents()).extracting(S3Object::key).containsExactly("top.txt");

    List<String> v1 = new ArrayList<>();
    String marker = null;
    do {
      String m = marker;
      ListObjectsResponse page = s3.listObjects(b -> b.bucket(bucket).maxKeys(4).marker(m));
      page.contents().forEach(o -> v1.add(o.key()));
      marker = page.isTruncated() ? page.contents().get(page.contents().size() - 1).key() : null;
    } while (marker != null);
    assertThat(v1).containsExactlyElementsOf(keys.stream().sorted().toList());

    ListObjectsResponse v1Delim =
        s3.listObjects(b -> b.bucket(bucket).prefix("photos/").delimiter("/"));
    assertThat(v1Delim.commonPrefixes())
        .extracting(CommonPrefix::prefix)
        .containsExactly("photos/2024/", "photos/2025/");
  }

  @Test
  void bucketOperationsAndErrors() {
    S3Client s3 = defaultClient;
    s3.createBucket(b -> b.bucket("lifecycle-bucket"));
    s3.headBucket(b -> b.bucket("lifecycle-bucket"));
    assertThat(s3.listBuckets().buckets()).extracting(b -> b.name()).contains("lifecycle-bucket");
    assertThat(s3.getBucketLocation(b -> b.bucket("lifecycle-bucket")).locationConstraintAsString())
        .isEmpty();
    s3.deleteBucket(b -> b.bucket("lifecycle-bucket"));
    assertStatus(() -> s3.headBucket(b -> b.bucket("lifecycle-bucket")), 404, null);
    assertStatus(() -> s3.listObjectsV2(b -> b.bucket("no-such-bucket")), 404, "NoSuchBucket");
    assertStatus(() -> s3.getObject(b -> b.bucket("no-such-bucket").key("k")), 404, "NoSuchBucket");
    s3.createBucket(b -> b.bucket("errors-bucket"));
    assertStatus(
        () -> s3.getObject(b -> b.bucket("errors-bucket").key("missing")), 404, "NoSuchKey");
    assertStatus(() -> s3.headObject(b -> b.bucket("errors-bucket").key("missing")), 404, null);
    assertStatus(
        () ->
            s3.putObject(
                b -> b.bucket("errors-bucket").key("k").metadata(Map.of("big", "x".repeat(2100))),
                RequestBody.fromString("x")),
        400,
        "MetadataTooLarge");
    assertStatus(
        () -> s3.getObjectTorrent(b -> b.bucket("errors-bucket").key("k")), 501, "NotImplemented");
    assertStatus(
        () -> s3.listObjectsV2(b -> b.bucket("errors-bucket").maxKeys(-1)), 400, "InvalidArgument");
  }

  @Test
  void largeKeyIsRefused() {
    String key = "k".repeat(1025);
    assertStatus(
        () ->
            defaultClient.putObject(
                b -> b.bucket("errors-bucket2").key(key), RequestBody.fromString("x")),
        400,
        "KeyTooLongError");
  }
}
