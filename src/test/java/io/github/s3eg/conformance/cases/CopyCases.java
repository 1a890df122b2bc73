package io.github.s3eg.conformance.cases;

import static io.github.s3eg.conformance.CaseContext.bytes;
import static io.github.s3eg.conformance.CaseContext.expectError;
import static io.github.s3eg.conformance.CaseContext.md5Etag;
import static io.github.s3eg.conformance.cases.ConditionalCases.FUTURE;
import static io.github.s3eg.conformance.cases.ConditionalCases.PAST;
import static io.github.s3eg.conformance.cases.ConditionalCases.WRONG_ETAG;
import static org.assertj.core.api.Assertions.assertThat;

import io.github.s3eg.conformance.CaseContext;
import io.github.s3eg.conformance.CaseTable;
import io.github.s3eg.conformance.HttpResult;
import java.time.Instant;
import java.util.Arrays;
import java.util.Map;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.model.CopyObjectResponse;
import software.amazon.awssdk.services.s3.model.MetadataDirective;

/**
 * CopyObject (S3 API reference, "CopyObject"): the copy's body and ETag, metadata directives,
 * copying onto itself, missing sources, x-amz-copy-source-if-* conditions, encoded source keys.
 */
final class CopyCases {

  private CopyCases() {}

  static void addTo(CaseTable t) {
    t.add(
        "copy/same-bucket",
        "CopyObject within a bucket: the copy has the source's bytes",
        c -> {
          byte[] body = bytes(70_000);
          c.put("src", body);
          copy(c, c.bucket(), "src", c.bucket(), "dst");
          assertThat(c.get("dst")).isEqualTo(body);
        });
    t.add(
        "copy/other-bucket",
        "CopyObject into another bucket: the copy has the source's bytes",
        c -> {
          byte[] body = bytes(5000);
          c.put("src", body);
          String other = c.createBucket();
          copy(c, c.bucket(), "src", other, "dst");
          assertThat(c.get(other, "dst")).isEqualTo(body);
        });
    t.add(
        "copy/result-etag-is-md5",
        "CopyObjectResult's ETag of a single-part object is the MD5 of its bytes",
        c -> {
          byte[] body = bytes(3000);
          c.put("src", body);
          CopyObjectResponse r = copy(c, c.bucket(), "src", c.bucket(), "dst");
          assertThat(r.copyObjectResult().eTag()).isEqualTo(md5Etag(body));
        });
    t.add(
        "copy/head-etag-equals-source",
        "The copy's ETag on HEAD equals the source's",
        c -> {
          String etag = c.put("src", bytes(3000)).eTag();
          copy(c, c.bucket(), "src", c.bucket(), "dst");
          assertThat(c.s3().headObject(r -> r.bucket(c.bucket()).key("dst")).eTag())
              .isEqualTo(etag);
        });
    t.add(
        "copy/result-last-modified",
        "CopyObjectResult carries the copy's LastModified",
        c -> {
          c.put("src", bytes(10));
          CopyObjectResponse r = copy(c, c.bucket(), "src", c.bucket(), "dst");
          assertThat(r.copyObjectResult().lastModified())
              .isBetween(Instant.now().minusSeconds(300), Instant.now().plusSeconds(300));
        });
    t.add(
        "copy/empty-object",
        "CopyObject of a zero-byte object gives a zero-byte object",
        c -> {
          c.put("src", new byte[0]);
          copy(c, c.bucket(), "src", c.bucket(), "dst");
          assertThat(c.get("dst")).isEmpty();
        });
    t.add(
        "copy/then-ranged-read",
        "A ranged GET of a copy returns the source's bytes at that range",
        c -> {
          byte[] body = bytes(150_000);
          c.put("src", body);
          copy(c, c.bucket(), "src", c.bucket(), "dst");
          HttpResult r =
              c.request("GET")
                  .bucket(c.bucket())
                  .key("dst")
                  .header("Range", "bytes=70000-70009")
                  .send();
          assertThat(r.body()).isEqualTo(Arrays.copyOfRange(body, 70000, 70010));
        });
    t.add(
        "copy/special-source-key",
        "A source key with spaces and unicode, URL-encoded in x-amz-copy-source, is found",
        c -> {
          String key = "dir a/ünï cødé+plus.txt";
          byte[] body = bytes(100);
          c.put(key, body);
          copy(c, c.bucket(), key, c.bucket(), "dst");
          assertThat(c.get("dst")).isEqualTo(body);
        });
    t.add(
        "copy/source-without-leading-slash",
        "x-amz-copy-source given as bucket/key (no leading slash) is accepted",
        c -> {
          byte[] body = bytes(100);
          c.put("src", body);
          HttpResult r =
              c.request("PUT")
                  .bucket(c.bucket())
                  .key("dst")
                  .header("x-amz-copy-source", c.bucket() + "/src")
                  .send();
          assertThat(r.status()).isEqualTo(200);
          assertThat(r.xml().root()).isEqualTo("CopyObjectResult");
          assertThat(c.get("dst")).isEqualTo(body);
        });
    t.add(
        "copy/source-with-leading-slash",
        "x-amz-copy-source given as /bucket/key is accepted",
        c -> {
          byte[] body = bytes(100);
          c.put("src", body);
          HttpResult r =
              c.request("PUT")
                  .bucket(c.bucket())
                  .key("dst")
                  .header("x-amz-copy-source", "/" + c.bucket() + "/src")
                  .send();
          assertThat(r.status()).isEqualTo(200);
          assertThat(c.get("dst")).isEqualTo(body);
        });
    t.add(
        "copy/onto-itself-without-change",
        "Copying an object onto itself changing nothing: 400 InvalidRequest",
        c -> {
          c.put("k", bytes(10));
          expectError(400, "InvalidRequest", () -> copy(c, c.bucket(), "k", c.bucket(), "k"));
        });
    t.add(
        "copy/onto-itself-replacing-metadata",
        "Copying an object onto itself with REPLACE changes its metadata and keeps its bytes",
        c -> {
          byte[] body = bytes(10);
          c.s3()
              .putObject(
                  r -> r.bucket(c.bucket()).key("k").metadata(Map.of("v", "1")),
                  RequestBody.fromBytes(body));
          c.s3()
              .copyObject(
                  r ->
                      r.sourceBucket(c.bucket())
                          .sourceKey("k")
                          .destinationBucket(c.bucket())
                          .destinationKey("k")
                          .metadataDirective(MetadataDirective.REPLACE)
                          .metadata(Map.of("v", "2")));
          assertThat(c.s3().headObject(r -> r.bucket(c.bucket()).key("k")).metadata())
              .isEqualTo(Map.of("v", "2"));
          assertThat(c.get("k")).isEqualTo(body);
        });
    t.add(
        "copy/missing-source-key",
        "CopyObject of a source key that does not exist: 404 NoSuchKey",
        c -> {
          c.bucket();
          expectError(404, "NoSuchKey", () -> copy(c, c.bucket(), "nope", c.bucket(), "dst"));
        });
    t.add(
        "copy/missing-source-bucket",
        "CopyObject from a bucket that does not exist: 404 NoSuchBucket",
        c -> {
          c.bucket();
          expectError(
              404, "NoSuchBucket", () -> copy(c, c.newBucketName(), "k", c.bucket(), "dst"));
        });
    t.add(
        "copy/missing-destination-bucket",
        "CopyObject into a bucket that does not exist: 404 NoSuchBucket",
        c -> {
          c.put("src", bytes(10));
          expectError(
              404, "NoSuchBucket", () -> copy(c, c.bucket(), "src", c.newBucketName(), "dst"));
        });
    t.add(
        "copy/invalid-metadata-directive",
        "x-amz-metadata-directive other than COPY or REPLACE: 400 InvalidArgument",
        c -> {
          c.put("src", bytes(10));
          expectError(
              400,
              "InvalidArgument",
              c.request("PUT")
                  .bucket(c.bucket())
                  .key("dst")
                  .header("x-amz-copy-source", "/" + c.bucket() + "/src")
                  .header("x-amz-metadata-directive", "MERGE")
                  .send());
        });
    t.add(
        "copy/large-object",
        "CopyObject of a 3 MiB object: the copy has the same bytes",
        c -> {
          byte[] body = bytes(3 << 20);
          c.put("src", body);
          copy(c, c.bucket(), "src", c.bucket(), "dst");
          assertThat(c.get("dst")).isEqualTo(body);
        });
    copySourceConditions(t);
  }

