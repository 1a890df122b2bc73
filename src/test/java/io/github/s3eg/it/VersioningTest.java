package io.github.s3eg.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.tuple;

import io.github.s3eg.backend.ReservedKeys;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.BucketVersioningStatus;
import software.amazon.awssdk.services.s3.model.CompletedPart;
import software.amazon.awssdk.services.s3.model.DeleteObjectResponse;
import software.amazon.awssdk.services.s3.model.DeleteObjectsResponse;
import software.amazon.awssdk.services.s3.model.HeadObjectResponse;
import software.amazon.awssdk.services.s3.model.ListObjectVersionsResponse;
import software.amazon.awssdk.services.s3.model.NoSuchKeyException;
import software.amazon.awssdk.services.s3.model.ObjectIdentifier;
import software.amazon.awssdk.services.s3.model.ObjectVersion;
import software.amazon.awssdk.services.s3.model.S3Exception;

/**
 * Versioned buckets through the gateway, on Ceph RGW: every write is its own encrypted version,
 * readable by its id after newer ones (multipart objects too: each version finds its own index),
 * listed with the sizes and ETags clients saw, deleted alone (with only its own records), restored
 * by copying; and the backend holds nothing but ciphertext of any of them.
 */
class VersioningTest {

  private static CephBackend ceph;
  private static GatewayFixture gateway;
  private static S3Client client;
  private static S3Client backend;

  @BeforeAll
  static void start() throws Exception {
    ceph = CephBackend.shared();
    gateway = GatewayFixture.startOn(ceph, Map.of());
    client = gateway.defaultClient();
    backend = ceph.directClient();
  }

  @AfterAll
  static void stop() throws Exception {
    if (gateway != null) {
      client.close();
      backend.close();
      gateway.close();
    }
  }

  static byte[] random(int size, long seed) {
    byte[] data = new byte[size];
    new Random(seed).nextBytes(data);
    return data;
  }

  static String md5Hex(byte[] data) throws Exception {
    return HexFormat.of().formatHex(MessageDigest.getInstance("MD5").digest(data));
  }

  static String put(S3Client s3, String bucket, String key, byte[] body) {
    return s3.putObject(b -> b.bucket(bucket).key(key), RequestBody.fromBytes(body)).versionId();
  }

  /** A two-part upload (5 MiB + the rest): its version id and the ETag the client got. */
  static String[] multipart(S3Client s3, String bucket, String key, byte[] body) {
    int first = 5 * 1024 * 1024;
    String id = s3.createMultipartUpload(b -> b.bucket(bucket).key(key)).uploadId();
    List<CompletedPart> parts = new ArrayList<>();
    byte[][] bodies = {Arrays.copyOf(body, first), Arrays.copyOfRange(body, first, body.length)};
    for (int n = 1; n <= 2; n++) {
      int number = n;
      String etag =
          s3.uploadPart(
                  b -> b.bucket(bucket).key(key).uploadId(id).partNumber(number),
                  RequestBody.fromBytes(bodies[number - 1]))
              .eTag();
      parts.add(CompletedPart.builder().partNumber(number).eTag(etag).build());
    }
    var done =
        s3.completeMultipartUpload(
            b -> b.bucket(bucket).key(key).uploadId(id).multipartUpload(m -> m.parts(parts)));
    return new String[] {done.versionId(), done.eTag()};
  }

  static byte[] get(String bucket, String key, String versionId) {
    return client
        .getObjectAsBytes(b -> b.bucket(bucket).key(key).versionId(versionId))
        .asByteArray();
  }

  private static String newVersionedBucket(String purpose) {
    String bucket = ceph.newBucket(purpose);
    client.putBucketVersioning(
        b ->
            b.bucket(bucket)
                .versioningConfiguration(v -> v.status(BucketVersioningStatus.ENABLED)));
    return bucket;
  }

  @Test
  void bucketVersioningIsSetAndReadThroughTheGateway() {
    String bucket = ceph.newBucket("gw-versioning-state");
    assertThat(client.getBucketVersioning(b -> b.bucket(bucket)).status()).isNull();
    client.putBucketVersioning(
        b ->
            b.bucket(bucket)
                .versioningConfiguration(v -> v.status(BucketVersioningStatus.ENABLED)));
    assertThat(client.getBucketVersioning(b -> b.bucket(bucket)).status())
        .isEqualTo(BucketVersioningStatus.ENABLED);
    assertThat(backend.getBucketVersioning(b -> b.bucket(bucket)).status())
        .isEqualTo(BucketVersioningStatus.ENABLED);
    client.putBucketVersioning(
        b ->
            b.bucket(bucket)
                .versioningConfiguration(v -> v.status(BucketVersioningStatus.SUSPENDED)));
    assertThat(client.getBucketVersioning(b -> b.bucket(bucket)).status())
        .isEqualTo(BucketVersioningStatus.SUSPENDED);
  }

