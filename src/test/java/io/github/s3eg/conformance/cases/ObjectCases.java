package io.github.s3eg.conformance.cases;

import static io.github.s3eg.conformance.CaseContext.bytes;
import static io.github.s3eg.conformance.CaseContext.expectError;
import static io.github.s3eg.conformance.CaseContext.md5Etag;
import static org.assertj.core.api.Assertions.assertThat;

import io.github.s3eg.conformance.CaseTable;
import io.github.s3eg.conformance.HttpResult;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.model.HeadObjectResponse;

/**
 * PutObject, GetObject, HeadObject, DeleteObject (S3 API reference, "PutObject", "GetObject",
 * "HeadObject", "DeleteObject"): bodies, ETags, sizes, missing keys and buckets, key names.
 */
final class ObjectCases {

  private ObjectCases() {}

  static void addTo(CaseTable t) {
    bodies(t);
    missing(t);
    deletes(t);
    keyNames(t);
  }

  private static void bodies(CaseTable t) {
    t.add(
        "objects/put-get-round-trip",
        "GetObject returns exactly the bytes PutObject stored",
        c -> {
          byte[] body = bytes(100_000);
          c.put("k", body);
          assertThat(c.get("k")).isEqualTo(body);
        });
    t.add(
        "objects/put-get-one-mebibyte",
        "A 1 MiB object comes back byte for byte",
        c -> {
          byte[] body = bytes(1 << 20);
          c.put("big", body);
          assertThat(c.get("big")).isEqualTo(body);
        });
    t.add(
        "objects/put-etag-is-md5",
        "PutObject answers ETag: the MD5 of the body in hex, quoted (single part, no SSE-KMS)",
        c -> {
          byte[] body = bytes(1000);
          assertThat(c.put("k", body).eTag()).isEqualTo(md5Etag(body));
        });
    t.add(
        "objects/head-etag-equals-put-etag",
        "HeadObject's ETag is the one PutObject returned",
        c -> {
          String etag = c.put("k", bytes(10)).eTag();
          assertThat(c.s3().headObject(r -> r.bucket(c.bucket()).key("k")).eTag()).isEqualTo(etag);
        });
    t.add(
        "objects/get-etag-equals-put-etag",
        "GetObject's ETag is the one PutObject returned",
        c -> {
          String etag = c.put("k", bytes(10)).eTag();
          assertThat(c.s3().getObjectAsBytes(r -> r.bucket(c.bucket()).key("k")).response().eTag())
              .isEqualTo(etag);
        });
    t.add(
        "objects/head-content-length",
        "HeadObject's Content-Length is the object's size",
        c -> {
          c.put("k", bytes(12_345));
          assertThat(c.s3().headObject(r -> r.bucket(c.bucket()).key("k")).contentLength())
              .isEqualTo(12_345L);
        });
    t.add(
        "objects/get-content-length",
        "GetObject's Content-Length header is the object's size",
        c -> {
          c.put("k", bytes(4321));
          HttpResult r = c.request("GET").bucket(c.bucket()).key("k").send();
          assertThat(r.status()).isEqualTo(200);
          assertThat(r.header("Content-Length")).isEqualTo("4321");
          assertThat(r.body()).hasSize(4321);
        });
    t.add(
        "objects/empty-object",
        "A zero-byte object: GET returns no bytes, HEAD Content-Length 0, ETag the MD5 of nothing",
        c -> {
          String etag = c.put("empty", new byte[0]).eTag();
          assertThat(etag).isEqualTo("\"d41d8cd98f00b204e9800998ecf8427e\"");
          assertThat(c.get("empty")).isEmpty();
          assertThat(c.s3().headObject(r -> r.bucket(c.bucket()).key("empty")).contentLength())
              .isZero();
        });
    t.add(
        "objects/overwrite-replaces-body",
        "A second PutObject of a key replaces the body",
        c -> {
          c.put("k", "first");
          c.put("k", "second, longer");
          assertThat(new String(c.get("k"), StandardCharsets.UTF_8)).isEqualTo("second, longer");
        });
    t.add(
        "objects/overwrite-replaces-metadata",
        "A second PutObject replaces the user metadata as a whole",
        c -> {
          c.s3()
              .putObject(
                  r -> r.bucket(c.bucket()).key("k").metadata(Map.of("a", "1")),
                  RequestBody.fromString("x"));
          c.s3()
              .putObject(
                  r -> r.bucket(c.bucket()).key("k").metadata(Map.of("b", "2")),
                  RequestBody.fromString("y"));
          assertThat(c.s3().headObject(r -> r.bucket(c.bucket()).key("k")).metadata())
              .isEqualTo(Map.of("b", "2"));
        });
    t.add(
        "objects/content-type-kept",
        "The Content-Type given to PutObject comes back on GET",
        c -> {
          c.s3()
              .putObject(
                  r -> r.bucket(c.bucket()).key("k").contentType("text/plain; charset=utf-8"),
                  RequestBody.fromString("hello"));
          assertThat(
                  c.s3()
                      .getObjectAsBytes(r -> r.bucket(c.bucket()).key("k"))
                      .response()
                      .contentType())
              .isEqualTo("text/plain; charset=utf-8");
        });
    t.add(
        "objects/content-type-default",
        "An object stored without Content-Type is served as binary/octet-stream",
        c -> {
          HttpResult put = c.request("PUT").bucket(c.bucket()).key("k").body(bytes(10)).send();
          assertThat(put.status()).isEqualTo(200);
          HttpResult head = c.request("HEAD").bucket(c.bucket()).key("k").send();
          assertThat(head.header("Content-Type")).isEqualTo("binary/octet-stream");
        });
    t.add(
        "objects/last-modified-recent",
        "HeadObject's Last-Modified is the time of the upload (within minutes)",
        c -> {
          c.put("k", bytes(1));
          Instant modified = c.s3().headObject(r -> r.bucket(c.bucket()).key("k")).lastModified();
          assertThat(Duration.between(modified, Instant.now()).abs())
              .isLessThan(Duration.ofMinutes(5));
        });
    t.add(
        "objects/get-accept-ranges",
        "GetObject answers Accept-Ranges: bytes",
        c -> {
          c.put("k", bytes(10));
          HttpResult r = c.request("GET").bucket(c.bucket()).key("k").send();
          assertThat(r.header("Accept-Ranges")).isEqualTo("bytes");
        });
    t.add(
        "objects/etag-header-quoted",
        "The ETag header of GET and HEAD is a quoted string",
        c -> {
          c.put("k", bytes(10));
          for (String method : new String[] {"GET", "HEAD"}) {
            String etag = c.request(method).bucket(c.bucket()).key("k").send().header("ETag");
            assertThat(etag).as(method).startsWith("\"").endsWith("\"");
          }
        });
    t.add(
        "objects/head-has-no-body",
        "HeadObject answers the headers of GET and no body",
        c -> {
          c.put("k", bytes(100));
          HttpResult r = c.request("HEAD").bucket(c.bucket()).key("k").send();
          assertThat(r.status()).isEqualTo(200);
          assertThat(r.header("Content-Length")).isEqualTo("100");
          assertThat(r.body()).isEmpty();
        });
    t.add(
        "objects/put-with-content-md5",
        "PutObject with a correct Content-MD5 succeeds",
        c -> {
          byte[] body = bytes(500);
          String md5 =
              java.util.Base64.getEncoder()
                  .encodeToString(java.security.MessageDigest.getInstance("MD5").digest(body));
          HttpResult r =
              c.request("PUT")
                  .bucket(c.bucket())
                  .key("k")
                  .header("Content-MD5", md5)
                  .body(body)
                  .send();
          assertThat(r.status()).isEqualTo(200);
          assertThat(c.get("k")).isEqualTo(body);
        });
    t.add(
        "objects/put-unsigned-payload",
        "PutObject signed with UNSIGNED-PAYLOAD stores the body",
        c -> {
          byte[] body = bytes(2048);
          HttpResult r =
              c.request("PUT").bucket(c.bucket()).key("k").body(body).unsignedPayload().send();
          assertThat(r.status()).isEqualTo(200);
          assertThat(c.get("k")).isEqualTo(body);
        });
  }