  private static void copySourceConditions(CaseTable t) {
    record Condition(String slug, String words, boolean copies, String... headers) {}
    Condition[] conditions = {
      new Condition(
          "if-match-true",
          "x-amz-copy-source-if-match: its ETag → copied",
          true,
          "x-amz-copy-source-if-match",
          "ETAG"),
      new Condition(
          "if-match-false",
          "x-amz-copy-source-if-match: another ETag → 412",
          false,
          "x-amz-copy-source-if-match",
          WRONG_ETAG),
      new Condition(
          "if-none-match-true",
          "x-amz-copy-source-if-none-match: another ETag → copied",
          true,
          "x-amz-copy-source-if-none-match",
          WRONG_ETAG),
      new Condition(
          "if-none-match-false",
          "x-amz-copy-source-if-none-match: its ETag → 412",
          false,
          "x-amz-copy-source-if-none-match",
          "ETAG"),
      new Condition(
          "if-modified-since-past",
          "x-amz-copy-source-if-modified-since: past → copied",
          true,
          "x-amz-copy-source-if-modified-since",
          PAST),
      new Condition(
          "if-modified-since-future",
          "x-amz-copy-source-if-modified-since: future → 412",
          false,
          "x-amz-copy-source-if-modified-since",
          FUTURE),
      new Condition(
          "if-unmodified-since-future",
          "x-amz-copy-source-if-unmodified-since: future → copied",
          true,
          "x-amz-copy-source-if-unmodified-since",
          FUTURE),
      new Condition(
          "if-unmodified-since-past",
          "x-amz-copy-source-if-unmodified-since: past → 412",
          false,
          "x-amz-copy-source-if-unmodified-since",
          PAST),
      new Condition(
          "if-match-wins-over-unmodified-since",
          "copy-source-if-match true and if-unmodified-since false → copied (S3's precedence)",
          true,
          "x-amz-copy-source-if-match",
          "ETAG",
          "x-amz-copy-source-if-unmodified-since",
          PAST),
      new Condition(
          "if-none-match-wins-over-modified-since",
          "copy-source-if-none-match false and if-modified-since true → 412 (S3's precedence)",
          false,
          "x-amz-copy-source-if-none-match",
          "ETAG",
          "x-amz-copy-source-if-modified-since",
          PAST),
    };
    for (Condition cond : conditions) {
      t.add(
          "copy/source-" + cond.slug(),
          "CopyObject with " + cond.words(),
          c -> {
            byte[] body = bytes(50);
            String etag = c.put("src", body).eTag();
            var request =
                c.request("PUT")
                    .bucket(c.bucket())
                    .key("dst")
                    .header("x-amz-copy-source", "/" + c.bucket() + "/src");
            for (int i = 0; i < cond.headers().length; i += 2) {
              request.header(cond.headers()[i], cond.headers()[i + 1].replace("ETAG", etag));
            }
            HttpResult r = request.send();
            if (cond.copies()) {
              assertThat(r.status()).as(r.toString()).isEqualTo(200);
              assertThat(c.get("dst")).isEqualTo(body);
            } else {
              expectError(412, "PreconditionFailed", r);
              expectError(404, "NoSuchKey", () -> c.get("dst"));
            }
          });
    }
  }

  static CopyObjectResponse copy(
      CaseContext c, String fromBucket, String fromKey, String toBucket, String toKey) {
    return c.s3()
        .copyObject(
            r ->
                r.sourceBucket(fromBucket)
                    .sourceKey(fromKey)
                    .destinationBucket(toBucket)
                    .destinationKey(toKey));
  }
}
