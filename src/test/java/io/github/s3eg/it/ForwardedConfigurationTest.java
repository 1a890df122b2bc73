package io.github.s3eg.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.BucketCannedACL;
import software.amazon.awssdk.services.s3.model.ExpirationStatus;
import software.amazon.awssdk.services.s3.model.LifecycleRule;
import software.amazon.awssdk.services.s3.model.ObjectCannedACL;
import software.amazon.awssdk.services.s3.model.Permission;
import software.amazon.awssdk.services.s3.model.S3Exception;
import software.amazon.awssdk.services.s3.model.Type;

/**
 * Bucket configuration and ACLs forwarded to an S3Proxy backend (which implements object ACLs and
 * answers 501 or fakes an empty answer for most of the rest; what it does is measured in
 * docs/s3-compatibility.md). What S3Proxy lacks is tested against Ceph RGW in {@link
 * CephForwardedConfigurationTest}. Here: what the gateway itself decides (the setting, permissions,
 * reserved keys, ACL headers on writes, the guarded DELETE) and that the backend's own answers
 * reach the client unchanged.
 */
class ForwardedConfigurationTest {

  private static final String BUCKET = "config";

  @TempDir static Path dir;

  private static GatewayFixture fixture;
  private static S3Client admin;
  private static S3Client direct;

  @BeforeAll
  static void start() throws Exception {
    Path credentials = dir.resolve("credentials.yaml");
    Files.writeString(
        credentials,
        String.join(
            "\n",
            "credentials:",
            "  - accessKey: reader",
            "    secretKey: reader-secret-123456",
            "    buckets: [config]",
            "    permission: read",
            "  - accessKey: writer",
            "    secretKey: writer-secret-123456",
            "    buckets: [config]",
            "    permission: write",
            "  - accessKey: config-admin",
            "    secretKey: config-admin-secret-123456",
            "    buckets: [config]",
            "    permission: admin",
            ""));
    fixture = GatewayFixture.start(Map.of("AUTH_CREDENTIALS_FILE", credentials.toString()));
    admin = fixture.whenRequiredClient();
    direct = fixture.backend().directClient();
    admin.createBucket(b -> b.bucket(BUCKET));
    admin.createBucket(b -> b.bucket("elsewhere"));
  }

  @AfterAll
  static void stop() throws Exception {
    admin.close();
    direct.close();
    fixture.close();
  }

  @BeforeEach
  void resetProbe() {
    fixture.probe().reset();
  }

  private static S3Client as(String key, String secret) {
    return fixture
        .clientBuilder()
        .credentialsProvider(
            StaticCredentialsProvider.create(AwsBasicCredentials.create(key, secret)))
        .requestChecksumCalculation(
            software.amazon.awssdk.core.checksums.RequestChecksumCalculation.WHEN_REQUIRED)
        .build();
  }

  private static S3Exception refusal(Runnable call) {
    try {
      call.run();
    } catch (S3Exception e) {
      return e;
    }
    throw new AssertionError("expected an S3 error");
  }

  @Test
  void aCannedAclOnAnUploadReachesTheBackendAndReadsBackThroughTheGateway() {
    admin.putObject(
        b -> b.bucket(BUCKET).key("public").acl(ObjectCannedACL.PUBLIC_READ),
        RequestBody.fromString("for everyone"));

    var atBackend = direct.getObjectAcl(b -> b.bucket(BUCKET).key("public"));
    assertThat(atBackend.grants())
        .anySatisfy(
            g -> {
              assertThat(g.grantee().type()).isEqualTo(Type.GROUP);
              assertThat(g.grantee().uri()).endsWith("/global/AllUsers");
              assertThat(g.permission()).isEqualTo(Permission.READ);
            });
    var throughGateway = admin.getObjectAcl(b -> b.bucket(BUCKET).key("public"));
    assertThat(throughGateway.grants()).isEqualTo(atBackend.grants());
    assertThat(throughGateway.owner()).isEqualTo(atBackend.owner());
  }

  @Test
  void theBackendsAnswersAndRefusalsReachTheClientUnchanged() {
    // S3Proxy: no bucket policy (404 NoSuchPolicy), no CORS at all (501), canned ACLs but no
    // grants (501).
    S3Exception direct404 = refusal(() -> direct.getBucketPolicy(b -> b.bucket(BUCKET)));
    S3Exception gateway404 = refusal(() -> admin.getBucketPolicy(b -> b.bucket(BUCKET)));
    assertThat(gateway404.statusCode()).isEqualTo(direct404.statusCode()).isEqualTo(404);
    assertThat(gateway404.awsErrorDetails().errorCode())
        .isEqualTo(direct404.awsErrorDetails().errorCode())
        .isEqualTo("NoSuchPolicy");

    S3Exception cors = refusal(() -> admin.getBucketCors(b -> b.bucket(BUCKET)));
    assertThat(cors.statusCode()).isEqualTo(501);
    assertThat(cors.awsErrorDetails().errorCode()).isEqualTo("NotImplemented");

    S3Exception acl =
        refusal(
            () ->
                admin.putBucketAcl(
                    b ->
                        b.bucket(BUCKET)
                            .grantRead("uri=\"http://acs.amazonaws.com/groups/global/AllUsers\"")));
    assertThat(acl.statusCode()).isEqualTo(501);
    assertThat(fixture.probe().requests())
        .extracting(r -> r.method() + " " + r.target())
        .contains("GET /config?policy=", "GET /config?cors=", "PUT /config?acl=");
  }

