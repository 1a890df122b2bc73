package io.github.s3eg.pipeline;

import io.github.s3eg.s3.S3ErrorCode;
import io.github.s3eg.s3.S3Exception;
import io.github.s3eg.s3.S3Request;
import java.io.InputStream;
import org.apache.camel.Exchange;

/** Body decoding for requests without transfer framing: the wire bytes are the object bytes. */
public final class PlainBodyDecoder implements ReadRequestBody.BodyDecoder {

  @Override
  public InputStream decode(S3Request request, InputStream wire, Exchange exchange) {
    if (ReadRequestBody.isAwsChunked(request)) {
      throw new S3Exception(
          S3ErrorCode.NOT_IMPLEMENTED, "aws-chunked bodies are not accepted by this decoder");
    }
    return wire;
  }
}
