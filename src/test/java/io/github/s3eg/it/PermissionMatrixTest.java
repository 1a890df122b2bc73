package io.github.s3eg.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.github.s3eg.it.CredentialsFile.Credential;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.BucketCannedACL;
import software.amazon.awssdk.services.s3.model.CORSRule;
import software.amazon.awssdk.services.s3.model.CompletedPart;
import software.amazon.awssdk.services.s3.model.ExpirationStatus;
import software.amazon.awssdk.services.s3.model.LifecycleRule;
import software.amazon.awssdk.services.s3.model.ObjectCannedACL;
import software.amazon.awssdk.services.s3.model.ObjectOwnership;
import software.amazon.awssdk.services.s3.model.OwnershipControlsRule;
import software.amazon.awssdk.services.s3.model.Payer;
import software.amazon.awssdk.services.s3.model.S3Exception;
import software.amazon.awssdk.services.s3.model.ServerSideEncryption;
import software.amazon.awssdk.services.s3.model.ServerSideEncryptionRule;

/**
 * The permission matrix of docs/security.md, row by row, with restricted credentials from a
 * credentials file: for every operation, a credential with exactly the permission the row names on
 * exactly the buckets it touches succeeds, and one that lacks it (a lower permission, the other
 * bucket, or the copy source's bucket) gets 403 AccessDenied without any request reaching the
 * backend. The rows here and the table in docs/security.md must be the same, and every operation
 * the gateway dispatches must have a row.
 */
class PermissionMatrixTest {

  /** A row of the matrix: the operation, what it touches, the permission needed there. */
  record Rule(String operation, String resource, String permission) {}

  /** What a client does, and whether it must be allowed. */
  record Case(String principal, boolean allowed, String what, Call call) {
    @Override
    public String toString() {
      return principal + (allowed ? " may " : " may not ") + what;
    }
  }

  @FunctionalInterface
  interface Call {
    void run(S3Client client, String principal) throws Exception;
  }

  private static final String SECRET = "-secret-0123456789";

  @TempDir static Path dir;
  private static GatewayFixture fixture;
  private static S3Client root;

  @BeforeAll
  static void start() throws Exception {
    Path credentials =
        CredentialsFile.write(
            dir.resolve("credentials.yaml"),
            List.of(
                entry("pub-read", List.of("pub"), "read"),
                entry("pub-write", List.of("pub"), "write"),
                entry("pub-admin", List.of("pub", "scratch"), "admin"),
                entry("both-write", List.of("pub", "secret"), "write"),
                entry("all-read", List.of("*"), "read"),
                entry("root", List.of("*"), "admin")));
    fixture =
        GatewayFixture.start(
            Map.of(
                "AUTH_CREDENTIALS_FILE",
                credentials.toString(),
                "AUDIT_ENABLED",
                "true",
                "AUDIT_FILE",
                dir.resolve("audit.log").toString()));
    root = client("root");
    root.createBucket(b -> b.bucket("pub"));
    root.createBucket(b -> b.bucket("secret"));
    root.putObject(b -> b.bucket("pub").key("doc"), RequestBody.fromString("public"));
    root.putObject(b -> b.bucket("secret").key("s.txt"), RequestBody.fromString("secret text"));
  }

  @AfterAll
  static void stop() throws Exception {
    root.close();
    fixture.close();
  }

  private static Credential entry(String key, List<String> buckets, String permission) {
    return new Credential(key, key + SECRET, buckets, permission);
  }

  private static S3Client client(String principal) {
    return fixture.client(principal, principal + SECRET);
  }

