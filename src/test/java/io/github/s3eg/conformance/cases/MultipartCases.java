package io.github.s3eg.conformance.cases;

import static io.github.s3eg.conformance.CaseContext.bytes;
import static io.github.s3eg.conformance.CaseContext.concat;
import static io.github.s3eg.conformance.CaseContext.expectError;
import static io.github.s3eg.conformance.CaseContext.md5Etag;
import static org.assertj.core.api.Assertions.assertThat;

import io.github.s3eg.conformance.CaseContext;
import io.github.s3eg.conformance.CaseTable;
import io.github.s3eg.conformance.HttpResult;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.model.CompleteMultipartUploadResponse;
import software.amazon.awssdk.services.s3.model.CompletedPart;
import software.amazon.awssdk.services.s3.model.ListPartsResponse;

/**
 * Multipart uploads (S3 API reference: CreateMultipartUpload, UploadPart, UploadPartCopy,
 * CompleteMultipartUpload, AbortMultipartUpload, ListParts, ListMultipartUploads): assembly, part
 * ETags, listing of parts and uploads, the errors of a wrong completion.
 */
final class MultipartCases {

  private MultipartCases() {}

  /** The smallest size of a part that is not the last. */
  static final int MIN_PART = 5 << 20;

  static void addTo(CaseTable t) {
    assembly(t);
    listings(t);
    errors(t);
    copies(t);
  }

