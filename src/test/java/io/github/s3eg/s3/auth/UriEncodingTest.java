package io.github.s3eg.s3.auth;

import static io.github.s3eg.s3.testing.S3Errors.assertS3Error;
import static org.assertj.core.api.Assertions.assertThat;

import io.github.s3eg.s3.S3ErrorCode;
import org.junit.jupiter.api.Test;

class UriEncodingTest {

  @Test
  void canonicalPathDecodesOnceAndEncodesOnce() {
    assertThat(UriEncoding.canonicalPath("/b/test$file.text")).isEqualTo("/b/test%24file.text");
    assertThat(UriEncoding.canonicalPath("/b/a%20b")).isEqualTo("/b/a%20b");
    assertThat(UriEncoding.canonicalPath("/b/a+b"))
        .as("+ is literal in paths")
        .isEqualTo("/b/a%2Bb");
    assertThat(UriEncoding.canonicalPath("/b/100%25")).isEqualTo("/b/100%25");
    assertThat(UriEncoding.canonicalPath("/b/%7e%2d")).isEqualTo("/b/~-");
    assertThat(UriEncoding.canonicalPath("/b/%c3%a9")).isEqualTo("/b/%C3%A9");
  }

  @Test
  void canonicalPathIsNotNormalised() {
    assertThat(UriEncoding.canonicalPath("/b//a/./c/../d/")).isEqualTo("/b//a/./c/../d/");
    assertThat(UriEncoding.canonicalPath("")).isEqualTo("");
  }

  @Test
  void nonAsciiCharactersAreOctetsUpToFfAndUtf8Above() {
    assertThat(UriEncoding.canonicalPath("/b/\u00c3\u00a9")).isEqualTo("/b/%C3%A9");
    assertThat(UriEncoding.canonicalPath("/b/ключ")).isEqualTo("/b/%D0%BA%D0%BB%D1%8E%D1%87");
    assertThat(UriEncoding.canonicalPath("/b/\uD83D\uDE00")).isEqualTo("/b/%F0%9F%98%80");
  }

  @Test
  void queryComponentsEncodeSlashAndDecodePlusAsSpace() {
    assertThat(UriEncoding.encode("a/b c")).isEqualTo("a%2Fb%20c");
    assertThat(UriEncoding.decodeToString("a+b%2B", true)).isEqualTo("a b+");
    assertThat(QueryParameters.parse("b=2&a=&c&a=1&X-Amz-Signature=s").canonical("X-Amz-Signature"))
        .isEqualTo("a=&a=1&b=2&c=");
  }

  @Test
  void malformedEscapesAreInvalidUri() {
    for (String bad : new String[] {"/b/%", "/b/%4", "/b/%zz", "/b/%4g"}) {
      assertS3Error(() -> UriEncoding.canonicalPath(bad), S3ErrorCode.INVALID_URI);
    }
  }
}
