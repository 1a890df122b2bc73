package io.github.s3eg.pipeline;

import io.github.s3eg.backend.BackendClients;
import io.github.s3eg.s3.ObjectHeaders;
import io.github.s3eg.s3.Preconditions;
import io.github.s3eg.s3.S3ErrorCode;
import io.github.s3eg.s3.S3Exception;
import io.github.s3eg.s3.S3Request;
import io.github.s3eg.s3.S3Response;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.regex.Pattern;
import org.apache.camel.Exchange;
import org.apache.camel.component.aws2.s3.AWS2S3Constants;
import software.amazon.awssdk.core.ResponseInputStream;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.model.DeleteObjectRequest;
import software.amazon.awssdk.services.s3.model.GetObjectRequest;
import software.amazon.awssdk.services.s3.model.GetObjectResponse;
import software.amazon.awssdk.services.s3.model.HeadObjectRequest;
import software.amazon.awssdk.services.s3.model.HeadObjectResponse;
import software.amazon.awssdk.services.s3.model.PutObjectRequest;
import software.amazon.awssdk.services.s3.model.PutObjectResponse;

/**
 * The object verbs' steps around the backend call: build the SDK request from the {@link
 * S3Request}, and turn the SDK's answer into the {@link S3Response} S3 would have sent. Where
 * camel-aws2-s3 is faithful (GetObject, DeleteObject with {@code pojoRequest}) the routes call the
 * component between the two steps; PutObject and HeadObject call the backend client here because
 * the component drops headers (Content-Language, Expires) or conditions.
 */
public final class ObjectOperations {

  /** Exchange property: the length of the (decoded) request body that goes to the backend. */
  public static final String BODY_LENGTH = "s3BodyLength";

  private static final Pattern SINGLE_RANGE = Pattern.compile("bytes=(\\d+-\\d*|-\\d+)");

  private final BackendClients backend;

  public ObjectOperations(BackendClients backend) {
    this.backend = backend;
  }

  // ---- GetObject

  public void getObjectRequest(Exchange exchange) {
    S3Request s3 = request(exchange);
    GetObjectRequest.Builder b = GetObjectRequest.builder().bucket(s3.bucket()).key(s3.key());
    String range = s3.header("Range");
    if (range != null && SINGLE_RANGE.matcher(range.trim()).matches()) {
      b.range(range.trim());
    }
    exchange.getIn().setBody(b.build());
  }

  @SuppressWarnings("unchecked")
  public void getObjectResponse(Exchange exchange) {
    S3Request s3 = request(exchange);
    ResponseInputStream<GetObjectResponse> body =
        exchange.getIn().getBody(ResponseInputStream.class);
    GetObjectResponse r = body.response();
    try {
      Preconditions.check(s3, r.eTag(), r.lastModified());
    } catch (S3Exception e) {
      body.abort();
      throw e;
    }
    boolean partial = r.contentRange() != null;
    S3Response response = S3Response.status(partial ? 206 : 200);
    objectHeaders(
            r.contentType(),
            r.contentEncoding(),
            r.contentDisposition(),
            r.contentLanguage(),
            r.cacheControl(),
            r.expiresString(),
            r.metadata())
        .writeTo(response, s3);
    response
        .header("ETag", r.eTag())
        .header("Last-Modified", ObjectHeaders.httpDate(r.lastModified()))
        .header("Accept-Ranges", "bytes")
        .header("Content-Range", r.contentRange());
    long length = r.contentLength();
    CountingStream counted = new CountingStream(body);
    response.stream(counted, length, () -> releaseBackendStream(body, counted.count() >= length));
    exchange.setProperty(S3Response.PROPERTY, response);
  }

  /** A fully read stream goes back to the pool; a partly read one is aborted, not drained. */
  static void releaseBackendStream(ResponseInputStream<?> body, boolean fullyRead)
      throws IOException {
    if (fullyRead) {
      body.close();
    } else {
      body.abort();
    }
  }

  // ---- HeadObject

  public void headObject(Exchange exchange) {
    S3Request s3 = request(exchange);
    HeadObjectResponse r =
        backend
            .s3()
            .headObject(HeadObjectRequest.builder().bucket(s3.bucket()).key(s3.key()).build());
    Preconditions.check(s3, r.eTag(), r.lastModified());
    S3Response response = S3Response.status(200);
    objectHeaders(
            r.contentType(),
            r.contentEncoding(),
            r.contentDisposition(),
            r.contentLanguage(),
            r.cacheControl(),
            r.expiresString(),
            r.metadata())
        .writeTo(response, s3);
    response
        .header("ETag", r.eTag())
        .header("Last-Modified", ObjectHeaders.httpDate(r.lastModified()))
        .header("Accept-Ranges", "bytes")
        .header("Content-Length", Long.toString(r.contentLength()));
    exchange.setProperty(S3Response.PROPERTY, response);
  }

