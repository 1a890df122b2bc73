package io.github.s3eg.pipeline;

import io.github.s3eg.http.RequestBodyStream;
import io.github.s3eg.s3.S3ErrorCode;
import io.github.s3eg.s3.S3Exception;
import io.github.s3eg.s3.S3Request;
import java.io.InputStream;
import java.util.Locale;
import org.apache.camel.Exchange;
import org.apache.camel.Processor;

/**
 * Opens the request body as a blocking stream for the steps that need it (PUT, POST). Removes the
 * transfer framing S3 clients use ({@code aws-chunked}), so later steps see the object bytes, and
 * records their exact length: the backend must be told the length up front, or the body would have
 * to be buffered.
 *
 * <p>Reading starts here, so {@code Expect: 100-continue} is answered only once the request got
 * this far (after authentication).
 */
public final class ReadRequestBody implements Processor {

  private final long idleTimeoutMillis;
  private final BodyDecoder decoder;

  /** Turns the wire body into object bytes; see {@link ChunkedBodyDecoder}. */
  public interface BodyDecoder {
    InputStream decode(S3Request request, InputStream wire, Exchange exchange);
  }

  public ReadRequestBody(long idleTimeoutMillis, BodyDecoder decoder) {
    this.idleTimeoutMillis = idleTimeoutMillis;
    this.decoder = decoder;
  }

  @Override
  public void process(Exchange exchange) {
    S3Request s3 = ObjectOperations.request(exchange);
    HttpExchange http = exchange.getProperty(HttpExchange.PROPERTY, HttpExchange.class);
    long length = decodedLength(s3);
    RequestBodyStream wire = new RequestBodyStream(http.request(), idleTimeoutMillis);
    exchange.setProperty(SendError.BODY_PROPERTY, wire);
    exchange.setProperty(ObjectOperations.BODY_LENGTH, length);
    exchange.getIn().setBody(decoder.decode(s3, wire, exchange));
  }

  /**
   * The object's length: {@code x-amz-decoded-content-length} for aws-chunked, else Content-Length.
   */
  static long decodedLength(S3Request s3) {
    boolean chunked = isAwsChunked(s3);
    String header =
        chunked ? s3.header("x-amz-decoded-content-length") : s3.header("Content-Length");
    if (header == null) {
      if (s3.header("Transfer-Encoding") != null && !chunked) {
        throw new S3Exception(
            S3ErrorCode.MISSING_CONTENT_LENGTH, "You must provide the Content-Length HTTP header.");
      }
      if (chunked) {
        throw new S3Exception(
            S3ErrorCode.MISSING_CONTENT_LENGTH,
            "You must provide the x-amz-decoded-content-length header.");
      }
      return 0;
    }
    try {
      long n = Long.parseLong(header.trim());
      if (n < 0) {
        throw new NumberFormatException();
      }
      return n;
    } catch (NumberFormatException e) {
      throw new S3Exception(S3ErrorCode.INVALID_ARGUMENT, "Invalid content length: " + header);
    }
  }

  static boolean isAwsChunked(S3Request s3) {
    String sha = s3.header("x-amz-content-sha256");
    String encoding = s3.header("Content-Encoding");
    return (sha != null && sha.startsWith("STREAMING-"))
        || (encoding != null && encoding.toLowerCase(Locale.ROOT).contains("aws-chunked"));
  }
}