  private static void missing(CaseTable t) {
    t.add(
        "objects/get-missing-key",
        "GetObject of a key that does not exist: 404 NoSuchKey",
        c -> expectError(404, "NoSuchKey", () -> c.get("missing")));
    t.add(
        "objects/get-missing-key-names-key",
        "The NoSuchKey error body names the key",
        c -> {
          HttpResult r = c.request("GET").bucket(c.bucket()).key("missing/key").send();
          expectError(404, "NoSuchKey", r);
          assertThat(r.xml().text("/Error/Key")).isEqualTo("missing/key");
        });
    t.add(
        "objects/head-missing-key",
        "HeadObject of a key that does not exist: 404 and no body",
        c -> {
          c.bucket();
          HttpResult r = c.request("HEAD").bucket(c.bucket()).key("missing").send();
          assertThat(r.status()).isEqualTo(404);
          assertThat(r.body()).isEmpty();
        });
    t.add(
        "objects/get-missing-bucket",
        "GetObject in a bucket that does not exist: 404 NoSuchBucket",
        c -> expectError(404, "NoSuchBucket", () -> c.get(c.newBucketName(), "k")));
    t.add(
        "objects/get-missing-bucket-names-bucket",
        "The NoSuchBucket error body names the bucket",
        c -> {
          String bucket = c.newBucketName();
          HttpResult r = c.request("GET").bucket(bucket).key("k").send();
          expectError(404, "NoSuchBucket", r);
          assertThat(r.xml().text("/Error/BucketName")).isEqualTo(bucket);
        });
    t.add(
        "objects/put-missing-bucket",
        "PutObject into a bucket that does not exist: 404 NoSuchBucket",
        c -> expectError(404, "NoSuchBucket", () -> c.put(c.newBucketName(), "k", bytes(5))));
    t.add(
        "objects/key-too-long",
        "A key longer than 1024 bytes of UTF-8: 400 KeyTooLongError",
        c -> expectError(400, "KeyTooLongError", () -> c.put("k".repeat(1025), bytes(1))));
    t.add(
        "objects/key-of-1024-bytes",
        "A key of exactly 1024 bytes is stored and read back",
        c -> {
          String key = "k".repeat(1024);
          c.put(key, "max");
          assertThat(c.get(key)).isEqualTo("max".getBytes(StandardCharsets.UTF_8));
        });
  }