  private static void assembly(CaseTable t) {
    t.add(
        "multipart/two-parts-assemble",
        "A 5 MiB part and a small last part complete into their concatenation",
        c -> {
          Mpu u = Mpu.start(c, "k");
          byte[] a = bytes(MIN_PART);
          byte[] b = bytes(1000);
          u.part(1, a).part(2, b).complete();
          assertThat(c.get("k")).isEqualTo(concat(a, b));
        });
    t.add(
        "multipart/head-size",
        "HEAD of a completed upload answers the total size",
        c -> {
          Mpu.start(c, "k").part(1, bytes(MIN_PART)).part(2, bytes(777)).complete();
          assertThat(c.s3().headObject(r -> r.bucket(c.bucket()).key("k")).contentLength())
              .isEqualTo(MIN_PART + 777L);
        });
    t.add(
        "multipart/single-small-part",
        "An upload of one part smaller than 5 MiB completes (the last part may be small)",
        c -> {
          byte[] a = bytes(100);
          Mpu.start(c, "k").part(1, a).complete();
          assertThat(c.get("k")).isEqualTo(a);
        });
    t.add(
        "multipart/part-etag-is-md5",
        "UploadPart answers ETag: the part's MD5, quoted",
        c -> {
          byte[] a = bytes(4096);
          Mpu u = Mpu.start(c, "k").part(1, a);
          assertThat(u.etags.get(0)).isEqualTo(md5Etag(a));
        });
    t.add(
        "multipart/complete-etag-has-part-count",
        "CompleteMultipartUpload's ETag is 'hex-N' with N the number of parts",
        c -> {
          CompleteMultipartUploadResponse r =
              Mpu.start(c, "k").part(1, bytes(MIN_PART)).part(2, bytes(10)).complete();
          assertThat(r.eTag()).matches("\"[0-9a-f]{32}-2\"");
        });
    t.add(
        "multipart/complete-etag-equals-head",
        "The ETag Complete answers is the object's ETag on HEAD",
        c -> {
          CompleteMultipartUploadResponse r =
              Mpu.start(c, "k").part(1, bytes(MIN_PART)).part(2, bytes(10)).complete();
          assertThat(c.s3().headObject(h -> h.bucket(c.bucket()).key("k")).eTag())
              .isEqualTo(r.eTag());
        });
    t.add(
        "multipart/complete-result-names-object",
        "CompleteMultipartUploadResult names the bucket and key",
        c -> {
          CompleteMultipartUploadResponse r = Mpu.start(c, "dir/k").part(1, bytes(10)).complete();
          assertThat(r.bucket()).isEqualTo(c.bucket());
          assertThat(r.key()).isEqualTo("dir/k");
        });
    t.add(
        "multipart/reupload-replaces-part",
        "Uploading a part number again replaces that part",
        c -> {
          Mpu u = Mpu.start(c, "k");
          u.part(1, bytes(100));
          byte[] second = bytes(200);
          u.etags.clear();
          u.numbers.clear();
          u.part(1, second).complete();
          assertThat(c.get("k")).isEqualTo(second);
        });
    t.add(
        "multipart/sparse-part-numbers",
        "Part numbers need not be consecutive (1 and 3)",
        c -> {
          byte[] a = bytes(MIN_PART);
          byte[] b = bytes(300);
          Mpu.start(c, "k").part(1, a).part(3, b).complete();
          assertThat(c.get("k")).isEqualTo(concat(a, b));
        });
    t.add(
        "multipart/ranged-read-across-parts",
        "A ranged GET across the boundary of two parts returns the right bytes",
        c -> {
          byte[] a = bytes(MIN_PART);
          byte[] b = bytes(50_000);
          Mpu.start(c, "k").part(1, a).part(2, b).complete();
          byte[] all = concat(a, b);
          int from = MIN_PART - 100;
          HttpResult r =
              c.request("GET")
                  .bucket(c.bucket())
                  .key("k")
                  .header("Range", "bytes=" + from + "-" + (from + 199))
                  .send();
          assertThat(r.status()).isEqualTo(206);
          assertThat(r.body()).isEqualTo(Arrays.copyOfRange(all, from, from + 200));
        });
    t.add(
        "multipart/get-part-number",
        "GetObject with partNumber=2 returns that part (206) and x-amz-mp-parts-count",
        c -> {
          byte[] a = bytes(MIN_PART);
          byte[] b = bytes(1234);
          Mpu.start(c, "k").part(1, a).part(2, b).complete();
          HttpResult r =
              c.request("GET").bucket(c.bucket()).key("k").query("partNumber", "2").send();
          assertThat(r.status()).isEqualTo(206);
          assertThat(r.body()).isEqualTo(b);
          assertThat(r.header("x-amz-mp-parts-count")).isEqualTo("2");
        });
    t.add(
        "multipart/head-part-number",
        "HeadObject with partNumber=1 answers that part's Content-Length",
        c -> {
          Mpu.start(c, "k").part(1, bytes(MIN_PART)).part(2, bytes(10)).complete();
          HttpResult r =
              c.request("HEAD").bucket(c.bucket()).key("k").query("partNumber", "1").send();
          assertThat(r.status()).isEqualTo(206);
          assertThat(r.header("Content-Length")).isEqualTo(Integer.toString(MIN_PART));
        });
    t.add(
        "multipart/content-type-from-create",
        "The Content-Type given to CreateMultipartUpload is the object's",
        c -> {
          String id =
              c.s3()
                  .createMultipartUpload(
                      r -> r.bucket(c.bucket()).key("k").contentType("video/mp4"))
                  .uploadId();
          new Mpu(c, "k", id).part(1, bytes(10)).complete();
          assertThat(c.s3().headObject(r -> r.bucket(c.bucket()).key("k")).contentType())
              .isEqualTo("video/mp4");
        });
    t.add(
        "multipart/abort-answers-204",
        "AbortMultipartUpload answers 204",
        c -> {
          Mpu u = Mpu.start(c, "k").part(1, bytes(10));
          HttpResult r =
              c.request("DELETE").bucket(c.bucket()).key("k").query("uploadId", u.id).send();
          assertThat(r.status()).isEqualTo(204);
        });
    t.add(
        "multipart/abort-leaves-no-object",
        "After AbortMultipartUpload there is no object and the upload is gone",
        c -> {
          Mpu u = Mpu.start(c, "k").part(1, bytes(10));
          u.abort();
          expectError(404, "NoSuchKey", () -> c.get("k"));
          assertThat(c.s3().listMultipartUploads(r -> r.bucket(c.bucket())).uploads()).isEmpty();
        });
  }

