package io.github.s3eg.conformance.cases;

import static io.github.s3eg.conformance.CaseContext.bytes;
import static io.github.s3eg.conformance.CaseContext.expectError;
import static org.assertj.core.api.Assertions.assertThat;

import io.github.s3eg.conformance.CaseContext;
import io.github.s3eg.conformance.CaseTable;
import io.github.s3eg.conformance.HttpResult;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.Locale;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.model.CompletedPart;

/**
 * Conditional requests (S3 API reference: GetObject and HeadObject If-* headers, including their
 * precedence rules; "Conditional writes" for PutObject, CompleteMultipartUpload and CopyObject's
 * destination).
 */
final class ConditionalCases {

  private ConditionalCases() {}

  static final DateTimeFormatter HTTP_DATE =
      DateTimeFormatter.ofPattern("EEE, dd MMM yyyy HH:mm:ss 'GMT'", Locale.US)
          .withZone(ZoneOffset.UTC);

  static final String PAST = HTTP_DATE.format(Instant.parse("2001-01-01T00:00:00Z"));
  static final String FUTURE = HTTP_DATE.format(Instant.parse("2099-01-01T00:00:00Z"));
  static final String WRONG_ETAG = "\"00000000000000000000000000000000\"";

  /** One read condition and the status S3 answers for it. */
  record Read(String slug, String words, int status, String[] headers) {}

  static void addTo(CaseTable t) {
    reads(t);
    writes(t);
  }

  private static void reads(CaseTable t) {
    // "ETAG" stands for the object's ETag, filled in when the case runs.
    List<Read> reads =
        List.of(
            new Read("if-match-true", "If-Match: its ETag → 200", 200, h("If-Match", "ETAG")),
            new Read(
                "if-match-false",
                "If-Match: another ETag → 412 PreconditionFailed",
                412,
                h("If-Match", WRONG_ETAG)),
            new Read(
                "if-none-match-true",
                "If-None-Match: another ETag → 200",
                200,
                h("If-None-Match", WRONG_ETAG)),
            new Read(
                "if-none-match-false",
                "If-None-Match: its ETag → 304 Not Modified",
                304,
                h("If-None-Match", "ETAG")),
            new Read(
                "if-modified-since-past",
                "If-Modified-Since: a past date → 200",
                200,
                h("If-Modified-Since", PAST)),
            new Read(
                "if-modified-since-future",
                "If-Modified-Since: a later date → 304 Not Modified",
                304,
                h("If-Modified-Since", FUTURE)),
            new Read(
                "if-unmodified-since-future",
                "If-Unmodified-Since: a later date → 200",
                200,
                h("If-Unmodified-Since", FUTURE)),
            new Read(
                "if-unmodified-since-past",
                "If-Unmodified-Since: a past date → 412 PreconditionFailed",
                412,
                h("If-Unmodified-Since", PAST)),
            new Read(
                "if-match-wins-over-unmodified-since",
                "If-Match true and If-Unmodified-Since false → 200 (S3's precedence)",
                200,
                h("If-Match", "ETAG", "If-Unmodified-Since", PAST)),
            new Read(
                "if-none-match-wins-over-modified-since",
                "If-None-Match false and If-Modified-Since true → 304 (S3's precedence)",
                304,
                h("If-None-Match", "ETAG", "If-Modified-Since", PAST)));
    for (Read r : reads) {
      for (String method : new String[] {"GET", "HEAD"}) {
        t.add(
            "conditional-reads/" + method.toLowerCase(Locale.ROOT) + "-" + r.slug(),
            method + " with " + r.words(),
            c -> {
              byte[] body = bytes(64);
              String etag = c.put("k", body).eTag();
              var request = c.request(method).bucket(c.bucket()).key("k");
              for (int i = 0; i < r.headers().length; i += 2) {
                request.header(r.headers()[i], r.headers()[i + 1].replace("ETAG", etag));
              }
              HttpResult got = request.send();
              assertThat(got.status()).as(got.toString()).isEqualTo(r.status());
              if (method.equals("GET") && r.status() == 200) {
                assertThat(got.body()).isEqualTo(body);
              }
              if (r.status() == 304) {
                assertThat(got.body()).as("304 has no body").isEmpty();
              }
              if (method.equals("GET") && r.status() == 412) {
                assertThat(got.errorCode()).isEqualTo("PreconditionFailed");
              }
            });
      }
    }
    t.add(
        "conditional-reads/not-modified-etag",
        "A 304 answer carries the object's ETag",
        c -> {
          String etag = c.put("k", bytes(10)).eTag();
          HttpResult r =
              c.request("GET").bucket(c.bucket()).key("k").header("If-None-Match", etag).send();
          assertThat(r.status()).isEqualTo(304);
          assertThat(r.header("ETag")).isEqualTo(etag);
        });
    t.add(
        "conditional-reads/sdk-if-match",
        "The SDK's GetObject with ifMatch of another ETag fails with 412 PreconditionFailed",
        c -> {
          c.put("k", bytes(10));
          expectError(
              412,
              "PreconditionFailed",
              () ->
                  c.s3().getObjectAsBytes(r -> r.bucket(c.bucket()).key("k").ifMatch(WRONG_ETAG)));
        });
    t.add(
        "conditional-reads/range-and-if-match",
        "A ranged GET with a true If-Match answers 206",
        c -> {
          String etag = c.put("k", bytes(100)).eTag();
          HttpResult r =
              c.request("GET")
                  .bucket(c.bucket())
                  .key("k")
                  .header("If-Match", etag)
                  .header("Range", "bytes=0-9")
                  .send();
          assertThat(r.status()).isEqualTo(206);
        });
  }

