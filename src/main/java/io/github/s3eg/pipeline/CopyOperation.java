package io.github.s3eg.pipeline;

import io.github.s3eg.backend.BackendClients;
import io.github.s3eg.s3.ObjectHeaders;
import io.github.s3eg.s3.Preconditions;
import io.github.s3eg.s3.S3ErrorCode;
import io.github.s3eg.s3.S3Exception;
import io.github.s3eg.s3.S3Request;
import io.github.s3eg.s3.S3Response;
import io.github.s3eg.s3.xml.XmlWriter;
import java.util.Locale;
import org.apache.camel.Exchange;
import software.amazon.awssdk.services.s3.model.CopyObjectRequest;
import software.amazon.awssdk.services.s3.model.CopyObjectResponse;
import software.amazon.awssdk.services.s3.model.MetadataDirective;

/**
 * CopyObject ({@code PUT} with {@code x-amz-copy-source}): the copy runs server-side at the
 * backend, with S3's metadata directive ({@code COPY} keeps the source's headers and metadata,
 * {@code REPLACE} takes them from this request) and its copy-source conditions.
 */
public final class CopyOperation {

  private final BackendClients backend;

  public CopyOperation(BackendClients backend) {
    this.backend = backend;
  }

  /** The source named by {@code x-amz-copy-source}. */
  public record CopySource(String bucket, String key) {

    public static CopySource parse(String header) {
      String value = header.trim();
      if (value.contains("?versionId=")) {
        throw new S3Exception(
            S3ErrorCode.NOT_IMPLEMENTED, "Copying a specific object version is not supported");
      }
      String decoded =
          io.github.s3eg.s3.S3RequestParser.parseQuery("x=" + value.replace("+", "%2B")).get("x");
      if (decoded.startsWith("/")) {
        decoded = decoded.substring(1);
      }
      int slash = decoded.indexOf('/');
      if (slash <= 0 || slash == decoded.length() - 1) {
        throw new S3Exception(
                S3ErrorCode.INVALID_ARGUMENT,
                "Copy Source must mention the source bucket and key: sourcebucket/sourcekey")
            .with("ArgumentName", "x-amz-copy-source");
      }
      return new CopySource(decoded.substring(0, slash), decoded.substring(slash + 1));
    }
  }

  /**
   * Runs the copy at the backend. camel-aws2-s3's copyObject insists on its own key headers even
   * for a typed request, so this step calls the backend client itself.
   */
  public void copyObject(Exchange exchange) {
    S3Request s3 = ObjectOperations.request(exchange);
    CopySource source = CopySource.parse(s3.header("x-amz-copy-source"));
    String directive = s3.header("x-amz-metadata-directive");
    boolean replace =
        directive != null && directive.trim().toUpperCase(Locale.ROOT).equals("REPLACE");
    if (directive != null && !replace && !directive.trim().equalsIgnoreCase("COPY")) {
      throw new S3Exception(S3ErrorCode.INVALID_ARGUMENT, "Unknown metadata directive.")
          .with("ArgumentName", "x-amz-metadata-directive");
    }
    if (!replace && source.bucket().equals(s3.bucket()) && source.key().equals(s3.key())) {
      throw new S3Exception(
          S3ErrorCode.INVALID_REQUEST,
          "This copy request is illegal because it is trying to copy an object to itself without changing the object's metadata, storage class, website redirect location or encryption attributes.");
    }
    CopyObjectRequest.Builder b =
        CopyObjectRequest.builder()
            .sourceBucket(source.bucket())
            .sourceKey(source.key())
            .destinationBucket(s3.bucket())
            .destinationKey(s3.key())
            .metadataDirective(replace ? MetadataDirective.REPLACE : MetadataDirective.COPY)
            .copySourceIfMatch(s3.header("x-amz-copy-source-if-match"))
            .copySourceIfNoneMatch(s3.header("x-amz-copy-source-if-none-match"))
            .copySourceIfModifiedSince(
                Preconditions.parseHttpDate(s3.header("x-amz-copy-source-if-modified-since")))
            .copySourceIfUnmodifiedSince(
                Preconditions.parseHttpDate(s3.header("x-amz-copy-source-if-unmodified-since")));
    if (replace) {
      ObjectHeaders headers = ObjectHeaders.fromRequest(s3);
      b.contentType(headers.contentType())
          .contentEncoding(headers.contentEncoding())
          .contentDisposition(headers.contentDisposition())
          .contentLanguage(headers.contentLanguage())
          .cacheControl(headers.cacheControl())
          .metadata(headers.userMetadata());
      if (headers.expires() != null) {
        b.expires(Preconditions.parseHttpDate(headers.expires()));
      }
    }
    CopyObjectResponse r = backend.s3().copyObject(b.build());
    XmlWriter xml =
        new XmlWriter()
            .root("CopyObjectResult")
            .element("LastModified", ObjectHeaders.xmlDate(r.copyObjectResult().lastModified()))
            .element("ETag", r.copyObjectResult().eTag());
    exchange.setProperty(S3Response.PROPERTY, S3Response.xml(200, xml.toBytes()));
  }
}
