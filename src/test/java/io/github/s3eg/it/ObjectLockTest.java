package io.github.s3eg.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.github.s3eg.backend.ReservedKeys;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.DeleteObjectsResponse;
import software.amazon.awssdk.services.s3.model.HeadObjectResponse;
import software.amazon.awssdk.services.s3.model.ObjectIdentifier;
import software.amazon.awssdk.services.s3.model.ObjectLockEnabled;
import software.amazon.awssdk.services.s3.model.ObjectLockLegalHoldStatus;
import software.amazon.awssdk.services.s3.model.ObjectLockMode;
import software.amazon.awssdk.services.s3.model.ObjectLockRetentionMode;
import software.amazon.awssdk.services.s3.model.ObjectVersion;
import software.amazon.awssdk.services.s3.model.S3Exception;

/**
 * Object Lock through the gateway, on Ceph RGW (which enforces it): a locked version survives
 * DELETE and overwrite and stays readable; the backend's refusals reach the client unchanged; lock
 * settings the backend drops on multipart uploads and copies are applied by the gateway; and the
 * gateway's own records of a locked version (a multipart object's index) are locked with it, so no
 * one can make a locked object unreadable by deleting them.
 */
class ObjectLockTest {

  @TempDir static Path dir;

  private static CephBackend ceph;
  private static GatewayFixture gateway;
  private static S3Client client;
  private static S3Client writer;
  private static S3Client backend;

  @BeforeAll
  static void start() throws Exception {
    ceph = CephBackend.shared();
    Path credentials = dir.resolve("credentials.yaml");
    Files.writeString(
        credentials,
        "credentials:\n  - accessKey: writer\n    secretKey: writer-secret-12345\n"
            + "    buckets: [\"*\"]\n    permission: write\n");
    gateway = GatewayFixture.startOn(ceph, Map.of("AUTH_CREDENTIALS_FILE", credentials.toString()));
    client = gateway.defaultClient();
    writer =
        gateway
            .clientBuilder()
            .credentialsProvider(
                StaticCredentialsProvider.create(
                    AwsBasicCredentials.create("writer", "writer-secret-12345")))
            .build();
    backend = ceph.directClient();
  }

  @AfterAll
  static void stop() throws Exception {
    if (gateway != null) {
      client.close();
      writer.close();
      backend.close();
      gateway.close();
    }
  }

  private static Instant inOneHour() {
    return Instant.now().plus(1, ChronoUnit.HOURS).truncatedTo(ChronoUnit.SECONDS);
  }

  private static String lockBucketThroughGateway(String purpose) {
    String bucket = purpose + "-" + Long.toString(System.nanoTime(), 36);
    client.createBucket(b -> b.bucket(bucket).objectLockEnabledForBucket(true));
    return bucket;
  }

  private static byte[] get(String bucket, String key, String versionId) {
    return client
        .getObjectAsBytes(b -> b.bucket(bucket).key(key).versionId(versionId))
        .asByteArray();
  }

  private static int status(Runnable call) {
    try {
      call.run();
      return 200;
    } catch (S3Exception e) {
      return e.statusCode();
    }
  }

  /** The versions of the gateway's index records in {@code bucket}, read at the backend. */
  private static List<ObjectVersion> indexVersions(String bucket) {
    return backend
        .listObjectVersions(b -> b.bucket(bucket).prefix(ReservedKeys.PREFIX + "index/"))
        .versions();
  }

  @Test
  void aBucketCreatedWithObjectLockThroughTheGatewayTakesALockConfiguration() {
    String bucket = lockBucketThroughGateway("gw-lock-config");
    assertThat(
            client
                .getObjectLockConfiguration(b -> b.bucket(bucket))
                .objectLockConfiguration()
                .objectLockEnabled())
        .isEqualTo(ObjectLockEnabled.ENABLED);
    client.putObjectLockConfiguration(
        b ->
            b.bucket(bucket)
                .objectLockConfiguration(
                    c ->
                        c.objectLockEnabled(ObjectLockEnabled.ENABLED)
                            .rule(
                                r ->
                                    r.defaultRetention(
                                        d -> d.mode(ObjectLockRetentionMode.GOVERNANCE).days(1)))));
    var read = client.getObjectLockConfiguration(b -> b.bucket(bucket)).objectLockConfiguration();
    assertThat(read.rule().defaultRetention().mode()).isEqualTo(ObjectLockRetentionMode.GOVERNANCE);
    assertThat(read.rule().defaultRetention().days()).isEqualTo(1);
    // Versioning came with Object Lock, and cannot be suspended (the backend says so).
    assertThat(client.getBucketVersioning(b -> b.bucket(bucket)).statusAsString())
        .isEqualTo("Enabled");
  }

