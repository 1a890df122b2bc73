package io.github.s3eg.pipeline;

import io.github.s3eg.http.RequestBodyStream;
import io.github.s3eg.s3.S3ErrorCode;
import io.github.s3eg.s3.S3Exception;
import io.github.s3eg.s3.S3Request;
import io.github.s3eg.s3.body.RequestBodies;
import io.github.s3eg.s3.body.VerifiedBody;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;

/**
 * The {@code readRequestBody} step: opens the request body as a blocking stream for the steps that
 * need it (PUT, POST). The transfer framing ({@code aws-chunked}) is removed and everything the
 * client declared is verified while streaming (chunk and trailer signatures, payload SHA-256,
 * Content-MD5, checksums, length). A failed check surfaces as an exception from {@code read} before
 * the last byte is released, so the backend upload it feeds never completes and no object is
 * created.
 *
 * <p>Reading starts here, so {@code Expect: 100-continue} is answered only once the request got
 * this far (after authentication).
 */
public final class ReadRequestBody {

  /**
   * Exchange property: the {@link io.github.s3eg.s3.body.ClientChecksum} the body is verified
   * against, when the client sent an {@code x-amz-checksum-*} header or trailer.
   */
  public static final String CLIENT_CHECKSUM = "s3ClientChecksum";

  private final long idleTimeoutMillis;

  public ReadRequestBody(long idleTimeoutMillis) {
    this.idleTimeoutMillis = idleTimeoutMillis;
  }

  /**
   * Reads a verified body to its end. It must hold nothing more: the verifying streams fail if the
   * client sent more than it declared, and for an empty body this is where its framing and
   * checksums are checked.
   */
  public static void readToEnd(InputStream body) {
    try {
      if (body.read() >= 0) {
        throw new S3Exception(
            S3ErrorCode.INCOMPLETE_BODY, "The request body is longer than its declared length.");
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** PutObject or UploadPart: a PUT on an object (CopyObject reads no body). */
  private static boolean isObjectUpload(S3Request s3) {
    return "PUT".equals(s3.method()) && s3.key() != null;
  }

  Step step() {
    return Step.named("readRequestBody")
        .requires(Fact.AUTHENTICATED, Fact.CONCURRENCY_LIMITED)
        .provides(Fact.REQUEST_BODY)
        .does(
            (state, exchange) -> {
              HttpExchange http = state.http();
              Authentication auth = state.authentication();
              RequestBodyStream wire = new RequestBodyStream(http.request(), idleTimeoutMillis);
              state.bodyStarted(wire);
              VerifiedBody body = RequestBodies.open(auth.result(), auth.signed(), wire);
              state.provideBody(open(state.request(), http, body));
            });
  }

  private static RequestBody open(S3Request s3, HttpExchange http, VerifiedBody body) {
    if (body.contentLength() < 0
        && http.request().getHeader("Transfer-Encoding") != null
        && isObjectUpload(s3)) {
      // S3 needs the length of an object up front, and so does the encrypted upload (its
      // ciphertext length is computed before the first byte): a chunked body of unknown length
      // is refused rather than stored short. (botocore's chunked aws-chunked uploads declare
      // x-amz-decoded-content-length, so their length is known.)
      throw new S3Exception(
          S3ErrorCode.MISSING_CONTENT_LENGTH, "You must provide the Content-Length HTTP header.");
    }
    return new RequestBody(
        body.stream(), body.contentLength() < 0 ? 0L : body.contentLength(), body.checksum());
  }
}
