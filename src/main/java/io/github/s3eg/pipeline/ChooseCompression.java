package io.github.s3eg.pipeline;

import io.github.s3eg.s3.S3Request;

/**
 * The {@code compress} step of PutObject: applies the {@link CompressionPolicy} to the request's
 * content type, content encoding and plaintext length, and records the choice (compressed or not)
 * in the request's state. The frames are then compressed inside {@code encrypt}, just before each
 * is sealed, because the compressed stream is what gets encrypted (object format version 2).
 *
 * <p>{@code storeUncompressed} is its stand-in where a route wants no compression whatever the
 * policy says (e.g. for one bucket, examples/per-bucket-policy): it provides the same choice,
 * uncompressed, so {@code encrypt} still finds it.
 */
public final class ChooseCompression {

  private final CompressionPolicy policy;

  public ChooseCompression(CompressionPolicy policy) {
    this.policy = policy;
  }

  Step step() {
    return Step.named("compress")
        .requires(Fact.REQUEST_BODY)
        .provides(Fact.COMPRESSION_CHOSEN)
        .does(
            (state, exchange) -> {
              S3Request s3 = state.request();
              state.provideCompression(
                  policy.choose(
                      s3.header("Content-Type"),
                      s3.header("Content-Encoding"),
                      state.body().length()));
            });
  }

  static Step uncompressedStep() {
    return Step.named("storeUncompressed")
        .requires(Fact.REQUEST_BODY)
        .provides(Fact.COMPRESSION_CHOSEN)
        .does((state, exchange) -> state.provideCompression(java.util.Optional.empty()));
  }
}