  @Test
  void aLockedVersionSurvivesDeleteAndOverwriteAndStaysReadable() {
    String bucket = lockBucketThroughGateway("gw-locked");
    byte[] original = "kept for an hour, whatever happens".getBytes(StandardCharsets.UTF_8);
    String locked =
        client
            .putObject(
                b ->
                    b.bucket(bucket)
                        .key("k")
                        .objectLockMode(ObjectLockMode.COMPLIANCE)
                        .objectLockRetainUntilDate(inOneHour()),
                RequestBody.fromBytes(original))
            .versionId();
    HeadObjectResponse head = client.headObject(b -> b.bucket(bucket).key("k"));
    assertThat(head.objectLockMode()).isEqualTo(ObjectLockMode.COMPLIANCE);
    assertThat(head.versionId()).isEqualTo(locked);

    // DELETE of the version: the backend refuses, and the client hears its AccessDenied.
    assertThatThrownBy(() -> client.deleteObject(b -> b.bucket(bucket).key("k").versionId(locked)))
        .isInstanceOfSatisfying(
            S3Exception.class,
            e -> {
              assertThat(e.statusCode()).isEqualTo(403);
              assertThat(e.awsErrorDetails().errorCode()).isEqualTo("AccessDenied");
            });
    DeleteObjectsResponse batch =
        client.deleteObjects(
            b ->
                b.bucket(bucket)
                    .delete(
                        d ->
                            d.objects(
                                ObjectIdentifier.builder().key("k").versionId(locked).build())));
    assertThat(batch.errors())
        .singleElement()
        .satisfies(e -> assertThat(e.code()).isEqualTo("AccessDenied"));
    // DELETE without a version only hides it; an overwrite only adds a version.
    assertThat(client.deleteObject(b -> b.bucket(bucket).key("k")).deleteMarker()).isTrue();
    client.putObject(b -> b.bucket(bucket).key("k"), RequestBody.fromString("overwritten"));
    assertThat(get(bucket, "k", null)).asString(StandardCharsets.UTF_8).isEqualTo("overwritten");
    assertThat(get(bucket, "k", locked)).isEqualTo(original);
  }

  @Test
  void aMultipartUploadGetsItsLockAndItsIndexIsLockedWithIt() {
    String bucket = lockBucketThroughGateway("gw-lock-multipart");
    Instant until = inOneHour();
    String id =
        client
            .createMultipartUpload(
                b ->
                    b.bucket(bucket)
                        .key("big")
                        .objectLockMode(ObjectLockMode.GOVERNANCE)
                        .objectLockRetainUntilDate(until)
                        .objectLockLegalHoldStatus(ObjectLockLegalHoldStatus.ON))
            .uploadId();
    byte[] body = VersioningTest.random(5 * 1024 * 1024 + 10, 7);
    String etag =
        client
            .uploadPart(
                b -> b.bucket(bucket).key("big").uploadId(id).partNumber(1),
                RequestBody.fromBytes(body))
            .eTag();
    String version =
        client
            .completeMultipartUpload(
                b ->
                    b.bucket(bucket)
                        .key("big")
                        .uploadId(id)
                        .multipartUpload(m -> m.parts(p -> p.partNumber(1).eTag(etag))))
            .versionId();

    // Ceph RGW drops lock settings on CreateMultipartUpload; the gateway set them after Complete.
    var retention =
        client.getObjectRetention(b -> b.bucket(bucket).key("big").versionId(version)).retention();
    assertThat(retention.mode()).isEqualTo(ObjectLockRetentionMode.GOVERNANCE);
    assertThat(retention.retainUntilDate()).isEqualTo(until);
    assertThat(
            client
                .getObjectLegalHold(b -> b.bucket(bucket).key("big").versionId(version))
                .legalHold()
                .status())
        .isEqualTo(ObjectLockLegalHoldStatus.ON);

    // The index of that version is locked as long: deleting it at the backend is refused too.
    ObjectVersion index = indexVersions(bucket).get(0);
    HeadObjectResponse indexHead =
        backend.headObject(b -> b.bucket(bucket).key(index.key()).versionId(index.versionId()));
    assertThat(indexHead.objectLockRetainUntilDate()).isAfterOrEqualTo(until);
    assertThat(indexHead.objectLockLegalHoldStatus()).isEqualTo(ObjectLockLegalHoldStatus.ON);
    assertThat(
            status(
                () ->
                    backend.deleteObject(
                        b -> b.bucket(bucket).key(index.key()).versionId(index.versionId()))))
        .isEqualTo(403);
    assertThat(get(bucket, "big", version)).isEqualTo(body);
  }