  private static void listings(CaseTable t) {
    t.add(
        "multipart/list-parts",
        "ListParts lists the uploaded parts with numbers, sizes and ETags",
        c -> {
          Mpu u = Mpu.start(c, "k").part(1, bytes(MIN_PART)).part(2, bytes(99));
          ListPartsResponse r = c.s3().listParts(l -> l.bucket(c.bucket()).key("k").uploadId(u.id));
          assertThat(r.parts()).extracting(p -> p.partNumber()).containsExactly(1, 2);
          assertThat(r.parts()).extracting(p -> p.size()).containsExactly((long) MIN_PART, 99L);
          assertThat(r.parts()).extracting(p -> p.eTag()).containsExactlyElementsOf(u.etags);
        });
    t.add(
        "multipart/list-parts-paginated",
        "ListParts with max-parts=1 is truncated and continues from NextPartNumberMarker",
        c -> {
          Mpu u = Mpu.start(c, "k").part(1, bytes(10)).part(2, bytes(20)).part(3, bytes(30));
          ListPartsResponse first =
              c.s3().listParts(l -> l.bucket(c.bucket()).key("k").uploadId(u.id).maxParts(1));
          assertThat(first.isTruncated()).isTrue();
          assertThat(first.parts()).extracting(p -> p.partNumber()).containsExactly(1);
          assertThat(first.nextPartNumberMarker()).isEqualTo(1);
          ListPartsResponse rest =
              c.s3()
                  .listParts(
                      l ->
                          l.bucket(c.bucket())
                              .key("k")
                              .uploadId(u.id)
                              .partNumberMarker(first.nextPartNumberMarker()));
          assertThat(rest.parts()).extracting(p -> p.partNumber()).containsExactly(2, 3);
          assertThat(rest.isTruncated()).isFalse();
        });
    t.add(
        "multipart/list-parts-names-upload",
        "ListPartsResult names the bucket, key and upload id",
        c -> {
          Mpu u = Mpu.start(c, "a/key").part(1, bytes(10));
          HttpResult r =
              c.request("GET").bucket(c.bucket()).key("a/key").query("uploadId", u.id).send();
          assertThat(r.status()).isEqualTo(200);
          assertThat(r.xml().text("/ListPartsResult/Bucket")).isEqualTo(c.bucket());
          assertThat(r.xml().text("/ListPartsResult/Key")).isEqualTo("a/key");
          assertThat(r.xml().text("/ListPartsResult/UploadId")).isEqualTo(u.id);
        });
    t.add(
        "multipart/list-uploads",
        "ListMultipartUploads lists an upload in progress with its key and id",
        c -> {
          Mpu u = Mpu.start(c, "pending");
          var r = c.s3().listMultipartUploads(l -> l.bucket(c.bucket()));
          assertThat(r.uploads()).extracting(x -> x.key()).containsExactly("pending");
          assertThat(r.uploads()).extracting(x -> x.uploadId()).containsExactly(u.id);
        });
    t.add(
        "multipart/list-uploads-prefix",
        "ListMultipartUploads with a prefix lists only the uploads under it",
        c -> {
          Mpu.start(c, "a/one");
          Mpu.start(c, "b/two");
          var r = c.s3().listMultipartUploads(l -> l.bucket(c.bucket()).prefix("a/"));
          assertThat(r.uploads()).extracting(x -> x.key()).containsExactly("a/one");
        });
    t.add(
        "multipart/list-uploads-delimiter",
        "ListMultipartUploads with a delimiter rolls keys up into CommonPrefixes",
        c -> {
          Mpu.start(c, "dir/one");
          Mpu.start(c, "top");
          var r = c.s3().listMultipartUploads(l -> l.bucket(c.bucket()).delimiter("/"));
          assertThat(r.uploads()).extracting(x -> x.key()).containsExactly("top");
          assertThat(r.commonPrefixes()).extracting(p -> p.prefix()).containsExactly("dir/");
        });
    t.add(
        "multipart/list-uploads-empty",
        "ListMultipartUploads of a bucket without uploads lists none",
        c -> {
          c.put("k", bytes(1));
          assertThat(c.s3().listMultipartUploads(l -> l.bucket(c.bucket())).uploads()).isEmpty();
        });
    t.add(
        "multipart/completed-not-listed",
        "A completed upload no longer appears in ListMultipartUploads",
        c -> {
          Mpu.start(c, "k").part(1, bytes(10)).complete();
          assertThat(c.s3().listMultipartUploads(l -> l.bucket(c.bucket())).uploads()).isEmpty();
        });
    t.add(
        "multipart/in-progress-not-an-object",
        "An upload in progress is not an object: ListObjectsV2 does not show it",
        c -> {
          c.put("visible", bytes(1));
          Mpu.start(c, "pending").part(1, bytes(10));
          assertThat(c.s3().listObjectsV2(l -> l.bucket(c.bucket())).contents())
              .extracting(o -> o.key())
              .containsExactly("visible");
        });
  }

