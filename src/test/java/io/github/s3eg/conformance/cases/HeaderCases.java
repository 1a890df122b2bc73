package io.github.s3eg.conformance.cases;

import static io.github.s3eg.conformance.CaseContext.bytes;
import static io.github.s3eg.conformance.CaseContext.expectError;
import static org.assertj.core.api.Assertions.assertThat;

import io.github.s3eg.conformance.CaseContext;
import io.github.s3eg.conformance.CaseTable;
import io.github.s3eg.conformance.HttpResult;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.model.CompletedPart;
import software.amazon.awssdk.services.s3.model.MetadataDirective;

/**
 * Object headers and user metadata (S3 API reference, PutObject request headers, "Working with
 * object metadata"): what a PUT, a copy or a multipart upload stores comes back on GET and HEAD
 * unchanged, and GET's response-* parameters override the stored values for one answer.
 */
final class HeaderCases {

  private HeaderCases() {}

  /** Stored headers, each with a value S3 returns as it was given. */
  static final Map<String, String> STORED = new LinkedHashMap<>();

  static {
    STORED.put("Cache-Control", "max-age=3600, must-revalidate");
    STORED.put("Content-Disposition", "attachment; filename=\"report 2026.pdf\"");
    STORED.put("Content-Encoding", "br");
    STORED.put("Content-Language", "de-CH");
    // Day 01: an HTTP date must keep its two-digit day (IMF-fixdate, RFC 9110).
    STORED.put("Expires", "Thu, 01 Jan 2037 00:00:00 GMT");
    STORED.put("Content-Type", "application/vnd.example+json");
    STORED.put("x-amz-website-redirect-location", "/elsewhere/page.html");
    STORED.put("x-amz-meta-colour", "deep blue");
    STORED.put("x-amz-storage-class", "STANDARD_IA");
  }

  /**
   * Settings S3 takes from the CopyObject request and never from its source, whatever the metadata
   * directive (CopyObject reference: the website redirect "is not copied when using the
   * x-amz-metadata-directive header"; without x-amz-storage-class the copy is STANDARD, which HEAD
   * shows as no header).
   */
  static final java.util.Set<String> NOT_COPIED =
      java.util.Set.of("x-amz-website-redirect-location", "x-amz-storage-class");

  /**
   * Ways an object gets its headers: each must keep every one of them (but {@link #NOT_COPIED}).
   */
  enum Path {
    PUT_GET("put-get", "PutObject, then GetObject"),
    PUT_HEAD("put-head", "PutObject, then HeadObject"),
    COPY("copy", "PutObject, CopyObject (metadata directive COPY), then HEAD of the copy"),
    COPY_REPLACE("copy-replace", "CopyObject with REPLACE and the header, then HEAD of the copy"),
    MULTIPART("multipart", "CreateMultipartUpload with the header, Complete, then HEAD");

    final String slug;
    final String words;

    Path(String slug, String words) {
      this.slug = slug;
      this.words = words;
    }
  }

  static void addTo(CaseTable t) {
    for (Map.Entry<String, String> h : STORED.entrySet()) {
      for (Path path : Path.values()) {
        String name = h.getKey().toLowerCase(java.util.Locale.ROOT).replace("x-amz-", "");
        boolean notCopied = path == Path.COPY && NOT_COPIED.contains(h.getKey());
        String expected = notCopied ? null : h.getValue();
        t.add(
            "headers/" + name + "-" + path.slug,
            h.getKey()
                + ": "
                + h.getValue()
                + (notCopied
                    ? " is not copied (S3 takes it from the copy request): "
                    : " survives: ")
                + path.words,
            c ->
                assertThat(storedThenRead(c, path, h.getKey(), h.getValue()))
                    .as(h.getKey())
                    .isEqualTo(expected));
      }
    }
    responseOverrides(t);
    metadata(t);
  }