  /** The matrix as docs/security.md states it. */
  static final List<Rule> RULES =
      List.of(
          new Rule("ListBuckets", "service", "read"),
          new Rule("AuditEvents", "every bucket", "admin"),
          new Rule("Metrics", "every bucket", "read"),
          new Rule("HealthDetails", "every bucket", "read"),
          new Rule("HeadBucket", "bucket", "read"),
          new Rule("GetBucketLocation", "bucket", "read"),
          new Rule("ListObjects", "bucket", "read"),
          new Rule("ListObjectsV2", "bucket", "read"),
          new Rule("ListMultipartUploads", "bucket", "read"),
          new Rule("CreateBucket", "bucket", "admin"),
          new Rule("DeleteBucket", "bucket", "admin"),
          new Rule("Rewrap", "bucket", "admin"),
          new Rule("Scrub", "bucket", "admin"),
          new Rule("ScrubStatus", "bucket", "admin"),
          new Rule("DeleteObjects", "bucket", "write"),
          new Rule("GetBucketAcl", "bucket", "read"),
          new Rule("GetBucketPolicy", "bucket", "read"),
          new Rule("GetBucketPolicyStatus", "bucket", "read"),
          new Rule("GetBucketCors", "bucket", "read"),
          new Rule("GetBucketLifecycleConfiguration", "bucket", "read"),
          new Rule("GetBucketEncryption", "bucket", "read"),
          new Rule("GetBucketOwnershipControls", "bucket", "read"),
          new Rule("GetPublicAccessBlock", "bucket", "read"),
          new Rule("GetBucketNotificationConfiguration", "bucket", "read"),
          new Rule("GetBucketLogging", "bucket", "read"),
          new Rule("GetBucketWebsite", "bucket", "read"),
          new Rule("GetBucketRequestPayment", "bucket", "read"),
          new Rule("PutBucketAcl", "bucket", "admin"),
          new Rule("PutBucketPolicy", "bucket", "admin"),
          new Rule("DeleteBucketPolicy", "bucket", "admin"),
          new Rule("PutBucketCors", "bucket", "admin"),
          new Rule("DeleteBucketCors", "bucket", "admin"),
          new Rule("PutBucketLifecycleConfiguration", "bucket", "admin"),
          new Rule("DeleteBucketLifecycle", "bucket", "admin"),
          new Rule("PutBucketEncryption", "bucket", "admin"),
          new Rule("DeleteBucketEncryption", "bucket", "admin"),
          new Rule("PutBucketOwnershipControls", "bucket", "admin"),
          new Rule("DeleteBucketOwnershipControls", "bucket", "admin"),
          new Rule("PutPublicAccessBlock", "bucket", "admin"),
          new Rule("DeletePublicAccessBlock", "bucket", "admin"),
          new Rule("PutBucketNotificationConfiguration", "bucket", "admin"),
          new Rule("PutBucketLogging", "bucket", "admin"),
          new Rule("PutBucketWebsite", "bucket", "admin"),
          new Rule("DeleteBucketWebsite", "bucket", "admin"),
          new Rule("PutBucketRequestPayment", "bucket", "admin"),
          new Rule("PutBucketLogging", "logging target", "write"),
          new Rule("GetObjectAcl", "object", "read"),
          new Rule("PutObjectAcl", "object", "write"),
          new Rule("GetObject", "object", "read"),
          new Rule("GetObjectAttributes", "object", "read"),
          new Rule("HeadObject", "object", "read"),
          new Rule("ListParts", "object", "read"),
          new Rule("PutObject", "object", "write"),
          new Rule("PostObject", "object", "write"),
          new Rule("DeleteObject", "object", "write"),
          new Rule("CreateMultipartUpload", "object", "write"),
          new Rule("UploadPart", "object", "write"),
          new Rule("CompleteMultipartUpload", "object", "write"),
          new Rule("AbortMultipartUpload", "object", "write"),
          new Rule("CopyObject", "object", "write"),
          new Rule("CopyObject", "copy source", "read"),
          new Rule("UploadPartCopy", "object", "write"),
          new Rule("UploadPartCopy", "copy source", "read"),
          new Rule("GetBucketVersioning", "bucket", "read"),
          new Rule("PutBucketVersioning", "bucket", "admin"),
          new Rule("ListObjectVersions", "bucket", "read"),
          new Rule("GetObjectLockConfiguration", "bucket", "read"),
          new Rule("PutObjectLockConfiguration", "bucket", "admin"),
          new Rule("GetBucketTagging", "bucket", "read"),
          new Rule("PutBucketTagging", "bucket", "admin"),
          new Rule("DeleteBucketTagging", "bucket", "admin"),
          new Rule("GetObjectRetention", "object", "read"),
          new Rule("PutObjectRetention", "object", "write"),
          new Rule("GetObjectLegalHold", "object", "read"),
          new Rule("PutObjectLegalHold", "object", "admin"),
          new Rule("GetObjectTagging", "object", "read"),
          new Rule("PutObjectTagging", "object", "write"),
          new Rule("DeleteObjectTagging", "object", "write"));

  static Stream<org.junit.jupiter.params.provider.Arguments> rows() {
    return cases().entrySet().stream()
        .map(e -> org.junit.jupiter.params.provider.Arguments.of(e.getKey(), e.getValue()));
  }