  @Test
  void everyVersionIsReadableByItsIdAfterNewerOnes() throws Exception {
    String bucket = newVersionedBucket("gw-versions");
    byte[] one = random(300_001, 1);
    byte[] two = random(70_000, 2);
    byte[] three = random(5 * 1024 * 1024 + 1234, 3);
    byte[] four = random(5 * 1024 * 1024 + 99, 4);
    String v1 = put(client, bucket, "k", one);
    String v2 = put(client, bucket, "k", two);
    String[] v3 = multipart(client, bucket, "k", three);
    String[] v4 = multipart(client, bucket, "k", four);

    assertThat(List.of(v1, v2, v3[0], v4[0])).doesNotContainNull().doesNotHaveDuplicates();
    assertThat(get(bucket, "k", null)).isEqualTo(four);
    assertThat(get(bucket, "k", v1)).isEqualTo(one);
    assertThat(get(bucket, "k", v2)).isEqualTo(two);
    // An older multipart version keeps its own index, though the key has a newer one.
    assertThat(get(bucket, "k", v3[0])).isEqualTo(three);
    byte[] range =
        client
            .getObjectAsBytes(
                b -> b.bucket(bucket).key("k").versionId(v3[0]).range("bytes=5242000-5242999"))
            .asByteArray();
    assertThat(range).isEqualTo(Arrays.copyOfRange(three, 5_242_000, 5_243_000));

    HeadObjectResponse head = client.headObject(b -> b.bucket(bucket).key("k").versionId(v1));
    assertThat(head.versionId()).isEqualTo(v1);
    assertThat(head.contentLength()).isEqualTo(one.length);
    assertThat(head.eTag()).isEqualTo("\"" + md5Hex(one) + "\"");
    HeadObjectResponse old = client.headObject(b -> b.bucket(bucket).key("k").versionId(v3[0]));
    assertThat(old.contentLength()).isEqualTo(three.length);
    assertThat(old.eTag()).isEqualTo(v3[1]);
    assertThat(client.getObject(b -> b.bucket(bucket).key("k")).response().versionId())
        .isEqualTo(v4[0]);
    var attributes =
        client.getObjectAttributes(
            b ->
                b.bucket(bucket)
                    .key("k")
                    .versionId(v3[0])
                    .objectAttributes(
                        software.amazon.awssdk.services.s3.model.ObjectAttributes.OBJECT_SIZE,
                        software.amazon.awssdk.services.s3.model.ObjectAttributes.E_TAG));
    assertThat(attributes.objectSize()).isEqualTo(three.length);
    assertThat("\"" + attributes.eTag() + "\"").isEqualTo(v3[1]);
  }

