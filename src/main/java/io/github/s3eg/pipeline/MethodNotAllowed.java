package io.github.s3eg.pipeline;

import io.github.s3eg.s3.S3ErrorCode;
import io.github.s3eg.s3.S3Exception;
import io.github.s3eg.s3.S3Request;
import org.apache.camel.Exchange;
import org.apache.camel.Processor;

/** The dispatch's fallback: a method S3 does not allow on this resource. */
public final class MethodNotAllowed implements Processor {

  @Override
  public void process(Exchange exchange) {
    S3Request s3 = exchange.getProperty(S3Request.PROPERTY, S3Request.class);
    throw new S3Exception(
            S3ErrorCode.METHOD_NOT_ALLOWED,
            "The specified method is not allowed against this resource.")
        .with("Method", s3.method())
        .with("ResourceType", s3.level().toUpperCase(java.util.Locale.ROOT));
  }
}