  private static void errors(CaseTable t) {
    t.add(
        "multipart/list-parts-after-abort",
        "ListParts of an aborted upload: 404 NoSuchUpload",
        c -> {
          Mpu u = Mpu.start(c, "k").part(1, bytes(10));
          u.abort();
          expectError(
              404,
              "NoSuchUpload",
              () -> c.s3().listParts(l -> l.bucket(c.bucket()).key("k").uploadId(u.id)));
        });
    t.add(
        "multipart/upload-part-after-abort",
        "UploadPart to an aborted upload: 404 NoSuchUpload",
        c -> {
          Mpu u = Mpu.start(c, "k");
          u.abort();
          expectError(404, "NoSuchUpload", () -> u.part(1, bytes(10)));
        });
    t.add(
        "multipart/complete-unknown-upload",
        "CompleteMultipartUpload with an unknown upload id: 404 NoSuchUpload",
        c -> {
          c.bucket();
          expectError(
              404,
              "NoSuchUpload",
              () ->
                  new Mpu(c, "k", "no-such-upload-id")
                      .withPart(1, "\"" + "0".repeat(32) + "\"")
                      .complete());
        });
    t.add(
        "multipart/complete-wrong-etag",
        "CompleteMultipartUpload naming a part with a wrong ETag: 400 InvalidPart",
        c -> {
          Mpu u = Mpu.start(c, "k").part(1, bytes(10));
          u.etags.set(0, "\"" + "1".repeat(32) + "\"");
          expectError(400, "InvalidPart", u::complete);
        });
    t.add(
        "multipart/complete-missing-part",
        "CompleteMultipartUpload naming a part never uploaded: 400 InvalidPart",
        c -> {
          Mpu u = Mpu.start(c, "k").part(1, bytes(MIN_PART));
          u.withPart(2, "\"" + "2".repeat(32) + "\"");
          expectError(400, "InvalidPart", u::complete);
        });
    t.add(
        "multipart/complete-out-of-order",
        "CompleteMultipartUpload listing parts out of order: 400 InvalidPartOrder",
        c -> {
          Mpu u = Mpu.start(c, "k").part(1, bytes(MIN_PART)).part(2, bytes(MIN_PART));
          java.util.Collections.reverse(u.numbers);
          java.util.Collections.reverse(u.etags);
          expectError(400, "InvalidPartOrder", u::complete);
        });
    t.add(
        "multipart/complete-small-non-last-part",
        "A part under 5 MiB that is not the last: 400 EntityTooSmall on Complete",
        c -> {
          Mpu u = Mpu.start(c, "k").part(1, bytes(1000)).part(2, bytes(1000));
          expectError(400, "EntityTooSmall", u::complete);
        });
    t.add(
        "multipart/complete-no-parts",
        "CompleteMultipartUpload with an empty part list: 400 MalformedXML",
        c -> {
          Mpu u = Mpu.start(c, "k").part(1, bytes(10));
          HttpResult r =
              c.request("POST")
                  .bucket(c.bucket())
                  .key("k")
                  .query("uploadId", u.id)
                  .body(
                      "<CompleteMultipartUpload"
                          + " xmlns=\"http://s3.amazonaws.com/doc/2006-03-01/\"></CompleteMultipartUpload>")
                  .send();
          expectError(400, "MalformedXML", r);
        });
    t.add(
        "multipart/part-number-zero",
        "UploadPart with partNumber=0: 400 InvalidArgument",
        c -> {
          Mpu u = Mpu.start(c, "k");
          expectError(400, "InvalidArgument", () -> u.part(0, bytes(10)));
        });
    t.add(
        "multipart/part-number-too-large",
        "UploadPart with partNumber=10001: 400 InvalidArgument",
        c -> {
          Mpu u = Mpu.start(c, "k");
          expectError(400, "InvalidArgument", () -> u.part(10001, bytes(10)));
        });
    t.add(
        "multipart/upload-id-of-other-key",
        "UploadPart with the upload id of another key: 404 NoSuchUpload",
        c -> {
          Mpu u = Mpu.start(c, "one");
          expectError(404, "NoSuchUpload", () -> new Mpu(c, "other", u.id).part(1, bytes(10)));
        });
    t.add(
        "multipart/create-in-missing-bucket",
        "CreateMultipartUpload in a bucket that does not exist: 404 NoSuchBucket",
        c ->
            expectError(
                404,
                "NoSuchBucket",
                () -> c.s3().createMultipartUpload(r -> r.bucket(c.newBucketName()).key("k"))));
  }

