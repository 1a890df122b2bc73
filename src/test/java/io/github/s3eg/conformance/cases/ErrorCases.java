package io.github.s3eg.conformance.cases;

import static io.github.s3eg.conformance.CaseContext.bytes;
import static io.github.s3eg.conformance.CaseContext.expectError;
import static org.assertj.core.api.Assertions.assertThat;

import io.github.s3eg.conformance.CaseTable;
import io.github.s3eg.conformance.HttpResult;
import java.time.Instant;

/**
 * Authentication and request errors (S3 API reference, "Error responses", "Authenticating Requests
 * (AWS Signature Version 4)"): the error code and status of a bad request, and the shape of every
 * error answer.
 */
final class ErrorCases {

  private ErrorCases() {}

  static void addTo(CaseTable t) {
    authentication(t);
    requests(t);
    shape(t);
  }

  private static void authentication(CaseTable t) {
    t.add(
        "auth/anonymous-get-object",
        "An unsigned GetObject of a private object: 403 AccessDenied",
        c -> {
          c.put("k", bytes(1));
          expectError(
              403, "AccessDenied", c.request("GET").bucket(c.bucket()).key("k").sendAnonymous());
        });
    t.add(
        "auth/anonymous-put-object",
        "An unsigned PutObject: 403 AccessDenied",
        c -> {
          c.bucket();
          expectError(
              403,
              "AccessDenied",
              c.request("PUT").bucket(c.bucket()).key("k").body(bytes(3)).sendAnonymous());
        });
    t.add(
        "auth/anonymous-list-buckets",
        "An unsigned ListBuckets: 403 AccessDenied",
        c -> expectError(403, "AccessDenied", c.request("GET").sendAnonymous()));
    t.add(
        "auth/wrong-secret",
        "A request signed with a wrong secret key: 403 SignatureDoesNotMatch",
        c -> {
          c.bucket();
          expectError(
              403,
              "SignatureDoesNotMatch",
              c.request("GET")
                  .bucket(c.bucket())
                  .credentials(c.target().accessKey(), "not-the-secret-key-0000")
                  .send());
        });
    t.add(
        "auth/unknown-access-key",
        "A request signed with an unknown access key: 403 InvalidAccessKeyId",
        c -> {
          c.bucket();
          expectError(
              403,
              "InvalidAccessKeyId",
              c.request("GET")
                  .bucket(c.bucket())
                  .credentials("AKIANOSUCHKEY0000000", "whatever-secret-0000")
                  .send());
        });
    t.add(
        "auth/time-skewed",
        "A request signed an hour ago: 403 RequestTimeTooSkewed",
        c -> {
          c.bucket();
          expectError(
              403,
              "RequestTimeTooSkewed",
              c.request("GET")
                  .bucket(c.bucket())
                  .signedAt(Instant.now().minusSeconds(3600))
                  .send());
        });
    t.add(
        "auth/tampered-query",
        "A signed request whose query was changed after signing: 403 SignatureDoesNotMatch",
        c -> {
          c.put("k", bytes(10));
          java.net.URI url =
              c.request("GET").bucket(c.bucket()).key("k").presign(java.time.Duration.ofMinutes(5));
          java.net.URI tampered = java.net.URI.create(url + "&response-content-type=text%2Fhtml");
          expectError(403, "SignatureDoesNotMatch", c.fetch("GET", tampered, null));
        });
  }