  private static void deletes(CaseTable t) {
    t.add(
        "objects/delete-answers-204",
        "DeleteObject answers 204 No Content",
        c -> {
          c.put("k", bytes(3));
          assertThat(c.request("DELETE").bucket(c.bucket()).key("k").send().status())
              .isEqualTo(204);
        });
    t.add(
        "objects/delete-missing-key-204",
        "DeleteObject of a key that does not exist also answers 204",
        c -> {
          c.bucket();
          assertThat(c.request("DELETE").bucket(c.bucket()).key("never").send().status())
              .isEqualTo(204);
        });
    t.add(
        "objects/delete-then-get-404",
        "After DeleteObject, GetObject answers 404 NoSuchKey",
        c -> {
          c.put("k", bytes(3));
          c.s3().deleteObject(r -> r.bucket(c.bucket()).key("k"));
          expectError(404, "NoSuchKey", () -> c.get("k"));
        });
    t.add(
        "objects/delete-missing-bucket",
        "DeleteObject in a bucket that does not exist: 404 NoSuchBucket",
        c ->
            expectError(
                404,
                "NoSuchBucket",
                () -> c.s3().deleteObject(r -> r.bucket(c.newBucketName()).key("k"))));
    t.add(
        "objects/delete-objects-removes-each",
        "DeleteObjects removes every key it names and reports each as Deleted",
        c -> {
          for (String k : new String[] {"a", "b", "c"}) {
            c.put(k, "x");
          }
          var r =
              c.s3()
                  .deleteObjects(
                      d ->
                          d.bucket(c.bucket())
                              .delete(
                                  x ->
                                      x.objects(
                                          o -> o.key("a"), o -> o.key("b"), o -> o.key("c"))));
          assertThat(r.deleted()).extracting(d -> d.key()).containsExactlyInAnyOrder("a", "b", "c");
          assertThat(r.errors()).isEmpty();
          assertThat(c.s3().listObjectsV2(l -> l.bucket(c.bucket())).contents()).isEmpty();
        });
    t.add(
        "objects/delete-objects-missing-keys",
        "DeleteObjects of keys that do not exist reports them as Deleted, not as errors",
        c -> {
          c.bucket();
          var r =
              c.s3()
                  .deleteObjects(
                      d ->
                          d.bucket(c.bucket())
                              .delete(x -> x.objects(o -> o.key("nope1"), o -> o.key("nope2"))));
          assertThat(r.deleted()).hasSize(2);
          assertThat(r.errors()).isEmpty();
        });
    t.add(
        "objects/delete-objects-quiet",
        "DeleteObjects in quiet mode reports no successful deletions",
        c -> {
          c.put("a", "x");
          var r =
              c.s3()
                  .deleteObjects(
                      d ->
                          d.bucket(c.bucket()).delete(x -> x.quiet(true).objects(o -> o.key("a"))));
          assertThat(r.deleted()).isEmpty();
          expectError(404, "NoSuchKey", () -> c.get("a"));
        });
    t.add(
        "objects/delete-objects-special-keys",
        "DeleteObjects deletes keys with spaces, unicode and XML special characters",
        c -> {
          String[] keys = {"a b", "ü/ß", "x&y<z>", "q'\"uote"};
          for (String k : keys) {
            c.put(k, "x");
          }
          var r =
              c.s3()
                  .deleteObjects(
                      d ->
                          d.bucket(c.bucket())
                              .delete(
                                  x ->
                                      x.objects(
                                          java.util.Arrays.stream(keys)
                                              .map(
                                                  k ->
                                                      software.amazon.awssdk.services.s3.model
                                                          .ObjectIdentifier.builder()
                                                          .key(k)
                                                          .build())
                                              .toList())));
          assertThat(r.deleted()).extracting(d -> d.key()).containsExactlyInAnyOrder(keys);
          assertThat(c.s3().listObjectsV2(l -> l.bucket(c.bucket())).contents()).isEmpty();
        });
    t.add(
        "objects/delete-objects-over-1000",
        "DeleteObjects of more than 1000 keys: 400 MalformedXML",
        c -> {
          c.bucket();
          var ids =
              java.util.stream.IntStream.range(0, 1001)
                  .mapToObj(
                      i ->
                          software.amazon.awssdk.services.s3.model.ObjectIdentifier.builder()
                              .key("k" + i)
                              .build())
                  .toList();
          expectError(
              400,
              "MalformedXML",
              () -> c.s3().deleteObjects(d -> d.bucket(c.bucket()).delete(x -> x.objects(ids))));
        });
  }

