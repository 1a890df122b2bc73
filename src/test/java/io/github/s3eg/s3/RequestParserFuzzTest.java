package io.github.s3eg.s3;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.junit.FuzzTest;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Fuzzes what the gateway reads from the request line and headers before any backend call: bucket
 * and key from the raw URI (both addressing styles), the query, and the {@code Range} header. The
 * result is a valid request and range or an {@link S3Exception}; an accepted request never names an
 * invalid bucket, a key over 1,024 bytes or a key with NUL, and a resolved range lies inside the
 * object.
 */
class RequestParserFuzzTest {

  private static final S3RequestParser PATH_STYLE = new S3RequestParser(Optional.empty());
  private static final S3RequestParser VIRTUAL_HOST =
      new S3RequestParser(Optional.of("s3.example.com"));

  @FuzzTest(maxDuration = "4s")
  void anyRequestLineParsesValidlyOrFailsTyped(FuzzedDataProvider data) {
    String host = data.consumeBoolean() ? "bucket.s3.example.com" : data.consumeString(70);
    String range = data.consumeString(40);
    // Object sizes come from the backend: 0 to S3's 5 TiB limit and well beyond.
    long size = data.consumeLong(0, 1L << 53);
    boolean virtualHost = data.consumeBoolean();
    String rawUri = data.consumeRemainingAsString();
    try {
      S3Request r =
          (virtualHost ? VIRTUAL_HOST : PATH_STYLE)
              .parse("req", "GET", rawUri, Map.of("Host", List.of(host)), "127.0.0.1");
      if (r.bucket() != null) {
        S3RequestParser.validateBucket(r.bucket());
      }
      if (r.key() != null
          && (r.key().getBytes(StandardCharsets.UTF_8).length > S3RequestParser.MAX_KEY_BYTES
              || r.key().indexOf('\0') >= 0)) {
        throw new AssertionError("accepted an invalid key");
      }
    } catch (S3Exception expected) {
      // the typed failure
    }
    try {
      Optional<ByteRange> resolved = ByteRange.resolve(range, size);
      if (resolved.isPresent()) {
        ByteRange br = resolved.get();
        if (br.first() < 0 || br.first() > br.last() || br.last() >= size || br.total() != size) {
          throw new AssertionError("range outside the object: " + br);
        }
      }
    } catch (S3Exception e) {
      if (e.errorCode() != S3ErrorCode.INVALID_RANGE) {
        throw new AssertionError("unexpected error code " + e.errorCode(), e);
      }
    }
  }
}
