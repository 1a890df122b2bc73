package com.example;

import io.github.s3eg.pipeline.RequestState;
import io.github.s3eg.pipeline.RequestStates;
import io.github.s3eg.s3.S3ErrorCode;
import io.github.s3eg.s3.S3Exception;
import java.util.Locale;
import java.util.Set;
import org.apache.camel.Exchange;
import org.apache.camel.Processor;

/**
 * A custom step (docs/customizing.md, "A custom step"): refuses an upload larger than {@code
 * maxBytes} with {@code 400 EntityTooLarge}, and one whose {@code Content-Type} is one of {@code
 * refusedTypes} with {@code 403 AccessDenied}, before a byte of it is encrypted or stored.
 *
 * <p>It goes after {@code readRequestBody} in PutObject (which provides the body's length, decoded
 * from aws-chunked framing) and, for the content type, in CreateMultipartUpload (where a multipart
 * upload's type is given). It only reads the request's state and throws the S3 error the client
 * gets; it cannot make or send anything itself.
 */
public final class RefuseUploads implements Processor {

  private final long maxBytes;
  private final Set<String> refusedTypes;

  /**
   * @param maxBytes the largest object a single PUT may store
   * @param refusedTypes media types refused, separated by spaces (e.g. {@code
   *     "application/x-msdownload application/x-sh"})
   */
  public RefuseUploads(long maxBytes, String refusedTypes) {
    if (maxBytes < 0) {
      throw new IllegalArgumentException("maxBytes must not be negative: " + maxBytes);
    }
    this.maxBytes = maxBytes;
    this.refusedTypes =
        Set.of(refusedTypes.trim().toLowerCase(Locale.ROOT).split("\\s+"));
  }

  @Override
  public void process(Exchange exchange) {
    RequestState state = RequestStates.of(exchange);
    String type = mediaType(state.request().header("Content-Type"));
    if (refusedTypes.contains(type)) {
      throw new S3Exception(
              S3ErrorCode.ACCESS_DENIED, "Uploads of type " + type + " are not accepted here.")
          .with("BucketName", state.request().bucket())
          .with("Key", state.request().key());
    }
    if ("PutObject".equals(state.operation()) && state.body().length() > maxBytes) {
      throw new S3Exception(
              S3ErrorCode.ENTITY_TOO_LARGE,
              "Your proposed upload exceeds the maximum allowed object size.")
          .with("ProposedSize", Long.toString(state.body().length()))
          .with("MaxSizeAllowed", Long.toString(maxBytes));
    }
  }

  /** {@code text/plain; charset=utf-8} is {@code text/plain}; no header is the empty type. */
  private static String mediaType(String contentType) {
    if (contentType == null) {
      return "";
    }
    int semicolon = contentType.indexOf(';');
    String type = semicolon < 0 ? contentType : contentType.substring(0, semicolon);
    return type.trim().toLowerCase(Locale.ROOT);
  }
}