  /** Per operation: who may and who may not, and the request that shows it. */
  static Map<String, List<Case>> cases() {
    Map<String, List<Case>> c = new java.util.LinkedHashMap<>();
    c.put(
        "ListBuckets",
        List.of(
            new Case(
                "pub-read",
                true,
                "list only its buckets",
                (s3, p) ->
                    assertThat(s3.listBuckets().buckets())
                        .extracting(b -> b.name())
                        .containsExactly("pub"))));
    c.put(
        "AuditEvents",
        List.of(
            new Case("root", true, "read the audit log", (s3, p) -> raw(p, "GET", "/?s3eg-audit")),
            new Case(
                "pub-admin", false, "read the audit log", (s3, p) -> raw(p, "GET", "/?s3eg-audit")),
            new Case(
                "all-read",
                false,
                "read the audit log",
                (s3, p) -> raw(p, "GET", "/?s3eg-audit"))));
    c.put(
        "Metrics",
        List.of(
            new Case("all-read", true, "scrape metrics", (s3, p) -> raw(p, "GET", "/metrics")),
            new Case("pub-admin", false, "scrape metrics", (s3, p) -> raw(p, "GET", "/metrics"))));
    c.put(
        "HealthDetails",
        List.of(
            new Case(
                "all-read", true, "see the health checks", (s3, p) -> raw(p, "GET", "/health")),
            new Case(
                "pub-admin", false, "see the health checks", (s3, p) -> raw(p, "GET", "/health"))));
    c.put("HeadBucket", readBucket((s3, b) -> s3.headBucket(r -> r.bucket(b))));
    c.put("GetBucketLocation", readBucket((s3, b) -> s3.getBucketLocation(r -> r.bucket(b))));
    c.put("ListObjects", readBucket((s3, b) -> s3.listObjects(r -> r.bucket(b))));
    c.put("ListObjectsV2", readBucket((s3, b) -> s3.listObjectsV2(r -> r.bucket(b))));
    c.put("ListMultipartUploads", readBucket((s3, b) -> s3.listMultipartUploads(r -> r.bucket(b))));
    c.put(
        "CreateBucket",
        List.of(
            new Case(
                "pub-admin",
                true,
                "create a bucket of its own",
                (s3, p) -> {
                  s3.createBucket(b -> b.bucket("scratch"));
                  root.deleteBucket(b -> b.bucket("scratch"));
                }),
            new Case(
                "pub-write",
                false,
                "create a bucket",
                (s3, p) -> s3.createBucket(b -> b.bucket("pub"))),
            new Case(
                "pub-admin",
                false,
                "create another bucket",
                (s3, p) -> s3.createBucket(b -> b.bucket("elsewhere")))));
    c.put(
        "DeleteBucket",
        List.of(
            new Case(
                "pub-admin",
                true,
                "delete a bucket of its own",
                (s3, p) -> {
                  root.createBucket(b -> b.bucket("scratch"));
                  mark();
                  s3.deleteBucket(b -> b.bucket("scratch"));
                }),
            new Case(
                "pub-write",
                false,
                "delete a bucket",
                (s3, p) -> s3.deleteBucket(b -> b.bucket("pub"))),
            new Case(
                "pub-admin",
                false,
                "delete another bucket",
                (s3, p) -> s3.deleteBucket(b -> b.bucket("secret")))));
    c.put(
        "Rewrap",
        List.of(
            new Case(
                "pub-admin",
                true,
                "re-wrap its bucket",
                (s3, p) -> raw(p, "POST", "/pub?s3eg-rewrap")),
            new Case(
                "pub-write",
                false,
                "re-wrap a bucket",
                (s3, p) -> raw(p, "POST", "/pub?s3eg-rewrap")),
            new Case(
                "pub-admin",
                false,
                "re-wrap another bucket",
                (s3, p) -> raw(p, "POST", "/secret?s3eg-rewrap"))));
    c.put(
        "Scrub",
        List.of(
            new Case(
                "pub-admin",
                true,
                "scrub its bucket",
                (s3, p) -> scrubToTheEnd(p, "/pub?s3eg-scrub&prefix=none-such/")),
            new Case(
                "pub-write",
                false,
                "scrub a bucket",
                (s3, p) -> raw(p, "POST", "/pub?s3eg-scrub&prefix=none-such/")),
            new Case(
                "pub-admin",
                false,
                "scrub another bucket",
                (s3, p) -> raw(p, "POST", "/secret?s3eg-scrub&prefix=none-such/"))));
    c.put(
        "ScrubStatus",
        List.of(
            new Case(
                "pub-admin",
                true,
                "read its bucket's scrub report",
                (s3, p) -> scrubStatus(p, "/pub?s3eg-scrub")),
            new Case(
                "pub-write",
                false,
                "read a scrub report",
                (s3, p) -> scrubStatus(p, "/pub?s3eg-scrub")),
            new Case(
                "pub-admin",
                false,
                "read another bucket's scrub report",
                (s3, p) -> scrubStatus(p, "/secret?s3eg-scrub"))));
    c.put(
        "DeleteObjects",
        writeObject(
            (s3, b) ->
                s3.deleteObjects(
                    r -> r.bucket(b).delete(d -> d.objects(o -> o.key("gone-1"), o -> o.key("x")))),
            "delete a batch"));
    c.put(
        "GetObject",
        readObject((s3, b, k) -> s3.getObjectAsBytes(r -> r.bucket(b).key(k)), "read an object"));
    c.put(
        "GetObjectAttributes",
        readObject(
            (s3, b, k) ->
                s3.getObjectAttributes(
                    r ->
                        r.bucket(b)
                            .key(k)
                            .objectAttributes(
                                software.amazon.awssdk.services.s3.model.ObjectAttributes.E_TAG)),
            "read an object's attributes"));
    c.put(
        "HeadObject",
        readObject((s3, b, k) -> s3.headObject(r -> r.bucket(b).key(k)), "head an object"));
    c.put(
        "ListParts",
        readObject(
            (s3, b, k) -> {
              String id = root.createMultipartUpload(r -> r.bucket(b).key(k)).uploadId();
              mark();
              s3.listParts(r -> r.bucket(b).key(k).uploadId(id));
            },
            "list an upload's parts"));
    c.put(
        "PutObject",
        writeObject(
            (s3, b) -> s3.putObject(r -> r.bucket(b).key("put"), RequestBody.fromString("x")),
            "put an object"));
    c.put(
        "PostObject",
        writeObject((s3, b) -> postForm(s3, b), "upload an object with a browser form"));
    c.put(
        "DeleteObject",
        writeObject((s3, b) -> s3.deleteObject(r -> r.bucket(b).key("gone")), "delete an object"));
    c.put(
        "CreateMultipartUpload",
        writeObject(
            (s3, b) -> s3.createMultipartUpload(r -> r.bucket(b).key("mp")), "begin an upload"));
    c.put(
        "UploadPart",
        writeObject(
            (s3, b) -> {
              String id = root.createMultipartUpload(r -> r.bucket(b).key("mp")).uploadId();
              mark();
              s3.uploadPart(
                  r -> r.bucket(b).key("mp").uploadId(id).partNumber(1),
                  RequestBody.fromString("part"));
            },
            "upload a part"));
    c.put(
        "CompleteMultipartUpload",
        writeObject(
            (s3, b) -> {
              String id = root.createMultipartUpload(r -> r.bucket(b).key("mp")).uploadId();
              String etag =
                  root.uploadPart(
                          r -> r.bucket(b).key("mp").uploadId(id).partNumber(1),
                          RequestBody.fromString("part"))
                      .eTag();
              mark();
              s3.completeMultipartUpload(
                  r ->
                      r.bucket(b)
                          .key("mp")
                          .uploadId(id)
                          .multipartUpload(
                              m ->
                                  m.parts(
                                      CompletedPart.builder().partNumber(1).eTag(etag).build())));
            },
            "complete an upload"));
    c.put(
        "AbortMultipartUpload",
        writeObject(
            (s3, b) -> {
              String id = root.createMultipartUpload(r -> r.bucket(b).key("mp")).uploadId();
              mark();
              s3.abortMultipartUpload(r -> r.bucket(b).key("mp").uploadId(id));
            },
            "abort an upload"));
    c.put("GetBucketAcl", readForwarded((s3, b) -> s3.getBucketAcl(r -> r.bucket(b))));
    c.put("GetBucketPolicy", readForwarded((s3, b) -> s3.getBucketPolicy(r -> r.bucket(b))));
    c.put(
        "GetBucketPolicyStatus",
        readForwarded((s3, b) -> s3.getBucketPolicyStatus(r -> r.bucket(b))));
    c.put("GetBucketCors", readForwarded((s3, b) -> s3.getBucketCors(r -> r.bucket(b))));
    c.put(
        "GetBucketLifecycleConfiguration",
        readForwarded((s3, b) -> s3.getBucketLifecycleConfiguration(r -> r.bucket(b))));
    c.put(
        "GetBucketEncryption", readForwarded((s3, b) -> s3.getBucketEncryption(r -> r.bucket(b))));
    c.put(
        "GetBucketOwnershipControls",
        readForwarded((s3, b) -> s3.getBucketOwnershipControls(r -> r.bucket(b))));
    c.put(
        "GetPublicAccessBlock",
        readForwarded((s3, b) -> s3.getPublicAccessBlock(r -> r.bucket(b))));
    c.put(
        "GetBucketNotificationConfiguration",
        readForwarded((s3, b) -> s3.getBucketNotificationConfiguration(r -> r.bucket(b))));
    c.put("GetBucketLogging", readForwarded((s3, b) -> s3.getBucketLogging(r -> r.bucket(b))));
    c.put("GetBucketWebsite", readForwarded((s3, b) -> s3.getBucketWebsite(r -> r.bucket(b))));
    c.put(
        "GetBucketRequestPayment",
        readForwarded((s3, b) -> s3.getBucketRequestPayment(r -> r.bucket(b))));
    c.put(
        "PutBucketAcl",
        administerForwarded(
            (s3, b) -> s3.putBucketAcl(r -> r.bucket(b).acl(BucketCannedACL.PRIVATE))));
    c.put(
        "PutBucketPolicy",
        administerForwarded((s3, b) -> s3.putBucketPolicy(r -> r.bucket(b).policy(policy(b)))));
    c.put(
        "DeleteBucketPolicy",
        administerForwarded((s3, b) -> s3.deleteBucketPolicy(r -> r.bucket(b))));
    c.put(
        "PutBucketCors",
        administerForwarded(
            (s3, b) ->
                s3.putBucketCors(
                    r ->
                        r.bucket(b)
                            .corsConfiguration(
                                cc ->
                                    cc.corsRules(
                                        CORSRule.builder()
                                            .allowedMethods("GET")
                                            .allowedOrigins("*")
                                            .build())))));
    c.put(
        "DeleteBucketCors", administerForwarded((s3, b) -> s3.deleteBucketCors(r -> r.bucket(b))));
    c.put(
        "PutBucketLifecycleConfiguration",
        administerForwarded(
            (s3, b) ->
                s3.putBucketLifecycleConfiguration(
                    r ->
                        r.bucket(b)
                            .lifecycleConfiguration(
                                l ->
                                    l.rules(
                                        LifecycleRule.builder()
                                            .id("l")
                                            .status(ExpirationStatus.ENABLED)
                                            .filter(f -> f.prefix("logs/"))
                                            .expiration(e -> e.days(1))
                                            .build())))));
    c.put(
        "DeleteBucketLifecycle",
        administerForwarded((s3, b) -> s3.deleteBucketLifecycle(r -> r.bucket(b))));
    c.put(
        "PutBucketEncryption",
        administerForwarded(
            (s3, b) ->
                s3.putBucketEncryption(
                    r ->
                        r.bucket(b)
                            .serverSideEncryptionConfiguration(
                                sc ->
                                    sc.rules(
                                        ServerSideEncryptionRule.builder()
                                            .applyServerSideEncryptionByDefault(
                                                d -> d.sseAlgorithm(ServerSideEncryption.AES256))
                                            .build())))));
    c.put(
        "DeleteBucketEncryption",
        administerForwarded((s3, b) -> s3.deleteBucketEncryption(r -> r.bucket(b))));
    c.put(
        "PutBucketOwnershipControls",
        administerForwarded(
            (s3, b) ->
                s3.putBucketOwnershipControls(
                    r ->
                        r.bucket(b)
                            .ownershipControls(
                                o ->
                                    o.rules(
                                        OwnershipControlsRule.builder()
                                            .objectOwnership(ObjectOwnership.BUCKET_OWNER_ENFORCED)
                                            .build())))));
    c.put(
        "DeleteBucketOwnershipControls",
        administerForwarded((s3, b) -> s3.deleteBucketOwnershipControls(r -> r.bucket(b))));
    c.put(
        "PutPublicAccessBlock",
        administerForwarded(
            (s3, b) ->
                s3.putPublicAccessBlock(
                    r ->
                        r.bucket(b)
                            .publicAccessBlockConfiguration(pc -> pc.blockPublicAcls(true)))));
    c.put(
        "DeletePublicAccessBlock",
        administerForwarded((s3, b) -> s3.deletePublicAccessBlock(r -> r.bucket(b))));
    c.put(
        "PutBucketNotificationConfiguration",
        administerForwarded(
            (s3, b) ->
                s3.putBucketNotificationConfiguration(
                    r -> r.bucket(b).notificationConfiguration(n -> {}))));
    c.put(
        "PutBucketWebsite",
        administerForwarded(
            (s3, b) ->
                s3.putBucketWebsite(
                    r ->
                        r.bucket(b)
                            .websiteConfiguration(
                                w -> w.indexDocument(i -> i.suffix("index.html"))))));
    c.put(
        "DeleteBucketWebsite",
        administerForwarded((s3, b) -> s3.deleteBucketWebsite(r -> r.bucket(b))));
    c.put(
        "PutBucketRequestPayment",
        administerForwarded(
            (s3, b) ->
                s3.putBucketRequestPayment(
                    r ->
                        r.bucket(b)
                            .requestPaymentConfiguration(rc -> rc.payer(Payer.BUCKET_OWNER)))));
    c.put(
        "PutBucketLogging",
        List.of(
            forwardedCase(
                "pub-admin",
                "send its bucket's logs to itself",
                "pub",
                PermissionMatrixTest::logging),
            new Case("pub-write", false, "configure logging", (s3, p) -> logging(s3, "pub")),
            new Case(
                "pub-admin",
                false,
                "configure another bucket's logging",
                (s3, p) -> logging(s3, "secret")),
            new Case(
                "pub-admin",
                false,
                "send its bucket's logs to a bucket it may not write",
                (s3, p) ->
                    s3.putBucketLogging(
                        r ->
                            r.bucket("pub")
                                .bucketLoggingStatus(
                                    l ->
                                        l.loggingEnabled(
                                            e ->
                                                e.targetBucket("secret")
                                                    .targetPrefix("logs/")))))));
    c.put(
        "GetObjectAcl",
        List.of(
            forwardedCase(
                "pub-read",
                "read an object's ACL in its bucket",
                "pub",
                (s3, b) -> s3.getObjectAcl(r -> r.bucket(b).key("doc"))),
            new Case(
                "pub-write",
                false,
                "read an object's ACL in another bucket",
                (s3, p) -> s3.getObjectAcl(r -> r.bucket("secret").key("s.txt")))));
    c.put(
        "PutObjectAcl",
        List.of(
            forwardedCase(
                "pub-write",
                "set an object's ACL in its bucket",
                "pub",
                (s3, b) ->
                    s3.putObjectAcl(r -> r.bucket(b).key("doc").acl(ObjectCannedACL.PRIVATE))),
            new Case(
                "pub-read",
                false,
                "set an object's ACL (read only)",
                (s3, p) ->
                    s3.putObjectAcl(r -> r.bucket("pub").key("doc").acl(ObjectCannedACL.PRIVATE))),
            new Case(
                "pub-admin",
                false,
                "set an object's ACL in another bucket",
                (s3, p) ->
                    s3.putObjectAcl(
                        r -> r.bucket("secret").key("s.txt").acl(ObjectCannedACL.PRIVATE)))));
    c.put("CopyObject", copies(PermissionMatrixTest::copyObject));
    c.put("UploadPartCopy", copies(PermissionMatrixTest::uploadPartCopy));
    // Versioning, Object Lock and tags: S3Proxy, this fixture's backend, implements few of them,
    // so an allowed call passes when the gateway let it through to the backend (any answer but
    // the gateway's 403); ObjectLockTest, VersioningTest and TaggingTest run them on Ceph RGW.
    c.put(
        "GetBucketVersioning",
        readBucket(bucketBackendAnswers((s3, b) -> s3.getBucketVersioning(r -> r.bucket(b)))));
    c.put(
        "PutBucketVersioning",
        adminBucket(
            bucketBackendAnswers(
                (s3, b) ->
                    s3.putBucketVersioning(
                        r -> r.bucket(b).versioningConfiguration(v -> v.status("Suspended"))))));
    c.put(
        "ListObjectVersions",
        readBucket(bucketBackendAnswers((s3, b) -> s3.listObjectVersions(r -> r.bucket(b)))));
    c.put(
        "GetObjectLockConfiguration",
        readBucket(
            bucketBackendAnswers((s3, b) -> s3.getObjectLockConfiguration(r -> r.bucket(b)))));
    c.put(
        "PutObjectLockConfiguration",
        adminBucket(
            bucketBackendAnswers(
                (s3, b) ->
                    s3.putObjectLockConfiguration(
                        r ->
                            r.bucket(b)
                                .objectLockConfiguration(o -> o.objectLockEnabled("Enabled"))))));
    c.put(
        "GetBucketTagging",
        readBucket(bucketBackendAnswers((s3, b) -> s3.getBucketTagging(r -> r.bucket(b)))));
    c.put(
        "PutBucketTagging",
        adminBucket(
            bucketBackendAnswers(
                (s3, b) ->
                    s3.putBucketTagging(
                        r -> r.bucket(b).tagging(t -> t.tagSet(g -> g.key("k").value("v")))))));
    c.put(
        "DeleteBucketTagging",
        adminBucket(bucketBackendAnswers((s3, b) -> s3.deleteBucketTagging(r -> r.bucket(b)))));
    c.put(
        "GetObjectRetention",
        readObject(
            objectBackendAnswers((s3, b, k) -> s3.getObjectRetention(r -> r.bucket(b).key(k))),
            "read a retention"));
    c.put(
        "PutObjectRetention",
        writeObject(
            bucketBackendAnswers(
                (s3, b) ->
                    s3.putObjectRetention(
                        r ->
                            r.bucket(b)
                                .key("doc")
                                .retention(
                                    t ->
                                        t.mode("GOVERNANCE")
                                            .retainUntilDate(
                                                java.time.Instant.now().plusSeconds(60))))),
            "set a retention"));
    c.put(
        "GetObjectLegalHold",
        readObject(
            objectBackendAnswers((s3, b, k) -> s3.getObjectLegalHold(r -> r.bucket(b).key(k))),
            "read a legal hold"));
    c.put(
        "PutObjectLegalHold",
        List.of(
            new Case(
                "pub-admin",
                true,
                "set a legal hold in its bucket",
                backendAnswers((s3, p) -> legalHold(s3, "pub", "doc"))),
            new Case(
                "pub-write",
                false,
                "set a legal hold (write only)",
                (s3, p) -> legalHold(s3, "pub", "doc")),
            new Case(
                "pub-admin",
                false,
                "set a legal hold in another bucket",
                (s3, p) -> legalHold(s3, "secret", "s.txt"))));
    c.put(
        "GetObjectTagging",
        readObject(
            objectBackendAnswers((s3, b, k) -> s3.getObjectTagging(r -> r.bucket(b).key(k))),
            "read an object's tags"));
    c.put(
        "PutObjectTagging",
        writeObject(
            bucketBackendAnswers(
                (s3, b) ->
                    s3.putObjectTagging(
                        r ->
                            r.bucket(b)
                                .key("doc")
                                .tagging(t -> t.tagSet(g -> g.key("k").value("v"))))),
            "tag an object"));
    c.put(
        "DeleteObjectTagging",
        writeObject(
            bucketBackendAnswers((s3, b) -> s3.deleteObjectTagging(r -> r.bucket(b).key("doc"))),
            "untag an object"));
    return c;
  }

