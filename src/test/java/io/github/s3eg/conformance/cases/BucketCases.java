package io.github.s3eg.conformance.cases;

import static io.github.s3eg.conformance.CaseContext.bytes;
import static io.github.s3eg.conformance.CaseContext.expectError;
import static org.assertj.core.api.Assertions.assertThat;

import io.github.s3eg.conformance.CaseTable;
import io.github.s3eg.conformance.HttpResult;
import java.time.Instant;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.model.CompletedPart;

/**
 * Bucket operations (S3 API reference: CreateBucket, HeadBucket, DeleteBucket, ListBuckets,
 * GetBucketLocation; "Bucket naming rules").
 */
final class BucketCases {

  private BucketCases() {}

  static void addTo(CaseTable t) {
    t.add(
        "buckets/create-then-head",
        "CreateBucket answers 200; HeadBucket of the new bucket answers 200",
        c -> {
          String name = c.newBucketName();
          HttpResult r = c.request("PUT").bucket(name).send();
          assertThat(r.status()).isEqualTo(200);
          assertThat(c.request("HEAD").bucket(name).send().status()).isEqualTo(200);
        });
    t.add(
        "buckets/create-location-header",
        "CreateBucket answers Location: /bucket",
        c -> {
          String name = c.newBucketName();
          assertThat(c.request("PUT").bucket(name).send().header("Location")).isEqualTo("/" + name);
        });
    t.add(
        "buckets/create-existing-own",
        "CreateBucket of a bucket one owns: 409 BucketAlreadyOwnedByYou (or 200 in us-east-1)",
        c -> {
          HttpResult r = c.request("PUT").bucket(c.bucket()).send();
          if (r.status() != 200) {
            expectError(409, "BucketAlreadyOwnedByYou", r);
          }
        });
    String[][] invalid = {
      {"too-short", "ab"},
      {"upper-case", "UpperCase-bucket"},
      {"underscore", "under_score_bucket"},
      {"leading-hyphen", "-leading-hyphen"},
      {"trailing-hyphen", "trailing-hyphen-"},
      {"ip-address", "192.168.10.20"},
      {"too-long", "b".repeat(64)},
      {"double-dot", "double..dot"},
    };
    for (String[] n : invalid) {
      t.add(
          "buckets/invalid-name-" + n[0],
          "CreateBucket named '" + n[1] + "': 400 InvalidBucketName",
          c -> expectError(400, "InvalidBucketName", c.request("PUT").bucket(n[1]).send()));
    }
    t.add(
        "buckets/head-missing",
        "HeadBucket of a bucket that does not exist: 404, no body",
        c -> {
          HttpResult r = c.request("HEAD").bucket(c.newBucketName()).send();
          assertThat(r.status()).isEqualTo(404);
          assertThat(r.body()).isEmpty();
        });
    t.add(
        "buckets/head-region-header",
        "HeadBucket answers x-amz-bucket-region",
        c -> {
          c.bucket();
          assertThat(c.request("HEAD").bucket(c.bucket()).send().header("x-amz-bucket-region"))
              .isEqualTo("us-east-1");
        });
    t.add(
        "buckets/delete-empty",
        "DeleteBucket of an empty bucket answers 204; the bucket is gone",
        c -> {
          String name = c.createBucket();
          assertThat(c.request("DELETE").bucket(name).send().status()).isEqualTo(204);
          assertThat(c.request("HEAD").bucket(name).send().status()).isEqualTo(404);
        });
    t.add(
        "buckets/delete-not-empty",
        "DeleteBucket of a bucket holding an object: 409 BucketNotEmpty",
        c -> {
          c.put("k", bytes(1));
          expectError(409, "BucketNotEmpty", c.request("DELETE").bucket(c.bucket()).send());
        });
    t.add(
        "buckets/delete-missing",
        "DeleteBucket of a bucket that does not exist: 404 NoSuchBucket",
        c ->
            expectError(404, "NoSuchBucket", c.request("DELETE").bucket(c.newBucketName()).send()));
    t.add(
        "buckets/delete-after-objects-deleted",
        "DeleteBucket succeeds once every object is deleted",
        c -> {
          c.put("a", bytes(1));
          c.put("b/c", bytes(1));
          c.s3().deleteObject(r -> r.bucket(c.bucket()).key("a"));
          c.s3().deleteObject(r -> r.bucket(c.bucket()).key("b/c"));
          assertThat(c.request("DELETE").bucket(c.bucket()).send().status()).isEqualTo(204);
        });
    t.add(
        "buckets/delete-after-completed-multipart",
        "DeleteBucket succeeds after a completed multipart object is deleted",
        c -> {
          String id = c.s3().createMultipartUpload(r -> r.bucket(c.bucket()).key("mp")).uploadId();
          String etag =
              c.s3()
                  .uploadPart(
                      r -> r.bucket(c.bucket()).key("mp").uploadId(id).partNumber(1),
                      RequestBody.fromBytes(bytes(100)))
                  .eTag();
          c.s3()
              .completeMultipartUpload(
                  r ->
                      r.bucket(c.bucket())
                          .key("mp")
                          .uploadId(id)
                          .multipartUpload(
                              m ->
                                  m.parts(
                                      CompletedPart.builder().partNumber(1).eTag(etag).build())));
          c.s3().deleteObject(r -> r.bucket(c.bucket()).key("mp"));
          HttpResult r = c.request("DELETE").bucket(c.bucket()).send();
          assertThat(r.status()).as(r.toString()).isEqualTo(204);
        });
    t.add(
        "buckets/delete-after-aborted-multipart",
        "DeleteBucket succeeds after the only multipart upload was aborted",
        c -> {
          String id = c.s3().createMultipartUpload(r -> r.bucket(c.bucket()).key("mp")).uploadId();
          c.s3()
              .uploadPart(
                  r -> r.bucket(c.bucket()).key("mp").uploadId(id).partNumber(1),
                  RequestBody.fromBytes(bytes(100)));
          c.s3().abortMultipartUpload(r -> r.bucket(c.bucket()).key("mp").uploadId(id));
          HttpResult r = c.request("DELETE").bucket(c.bucket()).send();
          assertThat(r.status()).as(r.toString()).isEqualTo(204);
        });
    t.add(
        "buckets/delete-with-upload-in-progress",
        "DeleteBucket succeeds when no object remains, even with a multipart upload in progress",
        c -> {
          String id = c.s3().createMultipartUpload(r -> r.bucket(c.bucket()).key("mp")).uploadId();
          c.s3()
              .uploadPart(
                  r -> r.bucket(c.bucket()).key("mp").uploadId(id).partNumber(1),
                  RequestBody.fromBytes(bytes(100)));
          HttpResult r = c.request("DELETE").bucket(c.bucket()).send();
          assertThat(r.status()).as(r.toString()).isEqualTo(204);
        });
    t.add(
        "buckets/list-contains-new",
        "ListBuckets lists a new bucket with its CreationDate",
        c -> {
          String name = c.bucket();
          var b =
              c.s3().listBuckets().buckets().stream()
                  .filter(x -> x.name().equals(name))
                  .findFirst()
                  .orElseThrow(() -> new AssertionError(name + " not listed"));
          assertThat(b.creationDate())
              .isBetween(Instant.now().minusSeconds(600), Instant.now().plusSeconds(600));
        });
    t.add(
        "buckets/list-owner",
        "ListBuckets answers the Owner",
        c -> {
          HttpResult r = c.request("GET").send();
          assertThat(r.status()).isEqualTo(200);
          assertThat(r.xml().root()).isEqualTo("ListAllMyBucketsResult");
          assertThat(r.xml().has("/ListAllMyBucketsResult/Owner/ID")).isTrue();
        });
    t.add(
        "buckets/list-deleted-gone",
        "A deleted bucket is no longer listed",
        c -> {
          String name = c.createBucket();
          c.s3().deleteBucket(r -> r.bucket(name));
          assertThat(c.s3().listBuckets().buckets()).extracting(b -> b.name()).doesNotContain(name);
        });
    t.add(
        "buckets/location",
        "GetBucketLocation answers a LocationConstraint (empty for us-east-1)",
        c -> {
          c.bucket();
          HttpResult r = c.request("GET").bucket(c.bucket()).query("location", null).send();
          assertThat(r.status()).isEqualTo(200);
          assertThat(r.xml().root()).isEqualTo("LocationConstraint");
          assertThat(r.xml().text("/LocationConstraint")).isIn("", "us-east-1");
        });
    t.add(
        "buckets/location-missing",
        "GetBucketLocation of a bucket that does not exist: 404 NoSuchBucket",
        c ->
            expectError(
                404,
                "NoSuchBucket",
                c.request("GET").bucket(c.newBucketName()).query("location", null).send()));
  }
}