  /** Stores an object with {@code header} by {@code path}; returns the header as read back. */
  private static String storedThenRead(CaseContext c, Path path, String header, String value) {
    String bucket = c.bucket();
    byte[] body = bytes(1000);
    switch (path) {
      case PUT_GET, PUT_HEAD, COPY -> {
        c.s3()
            .putObject(
                r ->
                    r.bucket(bucket)
                        .key("src")
                        .overrideConfiguration(o -> o.putHeader(header, value)),
                RequestBody.fromBytes(body));
        if (path == Path.COPY) {
          c.s3()
              .copyObject(
                  r ->
                      r.sourceBucket(bucket)
                          .sourceKey("src")
                          .destinationBucket(bucket)
                          .destinationKey("dst"));
          return headHeader(c, "dst", header);
        }
        if (path == Path.PUT_GET) {
          HttpResult r = c.request("GET").bucket(bucket).key("src").send();
          assertThat(r.status()).isEqualTo(200);
          return r.header(header);
        }
        return headHeader(c, "src", header);
      }
      case COPY_REPLACE -> {
        c.put("src", body);
        c.s3()
            .copyObject(
                r ->
                    r.sourceBucket(bucket)
                        .sourceKey("src")
                        .destinationBucket(bucket)
                        .destinationKey("dst")
                        .metadataDirective(MetadataDirective.REPLACE)
                        .overrideConfiguration(o -> o.putHeader(header, value)));
        return headHeader(c, "dst", header);
      }
      case MULTIPART -> {
        String id =
            c.s3()
                .createMultipartUpload(
                    r ->
                        r.bucket(bucket)
                            .key("mp")
                            .overrideConfiguration(o -> o.putHeader(header, value)))
                .uploadId();
        String etag =
            c.s3()
                .uploadPart(
                    r -> r.bucket(bucket).key("mp").uploadId(id).partNumber(1),
                    RequestBody.fromBytes(body))
                .eTag();
        c.s3()
            .completeMultipartUpload(
                r ->
                    r.bucket(bucket)
                        .key("mp")
                        .uploadId(id)
                        .multipartUpload(
                            m ->
                                m.parts(CompletedPart.builder().partNumber(1).eTag(etag).build())));
        return headHeader(c, "mp", header);
      }
      default -> throw new IllegalArgumentException(path.name());
    }
  }

  private static String headHeader(CaseContext c, String key, String header) {
    HttpResult r = c.request("HEAD").bucket(c.bucket()).key(key).send();
    assertThat(r.status()).isEqualTo(200);
    return r.header(header);
  }

  private static void responseOverrides(CaseTable t) {
    Map<String, String[]> overrides = new LinkedHashMap<>();
    overrides.put("response-content-type", new String[] {"Content-Type", "text/x-override"});
    overrides.put(
        "response-content-disposition",
        new String[] {"Content-Disposition", "inline; filename=\"x.txt\""});
    overrides.put("response-content-language", new String[] {"Content-Language", "fr"});
    overrides.put("response-cache-control", new String[] {"Cache-Control", "no-store"});
    overrides.put("response-content-encoding", new String[] {"Content-Encoding", "identity"});
    overrides.put("response-expires", new String[] {"Expires", "Mon, 05 Jan 2037 10:00:00 GMT"});
    for (Map.Entry<String, String[]> o : overrides.entrySet()) {
      String header = o.getValue()[0];
      String value = o.getValue()[1];
      t.add(
          "headers/override-" + o.getKey(),
          "GetObject with " + o.getKey() + "=" + value + " answers " + header + ": " + value,
          c -> {
            c.put("k", bytes(10));
            HttpResult r =
                c.request("GET").bucket(c.bucket()).key("k").query(o.getKey(), value).send();
            assertThat(r.status()).isEqualTo(200);
            assertThat(r.header(header)).isEqualTo(value);
          });
    }
    t.add(
        "headers/override-on-head",
        "HeadObject honours response-content-type too",
        c -> {
          c.put("k", bytes(10));
          HttpResult r =
              c.request("HEAD")
                  .bucket(c.bucket())
                  .key("k")
                  .query("response-content-type", "text/x-head")
                  .send();
          assertThat(r.header("Content-Type")).isEqualTo("text/x-head");
        });
  }