  @Test
  void aRetentionOrLegalHoldSetLaterCoversTheRecordsAndCanBeReleased() {
    String bucket = lockBucketThroughGateway("gw-lock-later");
    byte[] body = VersioningTest.random(5 * 1024 * 1024 + 20, 8);
    String[] v = VersioningTest.multipart(client, bucket, "k", body);
    ObjectVersion index = indexVersions(bucket).get(0);

    client.putObjectLegalHold(
        b -> b.bucket(bucket).key("k").versionId(v[0]).legalHold(h -> h.status("ON")));
    assertThat(
            backend
                .headObject(b -> b.bucket(bucket).key(index.key()).versionId(index.versionId()))
                .objectLockLegalHoldStatus())
        .isEqualTo(ObjectLockLegalHoldStatus.ON);
    assertThat(status(() -> client.deleteObject(b -> b.bucket(bucket).key("k").versionId(v[0]))))
        .isEqualTo(403);

    Instant until = inOneHour();
    client.putObjectRetention(
        b ->
            b.bucket(bucket)
                .key("k")
                .versionId(v[0])
                .retention(r -> r.mode(ObjectLockRetentionMode.GOVERNANCE).retainUntilDate(until)));
    assertThat(
            backend
                .headObject(b -> b.bucket(bucket).key(index.key()).versionId(index.versionId()))
                .objectLockRetainUntilDate())
        .isEqualTo(until);

    // Released: the hold goes (version first, then its records) ...
    client.putObjectLegalHold(
        b -> b.bucket(bucket).key("k").versionId(v[0]).legalHold(h -> h.status("OFF")));
    // ... a write key cannot bypass governance retention, an admin key can: then the version
    // and its records go.
    assertThat(
            status(
                () ->
                    writer.deleteObject(
                        b ->
                            b.bucket(bucket)
                                .key("k")
                                .versionId(v[0])
                                .bypassGovernanceRetention(true))))
        .isEqualTo(403);
    client.deleteObject(
        b -> b.bucket(bucket).key("k").versionId(v[0]).bypassGovernanceRetention(true));
    assertThat(indexVersions(bucket)).isEmpty();
  }

  @Test
  void theDefaultRetentionCoversTheRecordsAsLongAsTheObject() {
    String bucket = lockBucketThroughGateway("gw-lock-default");
    client.putObjectLockConfiguration(
        b ->
            b.bucket(bucket)
                .objectLockConfiguration(
                    c ->
                        c.objectLockEnabled(ObjectLockEnabled.ENABLED)
                            .rule(
                                r ->
                                    r.defaultRetention(
                                        d -> d.mode(ObjectLockRetentionMode.GOVERNANCE).days(1)))));
    String[] v =
        VersioningTest.multipart(
            client, bucket, "k", VersioningTest.random(5 * 1024 * 1024 + 30, 9));
    Instant objectUntil =
        client
            .headObject(b -> b.bucket(bucket).key("k").versionId(v[0]))
            .objectLockRetainUntilDate();
    assertThat(objectUntil).isNotNull();
    ObjectVersion index = indexVersions(bucket).get(0);
    assertThat(
            backend
                .headObject(b -> b.bucket(bucket).key(index.key()).versionId(index.versionId()))
                .objectLockRetainUntilDate())
        .isAfterOrEqualTo(objectUntil);
  }