  @Test
  void deletingASubresourceTheBackendTakesForDeleteBucketNeverDeletesTheBucket() {
    // S3Proxy reads DELETE /bucket?policy as DeleteBucket: forwarded blindly, this would delete
    // the empty bucket.
    admin.createBucket(b -> b.bucket("empty-one"));

    S3Exception e = refusal(() -> admin.deleteBucketPolicy(b -> b.bucket("empty-one")));

    assertThat(e.statusCode()).isEqualTo(501);
    assertThat(e.awsErrorDetails().errorCode()).isEqualTo("NotImplemented");
    direct.headBucket(b -> b.bucket("empty-one"));
    assertThat(direct.listObjectsV2(b -> b.bucket("empty-one")).contents())
        .as("the guard record is gone")
        .isEmpty();
    admin.deleteBucket(b -> b.bucket("empty-one"));
  }

  @Test
  void aPolicyOrLifecycleRuleNamingTheReservedKeysIsRefusedBeforeTheBackend() {
    String policy =
        "{\"Version\":\"2012-10-17\",\"Statement\":[{\"Effect\":\"Deny\",\"Principal\":\"*\","
            + "\"Action\":\"s3:GetObject\",\"Resource\":[\"arn:aws:s3:::config/*.txt\","
            + "\"arn:aws:s3:::config/.s3eg/index/*\"]}]}";
    S3Exception p = refusal(() -> admin.putBucketPolicy(b -> b.bucket(BUCKET).policy(policy)));
    assertThat(p.statusCode()).isEqualTo(403);
    assertThat(p.awsErrorDetails().errorMessage()).contains(".s3eg/");

    S3Exception l =
        refusal(
            () ->
                admin.putBucketLifecycleConfiguration(
                    b ->
                        b.bucket(BUCKET)
                            .lifecycleConfiguration(
                                c ->
                                    c.rules(
                                        LifecycleRule.builder()
                                            .id("sweep")
                                            .status(ExpirationStatus.ENABLED)
                                            .filter(f -> f.prefix(".s3"))
                                            .expiration(x -> x.days(1))
                                            .build()))));
    assertThat(l.statusCode()).isEqualTo(403);
    assertThat(l.awsErrorDetails().errorMessage()).contains("sweep");

    S3Exception malformed =
        refusal(() -> admin.putBucketPolicy(b -> b.bucket(BUCKET).policy("not json")));
    assertThat(malformed.awsErrorDetails().errorCode()).isEqualTo("MalformedPolicy");
    assertThat(fixture.probe().requests()).isEmpty();
  }

  @Test
  void permissionsFollowTheRequestsMethod() {
    admin.putObject(b -> b.bucket(BUCKET).key("doc"), RequestBody.fromString("doc"));
    try (S3Client reader = as("reader", "reader-secret-123456");
        S3Client writer = as("writer", "writer-secret-123456")) {
      // read: GET of any configuration
      reader.getBucketAcl(b -> b.bucket(BUCKET));
      reader.getObjectAcl(b -> b.bucket(BUCKET).key("doc"));
      assertThat(
              refusal(
                      () ->
                          reader.putObjectAcl(
                              b -> b.bucket(BUCKET).key("doc").acl(ObjectCannedACL.PUBLIC_READ)))
                  .statusCode())
          .isEqualTo(403);
      // write: an object's ACL (as with x-amz-acl on its upload), not the bucket's configuration
      writer.putObjectAcl(b -> b.bucket(BUCKET).key("doc").acl(ObjectCannedACL.PRIVATE));
      fixture.probe().reset();
      assertThat(
              refusal(
                      () ->
                          writer.putBucketAcl(
                              b -> b.bucket(BUCKET).acl(BucketCannedACL.PUBLIC_READ)))
                  .statusCode())
          .isEqualTo(403);
      assertThat(refusal(() -> writer.deleteBucketPolicy(b -> b.bucket(BUCKET))).statusCode())
          .isEqualTo(403);
      // Another bucket than the key's: refused whatever the permission.
      assertThat(refusal(() -> reader.getBucketAcl(b -> b.bucket("elsewhere"))).statusCode())
          .isEqualTo(403);
      assertThat(fixture.probe().requests()).isEmpty();
    }
  }