  private static void metadata(CaseTable t) {
    t.add(
        "metadata/round-trip",
        "User metadata (x-amz-meta-*) comes back on HEAD and GET",
        c -> {
          c.s3()
              .putObject(
                  r -> r.bucket(c.bucket()).key("k").metadata(Map.of("alpha", "1", "beta", "two")),
                  RequestBody.fromString("x"));
          assertThat(c.s3().headObject(r -> r.bucket(c.bucket()).key("k")).metadata())
              .isEqualTo(Map.of("alpha", "1", "beta", "two"));
          assertThat(
                  c.s3().getObjectAsBytes(r -> r.bucket(c.bucket()).key("k")).response().metadata())
              .isEqualTo(Map.of("alpha", "1", "beta", "two"));
        });
    t.add(
        "metadata/names-lower-cased",
        "Metadata names come back in lower case (S3 stores them so)",
        c -> {
          HttpResult put =
              c.request("PUT")
                  .bucket(c.bucket())
                  .key("k")
                  .header("x-amz-meta-MixedCase", "v")
                  .body(bytes(1))
                  .send();
          assertThat(put.status()).isEqualTo(200);
          HttpResult head = c.request("HEAD").bucket(c.bucket()).key("k").send();
          assertThat(head.headers().keySet()).contains("x-amz-meta-mixedcase");
          assertThat(
                  head.headers().keySet().stream()
                      .filter(n -> n.startsWith("x-amz-meta-"))
                      .toList())
              .as("exact header names")
              .allSatisfy(n -> assertThat(n).isEqualTo(n.toLowerCase(java.util.Locale.ROOT)));
        });
    t.add(
        "metadata/empty-value",
        "A metadata entry with an empty value is kept",
        c -> {
          HttpResult put =
              c.request("PUT")
                  .bucket(c.bucket())
                  .key("k")
                  .header("x-amz-meta-empty", "")
                  .body(bytes(1))
                  .send();
          assertThat(put.status()).isEqualTo(200);
          assertThat(
                  c.request("HEAD").bucket(c.bucket()).key("k").send().header("x-amz-meta-empty"))
              .isEqualTo("");
        });
    t.add(
        "metadata/twenty-entries",
        "Twenty metadata entries all come back",
        c -> {
          Map<String, String> meta = new LinkedHashMap<>();
          for (int i = 0; i < 20; i++) {
            meta.put("key" + i, "value-" + i);
          }
          c.s3()
              .putObject(
                  r -> r.bucket(c.bucket()).key("k").metadata(meta), RequestBody.fromString("x"));
          assertThat(c.s3().headObject(r -> r.bucket(c.bucket()).key("k")).metadata())
              .isEqualTo(meta);
        });
    t.add(
        "metadata/underscore-and-dots",
        "Metadata names with underscores and dots are kept",
        c -> {
          c.s3()
              .putObject(
                  r -> r.bucket(c.bucket()).key("k").metadata(Map.of("my_key.v2", "x")),
                  RequestBody.fromString("x"));
          assertThat(c.s3().headObject(r -> r.bucket(c.bucket()).key("k")).metadata())
              .containsEntry("my_key.v2", "x");
        });
    t.add(
        "metadata/punctuated-value",
        "A metadata value with spaces and punctuation comes back unchanged",
        c -> {
          String value = "a=b; c, d/e (f) \"g\" 100% ok?";
          c.s3()
              .putObject(
                  r -> r.bucket(c.bucket()).key("k").metadata(Map.of("v", value)),
                  RequestBody.fromString("x"));
          assertThat(c.s3().headObject(r -> r.bucket(c.bucket()).key("k")).metadata().get("v"))
              .isEqualTo(value);
        });
    t.add(
        "metadata/rfc2047-non-ascii-value",
        "A non-ASCII metadata value sent RFC 2047-encoded comes back decodable to the same text",
        c -> {
          String encoded =
              "=?UTF-8?B?"
                  + Base64.getEncoder()
                      .encodeToString("Zürich – 東京".getBytes(StandardCharsets.UTF_8))
                  + "?=";
          HttpResult put =
              c.request("PUT")
                  .bucket(c.bucket())
                  .key("k")
                  .header("x-amz-meta-city", encoded)
                  .body(bytes(1))
                  .send();
          assertThat(put.status()).isEqualTo(200);
          String back =
              c.request("HEAD").bucket(c.bucket()).key("k").send().header("x-amz-meta-city");
          assertThat(decodeRfc2047(back)).isEqualTo("Zürich – 東京");
        });
    t.add(
        "metadata/too-large",
        "User metadata over 2 KB: 400 MetadataTooLarge",
        c ->
            expectError(
                400,
                "MetadataTooLarge",
                () ->
                    c.s3()
                        .putObject(
                            r ->
                                r.bucket(c.bucket())
                                    .key("k")
                                    .metadata(Map.of("big", "x".repeat(2100))),
                            RequestBody.fromString("x"))));
    t.add(
        "metadata/copy-keeps-metadata",
        "CopyObject (COPY) keeps the source's user metadata and Content-Type",
        c -> {
          c.s3()
              .putObject(
                  r ->
                      r.bucket(c.bucket())
                          .key("src")
                          .contentType("text/csv")
                          .metadata(Map.of("origin", "src")),
                  RequestBody.fromString("a,b"));
          c.s3()
              .copyObject(
                  r ->
                      r.sourceBucket(c.bucket())
                          .sourceKey("src")
                          .destinationBucket(c.bucket())
                          .destinationKey("dst"));
          var head = c.s3().headObject(r -> r.bucket(c.bucket()).key("dst"));
          assertThat(head.metadata()).isEqualTo(Map.of("origin", "src"));
          assertThat(head.contentType()).isEqualTo("text/csv");
        });
    t.add(
        "metadata/copy-ignores-new-metadata",
        "CopyObject with COPY ignores metadata given in the copy request",
        c -> {
          c.s3()
              .putObject(
                  r -> r.bucket(c.bucket()).key("src").metadata(Map.of("origin", "src")),
                  RequestBody.fromString("x"));
          c.s3()
              .copyObject(
                  r ->
                      r.sourceBucket(c.bucket())
                          .sourceKey("src")
                          .destinationBucket(c.bucket())
                          .destinationKey("dst")
                          .metadataDirective(MetadataDirective.COPY)
                          .metadata(Map.of("ignored", "yes")));
          assertThat(c.s3().headObject(r -> r.bucket(c.bucket()).key("dst")).metadata())
              .isEqualTo(Map.of("origin", "src"));
        });
    t.add(
        "metadata/copy-replace-replaces",
        "CopyObject with REPLACE stores only the metadata of the copy request",
        c -> {
          c.s3()
              .putObject(
                  r -> r.bucket(c.bucket()).key("src").metadata(Map.of("origin", "src")),
                  RequestBody.fromString("x"));
          c.s3()
              .copyObject(
                  r ->
                      r.sourceBucket(c.bucket())
                          .sourceKey("src")
                          .destinationBucket(c.bucket())
                          .destinationKey("dst")
                          .metadataDirective(MetadataDirective.REPLACE)
                          .contentType("text/x-new")
                          .metadata(Map.of("fresh", "1")));
          var head = c.s3().headObject(r -> r.bucket(c.bucket()).key("dst"));
          assertThat(head.metadata()).isEqualTo(Map.of("fresh", "1"));
          assertThat(head.contentType()).isEqualTo("text/x-new");
        });
    t.add(
        "metadata/multipart-keeps-metadata",
        "Metadata given to CreateMultipartUpload is the completed object's",
        c -> {
          String id =
              c.s3()
                  .createMultipartUpload(
                      r -> r.bucket(c.bucket()).key("mp").metadata(Map.of("mp", "yes")))
                  .uploadId();
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
                                      List.of(
                                          CompletedPart.builder()
                                              .partNumber(1)
                                              .eTag(etag)
                                              .build()))));
          assertThat(c.s3().headObject(r -> r.bucket(c.bucket()).key("mp")).metadata())
              .isEqualTo(Map.of("mp", "yes"));
        });
  }

  /** Decodes an RFC 2047 "B" encoded word; any other text is returned as it is. */
  static String decodeRfc2047(String value) {
    if (value == null) {
      return null;
    }
    var m =
        java.util.regex.Pattern.compile(
                "=\\?UTF-8\\?B\\?([^?]*)\\?=", java.util.regex.Pattern.CASE_INSENSITIVE)
            .matcher(value);
    StringBuilder out = new StringBuilder();
    while (m.find()) {
      m.appendReplacement(
          out,
          java.util.regex.Matcher.quoteReplacement(
              new String(Base64.getDecoder().decode(m.group(1)), StandardCharsets.UTF_8)));
    }
    m.appendTail(out);
    return out.toString();
  }
}