  // ---- PutObject

  /** Streams the (already decoded) request body to the backend with its exact length. */
  public void putObject(Exchange exchange) {
    S3Request s3 = request(exchange);
    InputStream body = exchange.getIn().getBody(InputStream.class);
    long length = exchange.getProperty(BODY_LENGTH, Long.class);
    ObjectHeaders headers = ObjectHeaders.fromRequest(s3);
    PutObjectRequest.Builder b =
        PutObjectRequest.builder()
            .bucket(s3.bucket())
            .key(s3.key())
            .contentLength(length)
            .contentType(headers.contentType())
            .contentEncoding(headers.contentEncoding())
            .contentDisposition(headers.contentDisposition())
            .contentLanguage(headers.contentLanguage())
            .cacheControl(headers.cacheControl())
            .metadata(headers.userMetadata());
    if (headers.expires() != null) {
      b.expires(Preconditions.parseHttpDate(headers.expires()));
    }
    String md5 = s3.header("Content-MD5");
    if (md5 != null) {
      b.contentMD5(md5);
    }
    if (length == 0) {
      // Nothing will be read for the upload: verify the (empty) body and its framing first.
      ReadRequestBody.readToEnd(body);
    }
    PutObjectResponse r =
        backend.uploads().putObject(b.build(), oneShot(body, length, headers.contentType()));
    // The backend took exactly `length` bytes; consume the framing after them (final chunk,
    // trailer) so that the connection stays usable.
    ReadRequestBody.readToEnd(body);
    exchange.setProperty(S3Response.PROPERTY, S3Response.status(200).header("ETag", r.eTag()));
  }

  /**
   * A request body the SDK can read once. A second read (a retry) fails loudly instead of sending a
   * partial or empty body.
   */
  static RequestBody oneShot(InputStream body, long length, String contentType) {
    AtomicBoolean used = new AtomicBoolean();
    return RequestBody.fromContentProvider(
        () -> {
          if (used.getAndSet(true)) {
            throw new IllegalStateException("a streamed request body cannot be sent twice");
          }
          return body;
        },
        length,
        contentType == null ? "binary/octet-stream" : contentType);
  }

  // ---- DeleteObject

  public void deleteObjectRequest(Exchange exchange) {
    S3Request s3 = request(exchange);
    exchange
        .getIn()
        .setBody(DeleteObjectRequest.builder().bucket(s3.bucket()).key(s3.key()).build());
    // camel-aws2-s3 reads the key header before it looks at the typed request.
    exchange.getIn().setHeader(AWS2S3Constants.KEY, s3.key());
  }

  public void deleteObjectResponse(Exchange exchange) {
    exchange.setProperty(S3Response.PROPERTY, S3Response.status(204));
  }

  // ---- helpers

  static ObjectHeaders objectHeaders(
      String contentType,
      String contentEncoding,
      String contentDisposition,
      String contentLanguage,
      String cacheControl,
      String expires,
      java.util.Map<String, String> metadata) {
    // Some backends (S3Proxy) store the "aws-chunked" framing marker of the gateway's own upload.
    return new ObjectHeaders(
        contentType,
        ObjectHeaders.stripAwsChunked(contentEncoding),
        contentDisposition,
        contentLanguage,
        cacheControl,
        expires,
        metadata);
  }

  static S3Request request(Exchange exchange) {
    S3Request s3 = exchange.getProperty(S3Request.PROPERTY, S3Request.class);
    if (s3 == null) {
      throw new S3Exception(S3ErrorCode.INTERNAL_ERROR, "request was not parsed");
    }
    return s3;
  }

  /** Counts what the client was sent, to tell a finished backend stream from an abandoned one. */
  static final class CountingStream extends FilterInputStream {
    private long count;

    CountingStream(InputStream in) {
      super(in);
    }

    @Override
    public int read() throws IOException {
      int b = super.read();
      if (b >= 0) {
        count++;
      }
      return b;
    }

    @Override
    public int read(byte[] b, int off, int len) throws IOException {
      int n = super.read(b, off, len);
      if (n > 0) {
        count += n;
      }
      return n;
    }

    long count() {
      return count;
    }
  }
}