  @Test
  void uploadsIntoALockedBucketCarryTheMd5OfTheirCiphertext() {
    String bucket = lockBucketThroughGateway("gw-lock-md5");
    byte[] large = VersioningTest.random(1024 * 1024 + 3, 10);
    gateway.probe().reset();
    // A whole-body upload larger than the spool limit (256 KiB), without Content-MD5 from the
    // client: the gateway spools its ciphertext to send its MD5.
    try (S3Client plain = gateway.whenRequiredClient()) {
      plain.putObject(b -> b.bucket(bucket).key("large"), RequestBody.fromBytes(large));
      String id = plain.createMultipartUpload(b -> b.bucket(bucket).key("parts")).uploadId();
      plain.uploadPart(
          b -> b.bucket(bucket).key("parts").uploadId(id).partNumber(1),
          RequestBody.fromBytes(large));
    }
    List<CountingProxy.SeenRequest> uploads =
        gateway.probe().requests().stream()
            .filter(
                r ->
                    r.method().equals("PUT") && r.target().contains("/large")
                        || r.method().equals("PUT") && r.target().contains("partNumber=1"))
            .toList();
    assertThat(uploads).hasSize(2).allSatisfy(r -> assertThat(r.header("Content-MD5")).isNotNull());
    // The backend checks a Content-MD5 it is given: the object is whole.
    assertThat(get(bucket, "large", null)).isEqualTo(large);
  }

  @Test
  void aPutWithLockSettingsAndEveryRecordCarryAnIntegrityChecksum() {
    String bucket = lockBucketThroughGateway("gw-lock-checksums");
    gateway.probe().reset();
    Instant until = inOneHour();
    byte[] small = VersioningTest.random(1000, 11);
    String version;
    try (S3Client plain = gateway.whenRequiredClient()) {
      // The client sends no checksum (S3 would want one with lock settings): the gateway's
      // upload of the ciphertext carries one.
      version =
          plain
              .putObject(
                  b ->
                      b.bucket(bucket)
                          .key("locked")
                          .objectLockMode(ObjectLockMode.GOVERNANCE)
                          .objectLockRetainUntilDate(until),
                  RequestBody.fromBytes(small))
              .versionId();
      VersioningTest.multipart(plain, bucket, "parts", VersioningTest.random(5 * 1024 * 1024, 12));
    }
    // Every body the gateway uploaded: the objects, the part, and its own records under .s3eg/
    // (upload record, index). Sub-resource calls (?retention) are the SDK's, with its checksum.
    List<CountingProxy.SeenRequest> bodies =
        gateway.probe().requests().stream()
            .filter(r -> r.method().equals("PUT"))
            .filter(r -> !r.target().contains("?") || r.target().contains("partNumber="))
            .filter(r -> r.header("x-amz-copy-source") == null)
            .toList();
    assertThat(bodies)
        .extracting(CountingProxy.SeenRequest::target)
        .anyMatch(t -> t.contains("/locked"))
        .anyMatch(t -> t.contains("/.s3eg/uploads/"))
        .anyMatch(t -> t.contains("/.s3eg/index/"));
    assertThat(bodies)
        .allSatisfy(r -> assertThat(r.header("Content-MD5")).as(r.target()).isNotNull());
    assertThat(
            client
                .getObjectRetention(b -> b.bucket(bucket).key("locked").versionId(version))
                .retention()
                .retainUntilDate())
        .isEqualTo(until);
    assertThat(get(bucket, "locked", version)).isEqualTo(small);
  }

  @Test
  void aCopyGetsTheLockItAsksForThoughTheBackendIgnoresIt() {
    String bucket = lockBucketThroughGateway("gw-lock-copy");
    client.putObject(b -> b.bucket(bucket).key("src"), RequestBody.fromString("source"));
    Instant until = inOneHour();
    var copied =
        client.copyObject(
            b ->
                b.sourceBucket(bucket)
                    .sourceKey("src")
                    .destinationBucket(bucket)
                    .destinationKey("dst")
                    .objectLockMode(ObjectLockMode.GOVERNANCE)
                    .objectLockRetainUntilDate(until));
    assertThat(copied.versionId()).isNotNull();
    var retention =
        client
            .getObjectRetention(b -> b.bucket(bucket).key("dst").versionId(copied.versionId()))
            .retention();
    assertThat(retention.mode()).isEqualTo(ObjectLockRetentionMode.GOVERNANCE);
    assertThat(retention.retainUntilDate()).isEqualTo(until);
    assertThat(get(bucket, "dst", null)).asString(StandardCharsets.UTF_8).isEqualTo("source");
  }
}