  private static void legalHold(S3Client s3, String bucket, String key) {
    s3.putObjectLegalHold(r -> r.bucket(bucket).key(key).legalHold(h -> h.status("ON")));
  }

  private static List<Case> adminBucket(BucketCall call) {
    return List.of(
        new Case("pub-admin", true, "configure its bucket", (s3, p) -> call.run(s3, "pub")),
        new Case("pub-write", false, "configure a bucket", (s3, p) -> call.run(s3, "pub")),
        new Case(
            "pub-admin", false, "configure another bucket", (s3, p) -> call.run(s3, "secret")));
  }

  /**
   * A call that the gateway let through to the backend counts as allowed, whatever the backend
   * answered (S3Proxy 2.9 implements few of these); the gateway's own 403 still fails it.
   */
  private static Call backendAnswers(Call call) {
    return (s3, p) -> {
      int before = fixture.probe().requests().size();
      try {
        call.run(s3, p);
      } catch (S3Exception e) {
        if (fixture.probe().requests().size() == before) {
          throw e;
        }
      }
    };
  }

  private static BucketCall bucketBackendAnswers(BucketCall call) {
    return (s3, b) -> backendAnswers((c, p) -> call.run(c, b)).run(s3, null);
  }

  private static ObjectCall objectBackendAnswers(ObjectCall call) {
    return (s3, b, k) -> backendAnswers((c, p) -> call.run(c, b, k)).run(s3, null);
  }

