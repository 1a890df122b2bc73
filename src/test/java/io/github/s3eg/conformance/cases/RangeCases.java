package io.github.s3eg.conformance.cases;

import static io.github.s3eg.conformance.CaseContext.bytes;
import static io.github.s3eg.conformance.CaseContext.expectError;
import static org.assertj.core.api.Assertions.assertThat;

import io.github.s3eg.conformance.CaseTable;
import io.github.s3eg.conformance.HttpResult;
import java.util.Arrays;

/**
 * Ranged reads (S3 API reference, GetObject "Range", RFC 9110 §14): 206 with Content-Range and
 * exactly the bytes asked for; 416 InvalidRange for a range that starts past the end; a header S3
 * cannot parse is ignored (200, the whole object).
 */
final class RangeCases {

  private RangeCases() {}

  /** Larger than a few of the gateway's 64 KiB segments, not a multiple of anything. */
  static final int SIZE = 200_003;

  record Satisfiable(String slug, String range, int first, int last, String words) {}

  static void addTo(CaseTable t) {
    Satisfiable[] ranges = {
      new Satisfiable("first-byte", "bytes=0-0", 0, 0, "the first byte"),
      new Satisfiable("first-ten", "bytes=0-9", 0, 9, "the first ten bytes"),
      new Satisfiable("middle", "bytes=1000-1999", 1000, 1999, "bytes from the middle"),
      new Satisfiable(
          "across-segments", "bytes=65530-131080", 65530, 131080, "a span across 64 KiB marks"),
      new Satisfiable("last-byte", "bytes=200002-200002", SIZE - 1, SIZE - 1, "the last byte"),
      new Satisfiable("open-ended", "bytes=199990-", 199990, SIZE - 1, "from an offset to the end"),
      new Satisfiable("suffix", "bytes=-10", SIZE - 10, SIZE - 1, "the last ten bytes"),
      new Satisfiable(
          "suffix-longer-than-object", "bytes=-300000", 0, SIZE - 1, "everything (suffix > size)"),
      new Satisfiable(
          "end-past-size", "bytes=200000-300000", 200000, SIZE - 1, "up to the end (end > size)"),
      new Satisfiable("whole", "bytes=0-", 0, SIZE - 1, "the whole object as a range"),
    };
    for (Satisfiable r : ranges) {
      t.add(
          "ranges/" + r.slug(),
          "Range: " + r.range() + " answers 206 with " + r.words() + " and Content-Range",
          c -> {
            byte[] body = bytes(SIZE);
            c.put("k", body);
            HttpResult got =
                c.request("GET").bucket(c.bucket()).key("k").header("Range", r.range()).send();
            assertThat(got.status()).isEqualTo(206);
            assertThat(got.header("Content-Range"))
                .isEqualTo("bytes " + r.first() + "-" + r.last() + "/" + SIZE);
            assertThat(got.header("Content-Length"))
                .isEqualTo(Integer.toString(r.last() - r.first() + 1));
            assertThat(got.body()).isEqualTo(Arrays.copyOfRange(body, r.first(), r.last() + 1));
          });
    }
    t.add(
        "ranges/start-past-end",
        "A range starting at the object's size: 416 InvalidRange",
        c -> {
          c.put("k", bytes(100));
          expectError(
              416,
              "InvalidRange",
              c.request("GET").bucket(c.bucket()).key("k").header("Range", "bytes=100-").send());
        });
    t.add(
        "ranges/start-far-past-end",
        "A range far past the end: 416 InvalidRange",
        c -> {
          c.put("k", bytes(100));
          expectError(
              416,
              "InvalidRange",
              c.request("GET")
                  .bucket(c.bucket())
                  .key("k")
                  .header("Range", "bytes=5000-6000")
                  .send());
        });
    t.add(
        "ranges/malformed-ignored",
        "A Range header S3 cannot parse is ignored: 200 and the whole object",
        c -> {
          byte[] body = bytes(100);
          c.put("k", body);
          HttpResult r =
              c.request("GET").bucket(c.bucket()).key("k").header("Range", "bytes=abc").send();
          assertThat(r.status()).isEqualTo(200);
          assertThat(r.body()).isEqualTo(body);
        });
    t.add(
        "ranges/reversed-ignored",
        "A range whose end precedes its start is ignored: 200 and the whole object",
        c -> {
          byte[] body = bytes(100);
          c.put("k", body);
          HttpResult r =
              c.request("GET").bucket(c.bucket()).key("k").header("Range", "bytes=50-10").send();
          assertThat(r.status()).isEqualTo(200);
          assertThat(r.body()).isEqualTo(body);
        });
    t.add(
        "ranges/multiple-ranges-whole-object",
        "Several ranges in one header (unsupported by S3): 200 and the whole object",
        c -> {
          byte[] body = bytes(100);
          c.put("k", body);
          HttpResult r =
              c.request("GET").bucket(c.bucket()).key("k").header("Range", "bytes=0-1,5-6").send();
          assertThat(r.status()).isEqualTo(200);
          assertThat(r.body()).isEqualTo(body);
        });
    t.add(
        "ranges/head-with-range",
        "HeadObject with a satisfiable Range answers the range's Content-Length",
        c -> {
          c.put("k", bytes(100));
          HttpResult r =
              c.request("HEAD").bucket(c.bucket()).key("k").header("Range", "bytes=10-19").send();
          assertThat(r.status()).isIn(200, 206);
          assertThat(r.header("Content-Length")).isEqualTo("10");
        });
    t.add(
        "ranges/head-with-unsatisfiable-range",
        "HeadObject with a Range past the end: 416",
        c -> {
          c.put("k", bytes(100));
          HttpResult r =
              c.request("HEAD").bucket(c.bucket()).key("k").header("Range", "bytes=100-").send();
          assertThat(r.status()).isEqualTo(416);
        });
    t.add(
        "ranges/etag-on-partial",
        "A 206 answer carries the object's ETag",
        c -> {
          String etag = c.put("k", bytes(100)).eTag();
          HttpResult r =
              c.request("GET").bucket(c.bucket()).key("k").header("Range", "bytes=0-4").send();
          assertThat(r.header("ETag")).isEqualTo(etag);
        });
    t.add(
        "ranges/sdk-range",
        "The SDK's ranged GetObject returns the bytes and content range",
        c -> {
          byte[] body = bytes(SIZE);
          c.put("k", body);
          var got =
              c.s3()
                  .getObjectAsBytes(r -> r.bucket(c.bucket()).key("k").range("bytes=70000-70099"));
          assertThat(got.asByteArray()).isEqualTo(Arrays.copyOfRange(body, 70000, 70100));
          assertThat(got.response().contentRange()).isEqualTo("bytes 70000-70099/" + SIZE);
        });
    t.add(
        "ranges/with-response-override",
        "A ranged GET honours response-content-type as well",
        c -> {
          c.put("k", bytes(100));
          HttpResult r =
              c.request("GET")
                  .bucket(c.bucket())
                  .key("k")
                  .query("response-content-type", "text/x-part")
                  .header("Range", "bytes=0-9")
                  .send();
          assertThat(r.status()).isEqualTo(206);
          assertThat(r.header("Content-Type")).isEqualTo("text/x-part");
        });
  }
}
