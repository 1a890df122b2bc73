package io.github.s3eg.s3;

import java.nio.charset.StandardCharsets;
import java.util.Base64;

/**
 * The gateway's ListObjectsV2 continuation tokens. A token names the last entry (key or common
 * prefix) of the page it ended, and the next page starts after it. The gateway makes its own rather
 * than passing the backend's on: it lists the backend with markers (ListObjects v1, whose markers
 * survive {@code encoding-type=url} on every backend, unlike S3Proxy's v2 tokens), and a page it
 * filled from several backend pages has no backend token of its own. Opaque to clients, as S3's
 * are; a token names only an entry the client was shown.
 */
public final class ContinuationToken {

  private static final String VERSION = "1";

  private ContinuationToken() {}

  /** The token that resumes a listing after {@code lastEntry}. */
  public static String after(String lastEntry) {
    return VERSION
        + Base64.getUrlEncoder()
            .withoutPadding()
            .encodeToString(lastEntry.getBytes(StandardCharsets.UTF_8));
  }

  /**
   * The entry a token resumes after.
   *
   * @throws S3Exception InvalidArgument for a token the gateway did not make
   */
  public static String lastEntry(String token) {
    if (token.startsWith(VERSION)) {
      try {
        byte[] bytes = Base64.getUrlDecoder().decode(token.substring(VERSION.length()));
        return StandardCharsets.UTF_8
            .newDecoder()
            .decode(java.nio.ByteBuffer.wrap(bytes))
            .toString();
      } catch (IllegalArgumentException | java.nio.charset.CharacterCodingException e) {
        // falls through
      }
    }
    throw new S3Exception(
            S3ErrorCode.INVALID_ARGUMENT, "The continuation token provided is incorrect")
        .with("ArgumentName", "continuation-token");
  }
}