  @FunctionalInterface
  interface BucketCall {
    void run(S3Client client, String bucket) throws Exception;
  }

  @FunctionalInterface
  interface ObjectCall {
    void run(S3Client client, String bucket, String key) throws Exception;
  }

  @FunctionalInterface
  interface CopyCall {
    void run(S3Client client, String sourceBucket, String sourceKey) throws Exception;
  }

  private static List<Case> readBucket(BucketCall call) {
    return List.of(
        new Case("pub-read", true, "read its bucket", (s3, p) -> call.run(s3, "pub")),
        new Case("pub-read", false, "read another bucket", (s3, p) -> call.run(s3, "secret")));
  }

  private static List<Case> readObject(ObjectCall call, String what) {
    return List.of(
        new Case("pub-read", true, what + " in its bucket", (s3, p) -> call.run(s3, "pub", "doc")),
        new Case(
            "pub-write",
            false,
            what + " in another bucket",
            (s3, p) -> call.run(s3, "secret", "s.txt")));
  }

  private static List<Case> writeObject(BucketCall call, String what) {
    return List.of(
        new Case("pub-write", true, what + " in its bucket", (s3, p) -> call.run(s3, "pub")),
        new Case("pub-read", false, what + " (read only)", (s3, p) -> call.run(s3, "pub")),
        new Case(
            "pub-admin", false, what + " in another bucket", (s3, p) -> call.run(s3, "secret")));
  }

