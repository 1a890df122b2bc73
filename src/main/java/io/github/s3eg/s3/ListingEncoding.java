package io.github.s3eg.s3;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.function.UnaryOperator;

/**
 * S3's {@code encoding-type=url} for listings: keys (and the prefixes, delimiters and markers that
 * are made of keys) are URL-encoded once, so that any key, control characters included, survives
 * XML 1.0. S3 encodes like an HTML form (space as {@code +}, {@code +} as {@code %2B}, every byte
 * outside {@code A-Z a-z 0-9 . - * _} as {@code %XX} of its UTF-8) except that {@code /} stays as
 * it is: {@code run books/x+y} becomes {@code run+books/x%2By}. Every SDK decodes that with form
 * decoding; a client that asked for the encoding without decoding sees S3's exact string.
 */
public final class ListingEncoding {

  private ListingEncoding() {}

  /**
   * The encoding a listing request asked for: url encoding, or none.
   *
   * @throws S3Exception InvalidArgument for any other {@code encoding-type}, as S3 does
   */
  public static UnaryOperator<String> of(S3Request request) {
    String type = request.param("encoding-type");
    if (type == null) {
      return UnaryOperator.identity();
    }
    if (!type.equals("url")) {
      throw new S3Exception(
              S3ErrorCode.INVALID_ARGUMENT, "Invalid Encoding Method specified in Request")
          .with("ArgumentName", "encoding-type");
    }
    return ListingEncoding::url;
  }

  /** Whether the request asked for url encoding (and so the answer names it). */
  public static boolean requested(S3Request request) {
    return request.param("encoding-type") != null;
  }

  /** {@code value} URL-encoded as S3 encodes listing elements; null stays null. */
  public static String url(String value) {
    if (value == null) {
      return null;
    }
    return URLEncoder.encode(value, StandardCharsets.UTF_8).replace("%2F", "/");
  }
}