  @Test
  void listObjectVersionsShowsPlaintextSizesAndTheEtagsClientsSaw() throws Exception {
    String bucket = newVersionedBucket("gw-list-versions");
    byte[] one = random(100_000, 11);
    byte[] two = random(5 * 1024 * 1024 + 7, 12);
    byte[] other = random(10, 13);
    String v1 = put(client, bucket, "doc", one);
    String[] v2 = multipart(client, bucket, "doc", two);
    String v3 = put(client, bucket, "other", other);
    DeleteObjectResponse marker = client.deleteObject(b -> b.bucket(bucket).key("other"));

    ListObjectVersionsResponse listed = client.listObjectVersions(b -> b.bucket(bucket));
    assertThat(listed.versions())
        .extracting(
            ObjectVersion::key,
            ObjectVersion::versionId,
            ObjectVersion::isLatest,
            ObjectVersion::size,
            ObjectVersion::eTag)
        .containsExactly(
            tuple("doc", v2[0], true, (long) two.length, v2[1]),
            tuple("doc", v1, false, (long) one.length, "\"" + md5Hex(one) + "\""),
            tuple("other", v3, false, (long) other.length, "\"" + md5Hex(other) + "\""));
    assertThat(listed.deleteMarkers())
        .singleElement()
        .satisfies(
            m -> {
              assertThat(m.key()).isEqualTo("other");
              assertThat(m.versionId()).isEqualTo(marker.versionId());
              assertThat(m.isLatest()).isTrue();
            });
    // The backend holds the gateway's records of the multipart version beside it; never shown.
    assertThat(backend.listObjectVersions(b -> b.bucket(bucket)).versions())
        .anyMatch(v -> ReservedKeys.isReserved(v.key()));
    assertThat(listed.versions()).noneMatch(v -> ReservedKeys.isReserved(v.key()));

    // Pages of one entry end on entries the client sees, and go through every version.
    List<String> paged = new ArrayList<>();
    String keyMarker = null;
    String versionMarker = null;
    do {
      String km = keyMarker;
      String vm = versionMarker;
      ListObjectVersionsResponse page =
          client.listObjectVersions(
              b -> b.bucket(bucket).maxKeys(1).keyMarker(km).versionIdMarker(vm));
      page.versions().forEach(v -> paged.add(v.versionId()));
      page.deleteMarkers().forEach(m -> paged.add(m.versionId()));
      keyMarker = page.isTruncated() ? page.nextKeyMarker() : null;
      versionMarker = page.isTruncated() ? page.nextVersionIdMarker() : null;
    } while (keyMarker != null);
    assertThat(paged).containsExactlyInAnyOrder(v1, v2[0], v3, marker.versionId());
  }

  @Test
  void aDeleteWithoutVersionLeavesEveryVersionReadable() throws Exception {
    String bucket = newVersionedBucket("gw-marker");
    byte[] one = random(5 * 1024 * 1024 + 5, 21);
    String[] v1 = multipart(client, bucket, "k", one);
    DeleteObjectResponse deleted = client.deleteObject(b -> b.bucket(bucket).key("k"));

    assertThat(deleted.deleteMarker()).isTrue();
    assertThat(deleted.versionId()).isNotNull().isNotEqualTo(v1[0]);
    // As S3 answers (Ceph RGW itself says only 404): the marker is named.
    assertThatThrownBy(() -> client.getObject(b -> b.bucket(bucket).key("k")))
        .isInstanceOfSatisfying(
            NoSuchKeyException.class,
            e -> {
              var headers = e.awsErrorDetails().sdkHttpResponse();
              assertThat(headers.firstMatchingHeader("x-amz-delete-marker")).contains("true");
              assertThat(headers.firstMatchingHeader("x-amz-version-id"))
                  .contains(deleted.versionId());
            });
    assertThatThrownBy(
            () -> client.headObject(b -> b.bucket(bucket).key("k").versionId(deleted.versionId())))
        .isInstanceOfSatisfying(
            S3Exception.class,
            e -> {
              assertThat(e.statusCode()).isEqualTo(405);
              assertThat(
                      e.awsErrorDetails()
                          .sdkHttpResponse()
                          .firstMatchingHeader("x-amz-delete-marker"))
                  .contains("true");
            });
    // The multipart version's index and records stayed (no delete marker over them either): it
    // is still readable.
    assertThat(
            backend
                .listObjectVersions(b -> b.bucket(bucket).prefix(ReservedKeys.PREFIX))
                .deleteMarkers())
        .isEmpty();
    assertThat(get(bucket, "k", v1[0])).isEqualTo(one);
    // Deleting the marker brings it back.
    client.deleteObject(b -> b.bucket(bucket).key("k").versionId(deleted.versionId()));
    assertThat(get(bucket, "k", null)).isEqualTo(one);
  }

