package io.github.s3eg.conformance.cases;

import static io.github.s3eg.conformance.CaseContext.bytes;
import static io.github.s3eg.conformance.CaseContext.expectError;
import static org.assertj.core.api.Assertions.assertThat;

import io.github.s3eg.conformance.CaseContext;
import io.github.s3eg.conformance.CaseTable;
import io.github.s3eg.conformance.HttpResult;
import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import software.amazon.awssdk.core.sync.RequestBody;

/**
 * Presigned URLs (S3 API reference, "Authenticating Requests: Using Query Parameters"): made by the
 * SDK's presigner (or the SDK's SigV4 signer with a chosen clock), used by a plain HTTP client.
 */
final class PresignedCases {

  private PresignedCases() {}

  static URI presignedGet(CaseContext c, String key) {
    return URI.create(
        c.presigner()
            .presignGetObject(
                p ->
                    p.signatureDuration(Duration.ofMinutes(10))
                        .getObjectRequest(g -> g.bucket(c.bucket()).key(key)))
            .url()
            .toString());
  }

  static void addTo(CaseTable t) {
    t.add(
        "presigned/get",
        "A presigned GET URL reads the object without further credentials",
        c -> {
          byte[] body = bytes(20_000);
          c.put("k", body);
          HttpResult r = c.fetch("GET", presignedGet(c, "k"), null);
          assertThat(r.status()).isEqualTo(200);
          assertThat(r.body()).isEqualTo(body);
        });
    t.add(
        "presigned/get-special-key",
        "A presigned GET URL of a key with spaces and unicode works",
        c -> {
          String key = "dir/ä b+c.txt";
          byte[] body = bytes(10);
          c.put(key, body);
          HttpResult r = c.fetch("GET", presignedGet(c, key), null);
          assertThat(r.status()).isEqualTo(200);
          assertThat(r.body()).isEqualTo(body);
        });
    t.add(
        "presigned/put",
        "A presigned PUT URL stores the body sent to it",
        c -> {
          c.bucket();
          URI url =
              URI.create(
                  c.presigner()
                      .presignPutObject(
                          p ->
                              p.signatureDuration(Duration.ofMinutes(10))
                                  .putObjectRequest(r -> r.bucket(c.bucket()).key("up")))
                      .url()
                      .toString());
          byte[] body = bytes(30_000);
          HttpResult r = c.fetch("PUT", url, body);
          assertThat(r.status()).as(r.toString()).isEqualTo(200);
          assertThat(c.get("up")).isEqualTo(body);
        });
    t.add(
        "presigned/head",
        "A presigned HEAD URL answers the object's Content-Length",
        c -> {
          c.put("k", bytes(777));
          URI url =
              URI.create(
                  c.presigner()
                      .presignHeadObject(
                          p ->
                              p.signatureDuration(Duration.ofMinutes(10))
                                  .headObjectRequest(r -> r.bucket(c.bucket()).key("k")))
                      .url()
                      .toString());
          HttpResult r = c.fetch("HEAD", url, null);
          assertThat(r.status()).isEqualTo(200);
          assertThat(r.header("Content-Length")).isEqualTo("777");
        });
    t.add(
        "presigned/delete",
        "A presigned DELETE URL deletes the object (204)",
        c -> {
          c.put("k", bytes(1));
          URI url =
              URI.create(
                  c.presigner()
                      .presignDeleteObject(
                          p ->
                              p.signatureDuration(Duration.ofMinutes(10))
                                  .deleteObjectRequest(r -> r.bucket(c.bucket()).key("k")))
                      .url()
                      .toString());
          assertThat(c.fetch("DELETE", url, null).status()).isEqualTo(204);
          expectError(404, "NoSuchKey", () -> c.get("k"));
        });
    t.add(
        "presigned/response-override",
        "A presigned GET with response-content-disposition answers that header",
        c -> {
          c.put("k", bytes(1));
          URI url =
              URI.create(
                  c.presigner()
                      .presignGetObject(
                          p ->
                              p.signatureDuration(Duration.ofMinutes(10))
                                  .getObjectRequest(
                                      g ->
                                          g.bucket(c.bucket())
                                              .key("k")
                                              .responseContentDisposition(
                                                  "attachment; filename=\"x.bin\"")))
                      .url()
                      .toString());
          HttpResult r = c.fetch("GET", url, null);
          assertThat(r.status()).isEqualTo(200);
          assertThat(r.header("Content-Disposition")).isEqualTo("attachment; filename=\"x.bin\"");
        });
    t.add(
        "presigned/missing-key",
        "A presigned GET of a missing key: 404 NoSuchKey",
        c -> {
          c.bucket();
          expectError(404, "NoSuchKey", c.fetch("GET", presignedGet(c, "nope"), null));
        });
    t.add(
        "presigned/expired",
        "A presigned URL past its expiry: 403 AccessDenied",
        c -> {
          c.put("k", bytes(1));
          URI url =
              c.request("GET")
                  .bucket(c.bucket())
                  .key("k")
                  .signedAt(Instant.now().minusSeconds(7200))
                  .presign(Duration.ofSeconds(60));
          expectError(403, "AccessDenied", c.fetch("GET", url, null));
        });
    t.add(
        "presigned/tampered-signature",
        "A presigned URL with a changed signature: 403 SignatureDoesNotMatch",
        c -> {
          c.put("k", bytes(1));
          String url = presignedGet(c, "k").toString();
          int at = url.indexOf("X-Amz-Signature=") + "X-Amz-Signature=".length();
          char first = url.charAt(at);
          String tampered =
              url.substring(0, at) + (first == '0' ? '1' : '0') + url.substring(at + 1);
          expectError(403, "SignatureDoesNotMatch", c.fetch("GET", URI.create(tampered), null));
        });
    t.add(
        "presigned/other-key",
        "A presigned URL used for another key: 403 SignatureDoesNotMatch",
        c -> {
          c.put("k", bytes(1));
          c.put("other", bytes(2));
          String url = presignedGet(c, "k").toString().replace("/k?", "/other?");
          expectError(403, "SignatureDoesNotMatch", c.fetch("GET", URI.create(url), null));
        });
    t.add(
        "presigned/wrong-method",
        "A presigned GET URL used to PUT: 403 SignatureDoesNotMatch, nothing stored",
        c -> {
          c.put("k", bytes(1));
          expectError(403, "SignatureDoesNotMatch", c.fetch("PUT", presignedGet(c, "k"), bytes(9)));
          assertThat(c.get("k")).isEqualTo(bytes(1));
        });
    t.add(
        "presigned/expires-over-a-week",
        "X-Amz-Expires over 604800 seconds: 400 AuthorizationQueryParametersError",
        c -> {
          c.put("k", bytes(1));
          String url =
              presignedGet(c, "k")
                  .toString()
                  .replaceAll("X-Amz-Expires=\\d+", "X-Amz-Expires=604801");
          expectError(
              400, "AuthorizationQueryParametersError", c.fetch("GET", URI.create(url), null));
        });
    t.add(
        "presigned/range",
        "A presigned GET honours a Range header",
        c -> {
          byte[] body = bytes(1000);
          c.put("k", body);
          var r = c.request("GET").bucket(c.bucket()).key("k").presign(Duration.ofMinutes(5));
          HttpResult got = rangeFetch(c, r, "bytes=100-199");
          assertThat(got.status()).isEqualTo(206);
          assertThat(got.body()).isEqualTo(java.util.Arrays.copyOfRange(body, 100, 200));
        });
    t.add(
        "presigned/upload-part",
        "A presigned UploadPart URL uploads a part that completes the upload",
        c -> {
          String id = c.s3().createMultipartUpload(r -> r.bucket(c.bucket()).key("mp")).uploadId();
          URI url =
              URI.create(
                  c.presigner()
                      .presignUploadPart(
                          p ->
                              p.signatureDuration(Duration.ofMinutes(10))
                                  .uploadPartRequest(
                                      u ->
                                          u.bucket(c.bucket())
                                              .key("mp")
                                              .uploadId(id)
                                              .partNumber(1)))
                      .url()
                      .toString());
          byte[] body = bytes(2000);
          HttpResult r = c.fetch("PUT", url, body);
          assertThat(r.status()).as(r.toString()).isEqualTo(200);
          c.s3()
              .completeMultipartUpload(
                  x ->
                      x.bucket(c.bucket())
                          .key("mp")
                          .uploadId(id)
                          .multipartUpload(
                              m -> m.parts(p -> p.partNumber(1).eTag(r.header("ETag")))));
          assertThat(c.get("mp")).isEqualTo(body);
        });
    t.add(
        "presigned/sdk-put-then-presigned-get-metadata",
        "A presigned GET answers the metadata PutObject stored",
        c -> {
          c.s3()
              .putObject(
                  r -> r.bucket(c.bucket()).key("k").metadata(java.util.Map.of("m", "v")),
                  RequestBody.fromString("x"));
          HttpResult r = c.fetch("GET", presignedGet(c, "k"), null);
          assertThat(r.header("x-amz-meta-m")).isEqualTo("v");
        });
  }

  private static HttpResult rangeFetch(CaseContext c, URI url, String range) {
    return c.fetchWithHeader("GET", url, "Range", range);
  }
}