  private static void requests(CaseTable t) {
    t.add(
        "requests/bad-content-md5",
        "PutObject with a Content-MD5 that does not match the body: 400 BadDigest",
        c -> {
          c.bucket();
          expectError(
              400,
              "BadDigest",
              c.request("PUT")
                  .bucket(c.bucket())
                  .key("k")
                  .header("Content-MD5", "1B2M2Y8AsgTpgAmY7PhCfg==")
                  .body(bytes(10))
                  .send());
          expectError(404, "NoSuchKey", () -> c.get("k"));
        });
    t.add(
        "requests/malformed-content-md5",
        "PutObject with a Content-MD5 that is not base64 of 16 bytes: 400 InvalidDigest",
        c -> {
          c.bucket();
          expectError(
              400,
              "InvalidDigest",
              c.request("PUT")
                  .bucket(c.bucket())
                  .key("k")
                  .header("Content-MD5", "not-an-md5")
                  .body(bytes(10))
                  .send());
        });
    t.add(
        "requests/content-sha256-mismatch",
        "A body whose SHA-256 differs from x-amz-content-sha256: 400 XAmzContentSHA256Mismatch",
        c -> {
          c.bucket();
          expectError(
              400,
              "XAmzContentSHA256Mismatch",
              c.request("PUT")
                  .bucket(c.bucket())
                  .key("k")
                  .body(bytes(10))
                  .signedBody(bytes(11))
                  .send());
          expectError(404, "NoSuchKey", () -> c.get("k"));
        });
    t.add(
        "requests/unknown-upload-id-abort",
        "AbortMultipartUpload of an unknown upload id: 404 NoSuchUpload",
        c -> {
          c.bucket();
          expectError(
              404,
              "NoSuchUpload",
              c.request("DELETE")
                  .bucket(c.bucket())
                  .key("k")
                  .query("uploadId", "no-such-upload")
                  .send());
        });
    t.add(
        "requests/delete-objects-malformed",
        "DeleteObjects with a body that is not the Delete document: 400 MalformedXML",
        c -> {
          c.bucket();
          byte[] body = "<NotDelete/>".getBytes(java.nio.charset.StandardCharsets.UTF_8);
          String md5 =
              java.util.Base64.getEncoder()
                  .encodeToString(java.security.MessageDigest.getInstance("MD5").digest(body));
          expectError(
              400,
              "MalformedXML",
              c.request("POST")
                  .bucket(c.bucket())
                  .query("delete", null)
                  .header("Content-MD5", md5)
                  .body(body)
                  .send());
        });
  }

  private static void shape(CaseTable t) {
    t.add(
        "errors/xml-body",
        "An error answer is an XML Error document with Code, Message and RequestId",
        c -> {
          c.bucket();
          HttpResult r = c.request("GET").bucket(c.bucket()).key("missing").send();
          assertThat(r.status()).isEqualTo(404);
          assertThat(r.xml().root()).isEqualTo("Error");
          assertThat(r.xml().text("/Error/Code")).isEqualTo("NoSuchKey");
          assertThat(r.xml().text("/Error/Message")).isNotBlank();
          assertThat(r.xml().text("/Error/RequestId")).isNotBlank();
        });
    t.add(
        "errors/content-type-xml",
        "An error answer has Content-Type application/xml",
        c -> {
          c.bucket();
          HttpResult r = c.request("GET").bucket(c.bucket()).key("missing").send();
          assertThat(r.header("Content-Type")).startsWith("application/xml");
        });
    t.add(
        "errors/request-id-header",
        "Answers carry x-amz-request-id, successful or not",
        c -> {
          c.put("k", bytes(1));
          assertThat(c.request("GET").bucket(c.bucket()).key("k").send().header("x-amz-request-id"))
              .isNotBlank();
          assertThat(
                  c.request("GET")
                      .bucket(c.bucket())
                      .key("missing")
                      .send()
                      .header("x-amz-request-id"))
              .isNotBlank();
        });
    t.add(
        "errors/request-id-matches-body",
        "An error's RequestId element equals its x-amz-request-id header",
        c -> {
          c.bucket();
          HttpResult r = c.request("GET").bucket(c.bucket()).key("missing").send();
          assertThat(r.xml().text("/Error/RequestId")).isEqualTo(r.header("x-amz-request-id"));
        });
    t.add(
        "errors/head-error-no-body",
        "A HEAD error (403) has no body",
        c -> {
          c.put("k", bytes(1));
          HttpResult r = c.request("HEAD").bucket(c.bucket()).key("k").sendAnonymous();
          assertThat(r.status()).isEqualTo(403);
          assertThat(r.body()).isEmpty();
        });
  }
}