  @Test
  void deletingAVersionDeletesOnlyThatVersionAndItsOwnRecords() throws Exception {
    String bucket = newVersionedBucket("gw-delete-version");
    byte[] one = random(5 * 1024 * 1024 + 1, 31);
    byte[] two = random(5 * 1024 * 1024 + 2, 32);
    byte[] three = random(1000, 33);
    String[] v1 = multipart(client, bucket, "k", one);
    String[] v2 = multipart(client, bucket, "k", two);
    String v3 = put(client, bucket, "k", three);
    int recordsBefore = reservedVersions(bucket);

    var deleted = client.deleteObject(b -> b.bucket(bucket).key("k").versionId(v1[0]));
    assertThat(deleted.versionId()).isEqualTo(v1[0]);
    assertThatThrownBy(() -> get(bucket, "k", v1[0])).isInstanceOf(S3Exception.class);
    assertThat(get(bucket, "k", v2[0])).isEqualTo(two);
    assertThat(get(bucket, "k", null)).isEqualTo(three);
    // v1's index went with it; v2's stayed.
    assertThat(reservedVersions(bucket)).isEqualTo(recordsBefore - 1);

    DeleteObjectsResponse batch =
        client.deleteObjects(
            b ->
                b.bucket(bucket)
                    .delete(
                        d ->
                            d.objects(
                                ObjectIdentifier.builder().key("k").versionId(v2[0]).build())));
    assertThat(batch.deleted())
        .singleElement()
        .satisfies(o -> assertThat(o.versionId()).isEqualTo(v2[0]));
    assertThat(reservedVersions(bucket)).isEqualTo(recordsBefore - 2);
    assertThat(client.listObjectVersions(b -> b.bucket(bucket)).versions())
        .extracting(ObjectVersion::versionId)
        .containsExactly(v3);
  }

  private static int reservedVersions(String bucket) {
    return (int)
        backend
            .listObjectVersions(b -> b.bucket(bucket).prefix(ReservedKeys.PREFIX))
            .versions()
            .stream()
            .filter(v -> v.key().startsWith(ReservedKeys.PREFIX + "index/"))
            .count();
  }

  @Test
  void copyingAnOldVersionOverTheKeyRestoresIt() throws Exception {
    String bucket = newVersionedBucket("gw-restore");
    byte[] good = random(200_000, 41);
    byte[] goodParts = random(5 * 1024 * 1024 + 3, 42);
    String v1 = put(client, bucket, "single", good);
    put(client, bucket, "single", "bad".getBytes(StandardCharsets.UTF_8));
    String[] m1 = multipart(client, bucket, "parts", goodParts);
    put(client, bucket, "parts", "bad".getBytes(StandardCharsets.UTF_8));

    var restored =
        client.copyObject(
            b ->
                b.sourceBucket(bucket)
                    .sourceKey("single")
                    .sourceVersionId(v1)
                    .destinationBucket(bucket)
                    .destinationKey("single"));
    assertThat(restored.copySourceVersionId()).isEqualTo(v1);
    assertThat(restored.versionId()).isNotNull().isNotEqualTo(v1);
    assertThat(get(bucket, "single", null)).isEqualTo(good);
    assertThat(get(bucket, "single", restored.versionId())).isEqualTo(good);

    var restoredParts =
        client.copyObject(
            b ->
                b.sourceBucket(bucket)
                    .sourceKey("parts")
                    .sourceVersionId(m1[0])
                    .destinationBucket(bucket)
                    .destinationKey("parts"));
    assertThat(get(bucket, "parts", null)).isEqualTo(goodParts);
    assertThat(restoredParts.versionId()).isNotNull();
    // The restored copy is an upload of its own: deleting its source version leaves it whole.
    client.deleteObject(b -> b.bucket(bucket).key("parts").versionId(m1[0]));
    assertThat(get(bucket, "parts", null)).isEqualTo(goodParts);
    assertThat(client.headObject(b -> b.bucket(bucket).key("parts")).eTag()).isEqualTo(m1[1]);
  }

  @Test
  void aLargePutWithoutContentMd5IsOneVersionWithThePlaintextEtag() throws Exception {
    String bucket = newVersionedBucket("gw-one-version");
    byte[] large = random(1024 * 1024 + 17, 51); // beyond the spool limit, so not in memory
    String version;
    try (S3Client plain = gateway.whenRequiredClient()) { // sends no Content-MD5
      version =
          plain.putObject(b -> b.bucket(bucket).key("k"), RequestBody.fromBytes(large)).versionId();
    }
    assertThat(backend.listObjectVersions(b -> b.bucket(bucket)).versions())
        .extracting(ObjectVersion::versionId)
        .containsExactly(version);
    assertThat(client.headObject(b -> b.bucket(bucket).key("k")).eTag())
        .isEqualTo("\"" + md5Hex(large) + "\"");
  }