  @Test
  void loggingToABucketTheKeyMayNotWriteIsRefused() {
    try (S3Client configAdmin = as("config-admin", "config-admin-secret-123456")) {
      S3Exception e =
          refusal(
              () ->
                  configAdmin.putBucketLogging(
                      b ->
                          b.bucket(BUCKET)
                              .bucketLoggingStatus(
                                  s ->
                                      s.loggingEnabled(
                                          l ->
                                              l.targetBucket("elsewhere").targetPrefix("logs/")))));
      assertThat(e.statusCode()).isEqualTo(403);
      assertThat(fixture.probe().requests()).isEmpty();
      // Its own bucket: forwarded (S3Proxy has no logging: 501 from the backend).
      S3Exception own =
          refusal(
              () ->
                  configAdmin.putBucketLogging(
                      b ->
                          b.bucket(BUCKET)
                              .bucketLoggingStatus(
                                  s ->
                                      s.loggingEnabled(
                                          l -> l.targetBucket(BUCKET).targetPrefix("logs/")))));
      assertThat(own.statusCode()).isEqualTo(501);
      assertThat(fixture.probe().requests()).hasSize(1);
    }
  }

  @Test
  void withoutForwardingEverySubresourceIsNotImplementedAndNothingReachesTheBackend()
      throws Exception {
    try (GatewayFixture none = GatewayFixture.start(Map.of("SUBRESOURCES_FORWARDED", "none"));
        S3Client client = none.whenRequiredClient()) {
      client.createBucket(b -> b.bucket("bbb"));
      client.putObject(b -> b.bucket("bbb").key("k"), RequestBody.fromString("x"));
      none.probe().reset();
      List<Runnable> calls =
          List.of(
              () -> client.getBucketAcl(b -> b.bucket("bbb")),
              () -> client.getObjectAcl(b -> b.bucket("bbb").key("k")),
              () -> client.getBucketPolicy(b -> b.bucket("bbb")),
              () -> client.getBucketPolicyStatus(b -> b.bucket("bbb")),
              () -> client.deleteBucketCors(b -> b.bucket("bbb")),
              () -> client.getBucketLifecycleConfiguration(b -> b.bucket("bbb")),
              () -> client.getBucketEncryption(b -> b.bucket("bbb")),
              () -> client.getBucketOwnershipControls(b -> b.bucket("bbb")),
              () -> client.getPublicAccessBlock(b -> b.bucket("bbb")),
              () -> client.getBucketNotificationConfiguration(b -> b.bucket("bbb")),
              () -> client.getBucketLogging(b -> b.bucket("bbb")),
              () -> client.getBucketWebsite(b -> b.bucket("bbb")),
              () -> client.getBucketRequestPayment(b -> b.bucket("bbb")),
              // ACL headers beyond the default
              () ->
                  client.putObject(
                      b -> b.bucket("bbb").key("k2").acl(ObjectCannedACL.PUBLIC_READ),
                      RequestBody.fromString("x")),
              () ->
                  client.createBucket(
                      b ->
                          b.bucket("ccc")
                              .objectOwnership(
                                  software.amazon.awssdk.services.s3.model.ObjectOwnership
                                      .BUCKET_OWNER_ENFORCED)));
      for (Runnable call : calls) {
        S3Exception e = refusal(call);
        assertThat(e.statusCode()).isEqualTo(501);
        assertThat(e.awsErrorDetails().errorCode()).isEqualTo("NotImplemented");
      }
      assertThat(none.probe().requests()).isEmpty();
      // The default ACL, which several clients send on every upload, still works.
      client.putObject(
          b -> b.bucket("bbb").key("k3").acl(ObjectCannedACL.PRIVATE), RequestBody.fromString("x"));
    }
    try (GatewayFixture aclOnly = GatewayFixture.start(Map.of("SUBRESOURCES_FORWARDED", "acl"));
        S3Client client = aclOnly.whenRequiredClient()) {
      client.createBucket(b -> b.bucket("bbb"));
      client.getBucketAcl(b -> b.bucket("bbb"));
      assertThat(refusal(() -> client.getBucketPolicy(b -> b.bucket("bbb"))).statusCode())
          .isEqualTo(501);
    }
  }

  @Test
  void aBadSettingStopsTheGatewayWithItsName() {
    assertThatThrownBy(
            () ->
                GatewayFixture.config(
                    fixture.backend(), Map.of("SUBRESOURCES_FORWARDED", "acl,versioning")))
        .hasMessageContaining("SUBRESOURCES_FORWARDED")
        .hasMessageContaining("versioning");
  }
}