  private static String[] h(String... nameValues) {
    return nameValues;
  }

  private static void writes(CaseTable t) {
    t.add(
        "conditional-writes/put-if-none-match-new-key",
        "PutObject with If-None-Match: * of a new key succeeds",
        c -> {
          c.s3()
              .putObject(
                  r -> r.bucket(c.bucket()).key("k").ifNoneMatch("*"), RequestBody.fromString("1"));
          assertThat(c.get("k")).isEqualTo("1".getBytes(StandardCharsets.UTF_8));
        });
    t.add(
        "conditional-writes/put-if-none-match-existing",
        "PutObject with If-None-Match: * of an existing key: 412 PreconditionFailed, object kept",
        c -> {
          c.put("k", "original");
          expectError(
              412,
              "PreconditionFailed",
              () ->
                  c.s3()
                      .putObject(
                          r -> r.bucket(c.bucket()).key("k").ifNoneMatch("*"),
                          RequestBody.fromString("overwritten")));
          assertThat(new String(c.get("k"), StandardCharsets.UTF_8)).isEqualTo("original");
        });
    t.add(
        "conditional-writes/put-if-match-current",
        "PutObject with If-Match: the current ETag succeeds",
        c -> {
          String etag = c.put("k", "v1").eTag();
          c.s3()
              .putObject(
                  r -> r.bucket(c.bucket()).key("k").ifMatch(etag), RequestBody.fromString("v2"));
          assertThat(new String(c.get("k"), StandardCharsets.UTF_8)).isEqualTo("v2");
        });
    t.add(
        "conditional-writes/put-if-match-stale",
        "PutObject with If-Match: another ETag: 412 PreconditionFailed, object kept",
        c -> {
          c.put("k", "v1");
          expectError(
              412,
              "PreconditionFailed",
              () ->
                  c.s3()
                      .putObject(
                          r -> r.bucket(c.bucket()).key("k").ifMatch(WRONG_ETAG),
                          RequestBody.fromString("v2")));
          assertThat(new String(c.get("k"), StandardCharsets.UTF_8)).isEqualTo("v1");
        });
    t.add(
        "conditional-writes/put-if-match-missing-key",
        "PutObject with If-Match of a key that does not exist: 404 NoSuchKey",
        c ->
            expectError(
                404,
                "NoSuchKey",
                () ->
                    c.s3()
                        .putObject(
                            r -> r.bucket(c.bucket()).key("k").ifMatch(WRONG_ETAG),
                            RequestBody.fromString("v"))));
    t.add(
        "conditional-writes/put-if-match-after-overwrite",
        "If-Match with the ETag of an overwritten version: 412 (optimistic locking)",
        c -> {
          String first = c.put("k", "v1").eTag();
          c.put("k", "v2 by someone else");
          expectError(
              412,
              "PreconditionFailed",
              () ->
                  c.s3()
                      .putObject(
                          r -> r.bucket(c.bucket()).key("k").ifMatch(first),
                          RequestBody.fromString("v3")));
        });
    t.add(
        "conditional-writes/complete-if-none-match-existing",
        "CompleteMultipartUpload with If-None-Match: * over an existing key: 412",
        c -> {
          c.put("k", "original");
          Upload u = Upload.oneSmallPart(c, "k");
          expectError(412, "PreconditionFailed", () -> u.complete(c, b -> b.ifNoneMatch("*")));
          assertThat(new String(c.get("k"), StandardCharsets.UTF_8)).isEqualTo("original");
        });
    t.add(
        "conditional-writes/complete-if-none-match-new",
        "CompleteMultipartUpload with If-None-Match: * of a new key succeeds",
        c -> {
          Upload u = Upload.oneSmallPart(c, "k");
          u.complete(c, b -> b.ifNoneMatch("*"));
          assertThat(c.get("k")).isEqualTo(u.body);
        });
    t.add(
        "conditional-writes/complete-if-match-stale",
        "CompleteMultipartUpload with If-Match: another ETag: 412 PreconditionFailed",
        c -> {
          c.put("k", "original");
          Upload u = Upload.oneSmallPart(c, "k");
          expectError(412, "PreconditionFailed", () -> u.complete(c, b -> b.ifMatch(WRONG_ETAG)));
        });
    t.add(
        "conditional-writes/complete-if-match-current",
        "CompleteMultipartUpload with If-Match: the current ETag succeeds",
        c -> {
          String etag = c.put("k", "original").eTag();
          Upload u = Upload.oneSmallPart(c, "k");
          u.complete(c, b -> b.ifMatch(etag));
          assertThat(c.get("k")).isEqualTo(u.body);
        });
    t.add(
        "conditional-writes/copy-if-none-match-existing",
        "CopyObject with If-None-Match: * onto an existing key: 412, destination kept",
        c -> {
          c.put("src", "source");
          c.put("dst", "destination");
          expectError(
              412,
              "PreconditionFailed",
              () ->
                  c.s3()
                      .copyObject(
                          r ->
                              r.sourceBucket(c.bucket())
                                  .sourceKey("src")
                                  .destinationBucket(c.bucket())
                                  .destinationKey("dst")
                                  .ifNoneMatch("*")));
          assertThat(new String(c.get("dst"), StandardCharsets.UTF_8)).isEqualTo("destination");
        });
    t.add(
        "conditional-writes/copy-if-match-stale",
        "CopyObject with If-Match: another ETag of the destination: 412",
        c -> {
          c.put("src", "source");
          c.put("dst", "destination");
          expectError(
              412,
              "PreconditionFailed",
              () ->
                  c.s3()
                      .copyObject(
                          r ->
                              r.sourceBucket(c.bucket())
                                  .sourceKey("src")
                                  .destinationBucket(c.bucket())
                                  .destinationKey("dst")
                                  .ifMatch(WRONG_ETAG)));
        });
  }

  /** A multipart upload with one small part, not yet completed. */
  static final class Upload {
    final String key;
    final String id;
    final String etag;
    final byte[] body = bytes(1234);

    private Upload(CaseContext c, String key) {
      this.key = key;
      this.id = c.s3().createMultipartUpload(r -> r.bucket(c.bucket()).key(key)).uploadId();
      this.etag =
          c.s3()
              .uploadPart(
                  r -> r.bucket(c.bucket()).key(key).uploadId(id).partNumber(1),
                  RequestBody.fromBytes(body))
              .eTag();
    }

    static Upload oneSmallPart(CaseContext c, String key) {
      return new Upload(c, key);
    }

    void complete(
        CaseContext c,
        java.util.function.Consumer<
                software.amazon.awssdk.services.s3.model.CompleteMultipartUploadRequest.Builder>
            extra) {
      c.s3()
          .completeMultipartUpload(
              r -> {
                r.bucket(c.bucket())
                    .key(key)
                    .uploadId(id)
                    .multipartUpload(
                        m -> m.parts(CompletedPart.builder().partNumber(1).eTag(etag).build()));
                extra.accept(r);
              });
    }
  }
}