  @Test
  void everyMultipartVersionShowsItsOwnChecksum() {
    String bucket = newVersionedBucket("gw-version-sums");
    String[] versions = new String[2];
    String[] checksums = new String[2];
    for (int i = 0; i < 2; i++) {
      byte[] body = random(5 * 1024 * 1024 + i, 60 + i);
      String id =
          client
              .createMultipartUpload(
                  b ->
                      b.bucket(bucket)
                          .key("k")
                          .checksumAlgorithm(
                              software.amazon.awssdk.services.s3.model.ChecksumAlgorithm.CRC32))
              .uploadId();
      var part =
          client.uploadPart(
              b ->
                  b.bucket(bucket)
                      .key("k")
                      .uploadId(id)
                      .partNumber(1)
                      .checksumAlgorithm(
                          software.amazon.awssdk.services.s3.model.ChecksumAlgorithm.CRC32),
              RequestBody.fromBytes(body));
      var done =
          client.completeMultipartUpload(
              b ->
                  b.bucket(bucket)
                      .key("k")
                      .uploadId(id)
                      .multipartUpload(
                          m ->
                              m.parts(
                                  p ->
                                      p.partNumber(1)
                                          .eTag(part.eTag())
                                          .checksumCRC32(part.checksumCRC32()))));
      versions[i] = done.versionId();
      checksums[i] = done.checksumCRC32();
    }
    assertThat(checksums[0]).isNotNull().isNotEqualTo(checksums[1]);
    for (int i = 0; i < 2; i++) {
      String v = versions[i];
      // The key's checksum record name now holds the newer version's: the older one's is found
      // among that name's versions.
      assertThat(
              client
                  .headObject(
                      b ->
                          b.bucket(bucket)
                              .key("k")
                              .versionId(v)
                              .checksumMode(
                                  software.amazon.awssdk.services.s3.model.ChecksumMode.ENABLED))
                  .checksumCRC32())
          .isEqualTo(checksums[i]);
    }
    // Deleting the newer version takes its checksum record's version, and only that: the older
    // version still shows its own checksum, and the current one is that older version.
    assertThat(checksumVersions(bucket)).isEqualTo(2);
    client.deleteObject(b -> b.bucket(bucket).key("k").versionId(versions[1]));
    assertThat(checksumVersions(bucket)).isEqualTo(1);
    assertThat(
            client
                .headObject(
                    b ->
                        b.bucket(bucket)
                            .key("k")
                            .checksumMode(
                                software.amazon.awssdk.services.s3.model.ChecksumMode.ENABLED))
                .checksumCRC32())
        .isEqualTo(checksums[0]);
  }

  private static long checksumVersions(String bucket) {
    return backend
        .listObjectVersions(b -> b.bucket(bucket).prefix(ReservedKeys.PREFIX + "sums/"))
        .versions()
        .size();
  }

  @Test
  void theBackendHoldsOnlyCiphertextOfEveryVersion() {
    String bucket = newVersionedBucket("gw-version-cipher");
    String secret = "the plaintext of a version, never to reach the backend ";
    put(client, bucket, "s", secret.repeat(100).getBytes(StandardCharsets.UTF_8));
    put(client, bucket, "s", (secret + "again ").repeat(100).getBytes(StandardCharsets.UTF_8));
    multipart(client, bucket, "s", (secret.repeat(100_000)).getBytes(StandardCharsets.UTF_8));

    ListObjectVersionsResponse stored = backend.listObjectVersions(b -> b.bucket(bucket));
    assertThat(stored.versions()).hasSizeGreaterThanOrEqualTo(3);
    for (ObjectVersion v : stored.versions()) {
      byte[] bytes =
          backend
              .getObjectAsBytes(b -> b.bucket(bucket).key(v.key()).versionId(v.versionId()))
              .asByteArray();
      assertThat(new String(bytes, StandardCharsets.ISO_8859_1))
          .as("%s version %s", v.key(), v.versionId())
          .doesNotContain("the plaintext of a version");
    }
  }

  @Test
  void aVersionIdOnAnOperationThatCannotHonourItIsRefused() {
    String bucket = newVersionedBucket("gw-version-refused");
    String v1 = put(client, bucket, "k", new byte[] {1});
    assertThatThrownBy(
            () ->
                client.putObject(
                    b ->
                        b.bucket(bucket)
                            .key("k")
                            .overrideConfiguration(o -> o.putRawQueryParameter("versionId", v1)),
                    RequestBody.fromBytes(new byte[] {2})))
        .isInstanceOfSatisfying(S3Exception.class, e -> assertThat(e.statusCode()).isEqualTo(400));
    assertThat(get(bucket, "k", null)).containsExactly(1);
  }
}
