package io.github.s3eg.s3;

import static io.github.s3eg.s3.testing.S3Errors.assertS3Error;
import static org.assertj.core.api.Assertions.assertThat;

import io.github.s3eg.s3.auth.UriEncoding;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The key parser and the signature check read the request-target alike (issue 17 finding 6): Vert.x
 * hands raw octets over as characters up to U+00FF, which both take as octets and read as UTF-8.
 */
class PercentDecodingTest {

  private static final S3RequestParser PARSER = new S3RequestParser(Optional.empty());

  /** Raw octets as Vert.x hands them over: one character per byte. */
  private static String raw(byte[] octets) {
    return new String(octets, StandardCharsets.ISO_8859_1);
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "/bkt/caf%C3%A9",
        "/bkt/caf%c3%a9",
        "/bkt/na%C3%AFve/%F0%9F%98%80",
        "/bkt/a+b%20c",
        "/bkt/%2e/x",
        "/bkt/a%2Fb",
        "/bkt/ключ",
      })
  void theParsedKeyIsTheKeyTheSignatureCovers(String path) {
    assertSameKey(path);
    // The same path with every non-ASCII character sent as raw UTF-8 octets.
    assertSameKey(raw(path.getBytes(StandardCharsets.UTF_8)));
  }

  private static void assertSameKey(String rawPath) {
    S3Request r = PARSER.parse("id", "GET", rawPath, Map.of("Host", List.of("h")), "127.0.0.1");
    byte[] signed = UriEncoding.decode(UriEncoding.canonicalPath(rawPath), false);
    assertThat(new String(signed, StandardCharsets.UTF_8))
        .as(rawPath)
        .isEqualTo("/" + r.bucket() + "/" + r.key());
  }

  @Test
  void rawUtf8IsTheSameKeyAsItsEscapedForm() {
    String rawUtf8 = raw("/bkt/caf\u00e9".getBytes(StandardCharsets.UTF_8));
    assertThat(PARSER.parse("id", "GET", rawUtf8, Map.of(), "c").key()).isEqualTo("caf\u00e9");
    assertThat(
            PARSER
                .parse(
                    "id",
                    "GET",
                    "/bkt/x?prefix=" + raw("é".getBytes(StandardCharsets.UTF_8)),
                    Map.of(),
                    "c")
                .param("prefix"))
        .isEqualTo("é");
  }

  @Test
  void octetsThatAreNotUtf8AreInvalidUriRawOrEscaped() {
    for (String path : List.of("/bkt/caf\u00e9", "/bkt/caf%E9", "/bkt/%C3", "/bkt/\u00ff\u00fe")) {
      assertS3Error(() -> PARSER.parse("id", "GET", path, Map.of(), "c"), S3ErrorCode.INVALID_URI);
    }
    assertS3Error(
        () -> PARSER.parse("id", "GET", "/bkt/k?prefix=\u00e9", Map.of(), "c"),
        S3ErrorCode.INVALID_URI);
    assertS3Error(() -> PercentDecoding.text("%\u0661\u0661", false), S3ErrorCode.INVALID_URI);
  }

  @Test
  void sigV2SignsThePathAsSentWithRawOctetsReadAsUtf8() {
    assertThat(PercentDecoding.asSent("/bkt/fran%C3%A7ais")).isEqualTo("/bkt/fran%C3%A7ais");
    assertThat(PercentDecoding.asSent(raw("/bkt/100%25/é".getBytes(StandardCharsets.UTF_8))))
        .isEqualTo("/bkt/100%25/é");
    assertS3Error(() -> PercentDecoding.asSent("/bkt/\u00e9"), S3ErrorCode.INVALID_URI);
  }

  @Test
  void aCopySourceIsOneValue() {
    CopySource source = CopySource.parse("src/a&b=c+d%20e");
    assertThat(source.bucket()).isEqualTo("src");
    assertThat(source.key()).isEqualTo("a&b=c+d e");
  }
}