  /**
   * An allowed case of a forwarded configuration call: the gateway lets it through to the backend.
   * S3Proxy implements few of them, so the backend's own answer (an error other than the gateway's
   * 403, such as 501 NotImplemented or NoSuchCORSConfiguration) counts as let through, provided a
   * request did reach the backend.
   */
  private static Case forwardedCase(String principal, String what, String bucket, BucketCall call) {
    return new Case(
        principal,
        true,
        what,
        (s3, p) -> {
          mark();
          try {
            call.run(s3, bucket);
          } catch (S3Exception e) {
            assertThat(e.statusCode()).as(what + ": not refused by the gateway").isNotEqualTo(403);
          }
          assertThat(fixture.probe().requests().stream().skip(mark).toList())
              .as(what + ": reached the backend")
              .isNotEmpty();
        });
  }

  private static List<Case> readForwarded(BucketCall call) {
    return List.of(
        forwardedCase("pub-read", "read its bucket's configuration", "pub", call),
        new Case(
            "pub-read",
            false,
            "read another bucket's configuration",
            (s3, p) -> call.run(s3, "secret")));
  }

  private static List<Case> administerForwarded(BucketCall call) {
    return List.of(
        forwardedCase("pub-admin", "configure its bucket", "pub", call),
        new Case("pub-write", false, "configure its bucket", (s3, p) -> call.run(s3, "pub")),
        new Case(
            "pub-admin", false, "configure another bucket", (s3, p) -> call.run(s3, "secret")));
  }