  /** Key names S3 accepts (any UTF-8), each stored, read, listed and deleted under its name. */
  private static void keyNames(CaseTable t) {
    Map<String, String> keys = new java.util.LinkedHashMap<>();
    keys.put("space", "with space");
    keys.put("plus", "plus+sign");
    keys.put("percent", "percent%20literal");
    keys.put("question-mark", "question?mark");
    keys.put("hash", "hash#mark");
    keys.put("ampersand-equals", "a=1&b=2");
    keys.put("unicode", "unicode-ü-日本語");
    keys.put("emoji", "emoji-😀");
    keys.put("trailing-slash", "folder/");
    keys.put("deep-path", "a/b/c/d/e/f.txt");
    keys.put("tilde-star", "tilde~star*");
    keys.put("xml-special", "x&y<z>'\"");
    keys.put("punctuation", "semi;colon:comma,at@dollar$");
    keys.put("brackets", "br[a]ck{e}ts(x)");
    keys.put("leading-slash-dir", "/leading");
    keys.put("double-slash", "a//b");
    keys.put("dot-segment", "a/./b");
    keys.put("dot-dot-segment", "a/../b");
    keys.put("dot-only", "./x");
    keys.put("dots-name", "..");
    for (Map.Entry<String, String> e : keys.entrySet()) {
      String key = e.getValue();
      t.add(
          "keys/" + e.getKey(),
          "A key like '" + key + "' is stored, read, listed and deleted under exactly that name",
          c -> {
            byte[] body = key.getBytes(StandardCharsets.UTF_8);
            c.put(key, body);
            assertThat(c.get(key)).isEqualTo(body);
            HeadObjectResponse head = c.s3().headObject(r -> r.bucket(c.bucket()).key(key));
            assertThat(head.contentLength()).isEqualTo(body.length);
            assertThat(c.s3().listObjectsV2(l -> l.bucket(c.bucket())).contents())
                .extracting(o -> o.key())
                .containsExactly(key);
            c.s3().deleteObject(r -> r.bucket(c.bucket()).key(key));
            assertThat(c.s3().listObjectsV2(l -> l.bucket(c.bucket())).contents()).isEmpty();
          });
    }
  }
}
