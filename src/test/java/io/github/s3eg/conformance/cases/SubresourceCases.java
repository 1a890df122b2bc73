package io.github.s3eg.conformance.cases;

import static io.github.s3eg.conformance.CaseContext.bytes;
import static io.github.s3eg.conformance.CaseContext.expectError;
import static org.assertj.core.api.Assertions.assertThat;

import io.github.s3eg.conformance.Capability;
import io.github.s3eg.conformance.CaseTable;
import io.github.s3eg.conformance.HttpResult;
import java.util.Set;

/**
 * Bucket and object sub-resources (S3 API reference: GetBucketAcl, GetBucketVersioning,
 * GetBucketPolicy, GetObjectTagging, …): what a new bucket or object answers for each. These record
 * what the gateway refuses on purpose (docs/s3-compatibility.md) as much as what S3 does.
 */
final class SubresourceCases {

  private SubresourceCases() {}

  /** A GET of a bucket sub-resource of a fresh bucket, and its answer in S3. */
  record BucketGet(String slug, String parameter, int status, String codeOrRoot) {}

  static void addTo(CaseTable t) {
    BucketGet[] gets = {
      new BucketGet("get-bucket-acl", "acl", 200, "AccessControlPolicy"),
      new BucketGet("get-bucket-versioning", "versioning", 200, "VersioningConfiguration"),
      new BucketGet("get-bucket-policy", "policy", 404, "NoSuchBucketPolicy"),
      new BucketGet("get-bucket-cors", "cors", 404, "NoSuchCORSConfiguration"),
      new BucketGet("get-bucket-lifecycle", "lifecycle", 404, "NoSuchLifecycleConfiguration"),
      new BucketGet("get-bucket-tagging", "tagging", 404, "NoSuchTagSet"),
      new BucketGet("get-bucket-website", "website", 404, "NoSuchWebsiteConfiguration"),
      new BucketGet("get-bucket-logging", "logging", 200, "BucketLoggingStatus"),
      new BucketGet("get-bucket-notification", "notification", 200, "NotificationConfiguration"),
      new BucketGet(
          "get-bucket-request-payment", "requestPayment", 200, "RequestPaymentConfiguration"),
      new BucketGet("get-bucket-accelerate", "accelerate", 200, "AccelerateConfiguration"),
      new BucketGet(
          "get-public-access-block",
          "publicAccessBlock",
          404,
          "NoSuchPublicAccessBlockConfiguration"),
      new BucketGet(
          "get-object-lock-configuration",
          "object-lock",
          404,
          "ObjectLockConfigurationNotFoundError"),
      new BucketGet(
          "get-bucket-encryption", "encryption", 200, "ServerSideEncryptionConfiguration"),
    };
    for (BucketGet g : gets) {
      t.add(
          "subresources/" + g.slug(),
          "GET ?" + g.parameter() + " of a new bucket answers " + g.status() + " " + g.codeOrRoot(),
          c -> {
            c.bucket();
            HttpResult r = c.request("GET").bucket(c.bucket()).query(g.parameter(), null).send();
            if (g.status() == 200) {
              assertThat(r.status()).as(r.toString()).isEqualTo(200);
              assertThat(r.xml().root()).isEqualTo(g.codeOrRoot());
            } else {
              expectError(g.status(), g.codeOrRoot(), r);
            }
          });
    }
    t.add(
        "subresources/put-bucket-acl-private",
        "PUT ?acl with x-amz-acl: private answers 200",
        c -> {
          c.bucket();
          HttpResult r =
              c.request("PUT")
                  .bucket(c.bucket())
                  .query("acl", null)
                  .header("x-amz-acl", "private")
                  .send();
          assertThat(r.status()).as(r.toString()).isEqualTo(200);
        });
    t.add(
        "subresources/get-object-acl",
        "GET ?acl of an object answers its AccessControlPolicy",
        c -> {
          c.put("k", bytes(1));
          HttpResult r = c.request("GET").bucket(c.bucket()).key("k").query("acl", null).send();
          assertThat(r.status()).as(r.toString()).isEqualTo(200);
          assertThat(r.xml().root()).isEqualTo("AccessControlPolicy");
        });
    t.add(
        "subresources/put-object-acl-private",
        "PUT ?acl of an object with x-amz-acl: private answers 200",
        c -> {
          c.put("k", bytes(1));
          HttpResult r =
              c.request("PUT")
                  .bucket(c.bucket())
                  .key("k")
                  .query("acl", null)
                  .header("x-amz-acl", "private")
                  .send();
          assertThat(r.status()).as(r.toString()).isEqualTo(200);
        });
    t.add(
        "subresources/put-object-canned-acl",
        "PutObject with x-amz-acl: private stores the object",
        c -> {
          c.bucket();
          HttpResult r =
              c.request("PUT")
                  .bucket(c.bucket())
                  .key("k")
                  .header("x-amz-acl", "private")
                  .body(bytes(5))
                  .send();
          assertThat(r.status()).as(r.toString()).isEqualTo(200);
          assertThat(c.get("k")).isEqualTo(bytes(5));
        });
    t.add(
        "subresources/get-object-tagging-empty",
        "GET ?tagging of an untagged object answers an empty TagSet",
        c -> {
          c.put("k", bytes(1));
          HttpResult r = c.request("GET").bucket(c.bucket()).key("k").query("tagging", null).send();
          assertThat(r.status()).as(r.toString()).isEqualTo(200);
          assertThat(r.xml().root()).isEqualTo("Tagging");
          assertThat(r.xml().has("/Tagging/TagSet/Tag")).isFalse();
        });
    t.add(
        "subresources/object-tagging-round-trip",
        "PutObjectTagging then GetObjectTagging gives the tags back",
        Set.of(Capability.TAGGING),
        c -> {
          c.put("k", bytes(1));
          c.s3()
              .putObjectTagging(
                  r ->
                      r.bucket(c.bucket())
                          .key("k")
                          .tagging(g -> g.tagSet(x -> x.key("team").value("blue"))));
          assertThat(c.s3().getObjectTagging(r -> r.bucket(c.bucket()).key("k")).tagSet())
              .extracting(x -> x.key() + "=" + x.value())
              .containsExactly("team=blue");
        });
    t.add(
        "subresources/put-object-tagging-header",
        "PutObject with x-amz-tagging stores tags GetObjectTagging returns",
        Set.of(Capability.TAGGING),
        c -> {
          c.bucket();
          HttpResult r =
              c.request("PUT")
                  .bucket(c.bucket())
                  .key("k")
                  .header("x-amz-tagging", "a=1&b=2")
                  .body(bytes(1))
                  .send();
          assertThat(r.status()).isEqualTo(200);
          assertThat(c.s3().getObjectTagging(g -> g.bucket(c.bucket()).key("k")).tagSet())
              .hasSize(2);
        });
    t.add(
        "subresources/bucket-versioning-enable",
        "PutBucketVersioning Enabled, then GetBucketVersioning answers Enabled",
        Set.of(Capability.VERSIONING),
        c -> {
          c.bucket();
          c.s3()
              .putBucketVersioning(
                  r -> r.bucket(c.bucket()).versioningConfiguration(v -> v.status("Enabled")));
          assertThat(c.s3().getBucketVersioning(r -> r.bucket(c.bucket())).statusAsString())
              .isEqualTo("Enabled");
        });
    t.add(
        "subresources/version-id-on-put",
        "In a versioned bucket PutObject answers x-amz-version-id and GET ?versionId reads it",
        Set.of(Capability.VERSIONING),
        c -> {
          c.bucket();
          c.s3()
              .putBucketVersioning(
                  r -> r.bucket(c.bucket()).versioningConfiguration(v -> v.status("Enabled")));
          String v1 = c.put("k", "one").versionId();
          c.put("k", "two");
          assertThat(v1).isNotBlank();
          assertThat(
                  c.s3()
                      .getObjectAsBytes(r -> r.bucket(c.bucket()).key("k").versionId(v1))
                      .asUtf8String())
              .isEqualTo("one");
        });
    t.add(
        "subresources/object-lock-retention",
        "In an Object Lock bucket, a COMPLIANCE retention blocks deleting the version",
        Set.of(Capability.OBJECT_LOCK, Capability.VERSIONING),
        c -> {
          String bucket = c.newBucketName();
          c.s3().createBucket(r -> r.bucket(bucket).objectLockEnabledForBucket(true));
          String v =
              c.s3()
                  .putObject(
                      r ->
                          r.bucket(bucket)
                              .key("k")
                              .objectLockMode("COMPLIANCE")
                              .objectLockRetainUntilDate(java.time.Instant.now().plusSeconds(3600)),
                      software.amazon.awssdk.core.sync.RequestBody.fromString("locked"))
                  .versionId();
          expectError(
              403,
              "AccessDenied",
              () -> c.s3().deleteObject(r -> r.bucket(bucket).key("k").versionId(v)));
        });
    t.add(
        "subresources/restore-standard-object",
        "RestoreObject of a STANDARD object: 403 InvalidObjectState",
        c -> {
          c.put("k", bytes(1));
          HttpResult r =
              c.request("POST")
                  .bucket(c.bucket())
                  .key("k")
                  .query("restore", null)
                  .body(
                      "<RestoreRequest xmlns=\"http://s3.amazonaws.com/doc/2006-03-01/\">"
                          + "<Days>1</Days></RestoreRequest>")
                  .send();
          expectError(403, "InvalidObjectState", r);
        });
  }
}