  private static String policy(String bucket) {
    return "{\"Version\":\"2012-10-17\",\"Statement\":[{\"Effect\":\"Deny\",\"Principal\":\"*\","
        + "\"Action\":\"s3:DeleteBucket\",\"Resource\":\"arn:aws:s3:::"
        + bucket
        + "\"}]}";
  }

  private static void logging(S3Client s3, String bucket) {
    s3.putBucketLogging(
        r ->
            r.bucket(bucket)
                .bucketLoggingStatus(
                    l -> l.loggingEnabled(e -> e.targetBucket(bucket).targetPrefix("logs/"))));
  }

  /**
   * A browser upload signed by the credential of {@code s3}'s principal; a refusal is thrown as the
   * SDK would throw it.
   */
  private static void postForm(S3Client s3, String bucket) throws Exception {
    String principal =
        s3.serviceClientConfiguration()
            .credentialsProvider()
            .resolveIdentity()
            .join()
            .accessKeyId();
    var answer =
        new PostForm()
            .field("key", "posted")
            .post(fixture.endpoint(), bucket, principal, principal + SECRET, new byte[] {'p'});
    if (answer.statusCode() != 204) {
      Matcher code = Pattern.compile("<Code>([^<]+)</Code>").matcher(answer.body());
      throw S3Exception.builder()
          .statusCode(answer.statusCode())
          .awsErrorDetails(
              software.amazon.awssdk.awscore.exception.AwsErrorDetails.builder()
                  .errorCode(code.find() ? code.group(1) : null)
                  .build())
          .build();
    }
  }

  /** The reported attack: write on the destination, nothing on the source's bucket. */
  private static List<Case> copies(CopyCall call) {
    return List.of(
        new Case(
            "both-write",
            true,
            "copy from a bucket it may read",
            (s3, p) -> call.run(s3, "secret", "s.txt")),
        new Case(
            "pub-write", true, "copy within its bucket", (s3, p) -> call.run(s3, "pub", "doc")),
        new Case(
            "pub-write",
            false,
            "copy from a bucket it may not read",
            (s3, p) -> call.run(s3, "secret", "s.txt")),
        new Case(
            "all-read",
            false,
            "copy into a bucket it may not write",
            (s3, p) -> call.run(s3, "pub", "doc")));
  }

  private static void copyObject(S3Client s3, String sourceBucket, String sourceKey) {
    s3.copyObject(
        r ->
            r.sourceBucket(sourceBucket)
                .sourceKey(sourceKey)
                .destinationBucket("pub")
                .destinationKey("stolen"));
    assertThat(root.getObjectAsBytes(r -> r.bucket("pub").key("stolen")).asByteArray())
        .isEqualTo(root.getObjectAsBytes(r -> r.bucket(sourceBucket).key(sourceKey)).asByteArray());
  }

