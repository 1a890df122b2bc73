package io.github.s3eg.pipeline;

import io.github.s3eg.crypto.Compression;
import io.github.s3eg.s3.S3Request;
import org.apache.camel.Exchange;
import org.apache.camel.Processor;

/**
 * The {@code compress} step of PutObject: applies the {@link CompressionPolicy} to the request's
 * content type, content encoding and plaintext length, and records the choice in the exchange
 * property {@value #PROPERTY}. The frames are then compressed inside {@code encrypt}, just before
 * each is sealed, because the compressed stream is what gets encrypted (object format version 2).
 */
public final class ChooseCompression implements Processor {

  /** Exchange property: the {@link Compression} of this upload; absent when not compressed. */
  public static final String PROPERTY = "s3Compression";

  private final CompressionPolicy policy;

  public ChooseCompression(CompressionPolicy policy) {
    this.policy = policy;
  }

  @Override
  public void process(Exchange exchange) {
    S3Request s3 = ObjectOperations.request(exchange);
    long length = exchange.getProperty(ObjectOperations.BODY_LENGTH, Long.class);
    policy
        .choose(s3.header("Content-Type"), s3.header("Content-Encoding"), length)
        .ifPresent(c -> exchange.setProperty(PROPERTY, c));
  }
}