  private static void copies(CaseTable t) {
    t.add(
        "multipart/upload-part-copy",
        "UploadPartCopy copies a whole object into a part",
        c -> {
          byte[] src = bytes(MIN_PART);
          c.put("src", src);
          Mpu u = Mpu.start(c, "k");
          String etag =
              c.s3()
                  .uploadPartCopy(
                      r ->
                          r.sourceBucket(c.bucket())
                              .sourceKey("src")
                              .destinationBucket(c.bucket())
                              .destinationKey("k")
                              .uploadId(u.id)
                              .partNumber(1))
                  .copyPartResult()
                  .eTag();
          byte[] tail = bytes(10);
          u.withPart(1, etag).part(2, tail).complete();
          assertThat(c.get("k")).isEqualTo(concat(src, tail));
        });
    t.add(
        "multipart/upload-part-copy-range",
        "UploadPartCopy with x-amz-copy-source-range copies exactly that range",
        c -> {
          byte[] src = bytes(100_000);
          c.put("src", src);
          Mpu u = Mpu.start(c, "k");
          String etag =
              c.s3()
                  .uploadPartCopy(
                      r ->
                          r.sourceBucket(c.bucket())
                              .sourceKey("src")
                              .destinationBucket(c.bucket())
                              .destinationKey("k")
                              .uploadId(u.id)
                              .partNumber(1)
                              .copySourceRange("bytes=1000-1999"))
                  .copyPartResult()
                  .eTag();
          u.withPart(1, etag).complete();
          assertThat(c.get("k")).isEqualTo(Arrays.copyOfRange(src, 1000, 2000));
        });
    t.add(
        "multipart/upload-part-copy-etag-is-md5",
        "UploadPartCopy's CopyPartResult ETag is the MD5 of the copied range",
        c -> {
          byte[] src = bytes(10_000);
          c.put("src", src);
          Mpu u = Mpu.start(c, "k");
          String etag =
              c.s3()
                  .uploadPartCopy(
                      r ->
                          r.sourceBucket(c.bucket())
                              .sourceKey("src")
                              .destinationBucket(c.bucket())
                              .destinationKey("k")
                              .uploadId(u.id)
                              .partNumber(1)
                              .copySourceRange("bytes=0-4999"))
                  .copyPartResult()
                  .eTag();
          assertThat(etag).isEqualTo(md5Etag(Arrays.copyOfRange(src, 0, 5000)));
        });
    t.add(
        "multipart/copy-completed-object",
        "CopyObject of a completed multipart object copies all its bytes",
        c -> {
          byte[] a = bytes(MIN_PART);
          byte[] b = bytes(4321);
          Mpu.start(c, "mp").part(1, a).part(2, b).complete();
          CopyCases.copy(c, c.bucket(), "mp", c.bucket(), "copy");
          assertThat(c.get("copy")).isEqualTo(concat(a, b));
        });
  }

  /** One multipart upload and the parts given to it so far. */
  static final class Mpu {
    final CaseContext c;
    final String key;
    final String id;
    final List<Integer> numbers = new ArrayList<>();
    final List<String> etags = new ArrayList<>();

    Mpu(CaseContext c, String key, String id) {
      this.c = c;
      this.key = key;
      this.id = id;
    }

    static Mpu start(CaseContext c, String key) {
      return new Mpu(
          c, key, c.s3().createMultipartUpload(r -> r.bucket(c.bucket()).key(key)).uploadId());
    }

    Mpu part(int number, byte[] body) {
      String etag =
          c.s3()
              .uploadPart(
                  r -> r.bucket(c.bucket()).key(key).uploadId(id).partNumber(number),
                  RequestBody.fromBytes(body))
              .eTag();
      return withPart(number, etag);
    }

    Mpu withPart(int number, String etag) {
      numbers.add(number);
      etags.add(etag);
      return this;
    }

    CompleteMultipartUploadResponse complete() {
      List<CompletedPart> parts = new ArrayList<>();
      for (int i = 0; i < numbers.size(); i++) {
        parts.add(CompletedPart.builder().partNumber(numbers.get(i)).eTag(etags.get(i)).build());
      }
      return c.s3()
          .completeMultipartUpload(
              r -> r.bucket(c.bucket()).key(key).uploadId(id).multipartUpload(m -> m.parts(parts)));
    }

    void abort() {
      c.s3().abortMultipartUpload(r -> r.bucket(c.bucket()).key(key).uploadId(id));
    }
  }
}