  private static void uploadPartCopy(S3Client s3, String sourceBucket, String sourceKey) {
    String id = root.createMultipartUpload(r -> r.bucket("pub").key("stolen-mp")).uploadId();
    mark();
    s3.uploadPartCopy(
        r ->
            r.sourceBucket(sourceBucket)
                .sourceKey(sourceKey)
                .destinationBucket("pub")
                .destinationKey("stolen-mp")
                .uploadId(id)
                .partNumber(1));
    root.abortMultipartUpload(r -> r.bucket("pub").key("stolen-mp").uploadId(id));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("rows")
  void everyRowHoldsForRestrictedCredentials(String operation, List<Case> cases) throws Exception {
    for (Case c : cases) {
      try (S3Client s3 = client(c.principal())) {
        if (c.allowed()) {
          c.call().run(s3, c.principal());
        } else {
          mark();
          assertThatThrownBy(() -> c.call().run(s3, c.principal()))
              .as(c.toString())
              .isInstanceOfSatisfying(
                  S3Exception.class,
                  e -> {
                    assertThat(e.statusCode()).isEqualTo(403);
                    if (!operation.startsWith("Head")) { // a HEAD answer has no body
                      assertThat(e.awsErrorDetails().errorCode()).isEqualTo("AccessDenied");
                    }
                  });
          // Nothing after the case's own set-up (made with the root credential) reached the
          // backend.
          assertThat(fixture.probe().requests().stream().skip(mark).toList())
              .as(c + ": backend requests")
              .isEmpty();
        }
      }
    }
  }

  private static volatile int mark;

  /** Marks where the refused request begins: after the set-up a case makes as root. */
  private static void mark() {
    mark = fixture.probe().requests().size();
  }

  /** A copy is audited with both the object it wrote and the object it read, refused or not. */
  @Test
  void copiesAreAuditedWithTheirSource() throws Exception {
    try (S3Client writer = client("pub-write");
        S3Client both = client("both-write")) {
      assertThatThrownBy(() -> copyObject(writer, "secret", "s.txt"))
          .isInstanceOf(S3Exception.class);
      copyObject(both, "secret", "s.txt");
      assertThatThrownBy(() -> uploadPartCopy(writer, "secret", "s.txt"))
          .isInstanceOf(S3Exception.class);
      both.deleteObjects(
          r -> r.bucket("pub").delete(d -> d.objects(o -> o.key("a"), o -> o.key("b"))));
    }
    // A line is written once its request completed, which may be just after the client got it.
    long deadline = System.nanoTime() + 20_000_000_000L;
    List<String> lines = Files.readAllLines(dir.resolve("audit.log"));
    while (lines.stream().noneMatch(l -> l.contains("\"keys\":[\"a\",\"b\"]"))
        && System.nanoTime() < deadline) {
      Thread.sleep(50);
      lines = Files.readAllLines(dir.resolve("audit.log"));
    }
    assertThat(lines)
        .anySatisfy(
            l ->
                assertThat(l)
                    .contains("\"event\":\"access_denied\"", "\"principal\":\"pub-write\"")
                    .contains("\"operation\":\"CopyObject\"", "\"bucket\":\"pub\"")
                    .contains("\"key\":\"stolen\"", "\"source_bucket\":\"secret\"")
                    .contains("\"source_key\":\"s.txt\""))
        .anySatisfy(
            l ->
                assertThat(l)
                    .contains("\"event\":\"write\"", "\"principal\":\"both-write\"")
                    .contains("\"operation\":\"CopyObject\"", "\"source_bucket\":\"secret\"")
                    .contains("\"source_key\":\"s.txt\"", "\"status\":200"))
        .anySatisfy(
            l ->
                assertThat(l)
                    .contains("\"event\":\"access_denied\"", "\"operation\":\"UploadPartCopy\"")
                    .contains("\"source_bucket\":\"secret\"", "\"source_key\":\"s.txt\""))
        .anySatisfy(
            l ->
                assertThat(l)
                    .contains("\"operation\":\"DeleteObjects\"", "\"keys\":[\"a\",\"b\"]"));
  }

  /** Every operation the gateway dispatches has a row, and the rows are those of the document. */
  @Test
  void theMatrixCoversEveryOperationAndMatchesTheDocument() throws Exception {
    Set<String> operations = new LinkedHashSet<>();
    RULES.forEach(r -> operations.add(r.operation()));
    assertThat(cases().keySet()).containsExactlyInAnyOrderElementsOf(operations);
    String routes =
        Files.readString(Path.of("src/main/resources/routes/s3-api.yaml"), StandardCharsets.UTF_8);
    Matcher m = Pattern.compile("s3Operation} == '([A-Za-z0-9]+)'").matcher(routes);
    Set<String> dispatched = new LinkedHashSet<>();
    while (m.find()) {
      dispatched.add(m.group(1));
    }
    Matcher lists = Pattern.compile("s3Operation} in '([A-Za-z0-9,]+)'").matcher(routes);
    while (lists.find()) {
      dispatched.addAll(List.of(lists.group(1).split(",")));
    }
    dispatched.add("Metrics");
    dispatched.add("HealthDetails");
    assertThat(operations).containsExactlyInAnyOrderElementsOf(dispatched);

    List<Rule> documented = new ArrayList<>();
    Pattern row =
        Pattern.compile(
            "^\\| `?([A-Za-z0-9]+)`? \\|[^|]*\\| ([a-z ]+) \\| `?(read|write|admin)`? \\|.*$");
    for (String line : Files.readAllLines(Path.of("docs/security.md"))) {
      Matcher r = row.matcher(line);
      if (r.matches()) {
        documented.add(new Rule(r.group(1), r.group(2).trim(), r.group(3)));
      }
    }
    assertThat(documented).containsExactlyInAnyOrderElementsOf(RULES);
  }

  /**
   * {@code GET ?s3eg-scrub}: a 404 (no scrub ran on the bucket yet) means the request was
   * authorized; only a refusal throws.
   */
  static void scrubStatus(String principal, String pathAndQuery) throws Exception {
    try {
      raw(principal, "GET", pathAndQuery);
    } catch (S3Exception e) {
      if (e.statusCode() != 404) {
        throw e;
      }
    }
  }

  /**
   * An allowed scrub, waited for: it runs in the background, and its listing must not land in the
   * window where the next (refused) case checks that nothing reached the backend.
   */
  static void scrubToTheEnd(String principal, String pathAndQuery) throws Exception {
    raw(principal, "POST", pathAndQuery);
    String status = pathAndQuery.substring(0, pathAndQuery.indexOf('?')) + "?s3eg-scrub";
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
    Pattern finished = Pattern.compile("\"finished\"\\s*:\\s*\"");
    while (!finished.matcher(raw(principal, "GET", status)).find()) {
      assertThat(System.nanoTime()).as("the scrub of " + status + " ended").isLessThan(deadline);
      Thread.sleep(50);
    }
  }

  /**
   * A signed request the SDK has no call for (admin endpoints, metrics); throws on 403, else
   * returns the answer's body.
   */
  static String raw(String principal, String method, String pathAndQuery) throws Exception {
    SigV4Http.Response response =
        new SigV4Http(fixture.endpoint(), principal, principal + SECRET, Clock.systemUTC())
            .send(method, pathAndQuery, Map.of(), new byte[0]);
    if (response.status() >= 300) {
      Matcher code = Pattern.compile("<Code>([^<]*)</Code>").matcher(response.body());
      throw S3Exception.builder()
          .statusCode(response.status())
          .awsErrorDetails(
              software.amazon.awssdk.awscore.exception.AwsErrorDetails.builder()
                  .errorCode(code.find() ? code.group(1) : "")
                  .errorMessage(response.body())
                  .build())
          .build();
    }
    return response.body();
  }
}
