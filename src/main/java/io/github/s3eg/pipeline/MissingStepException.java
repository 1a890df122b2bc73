package io.github.s3eg.pipeline;

import io.github.s3eg.s3.S3ErrorCode;
import io.github.s3eg.s3.S3Exception;

/**
 * A step needs something that an earlier step should have provided and did not: the routes were
 * edited into a shape the gateway cannot run safely. The request fails (500 InternalError) before
 * anything is stored or served; the log names the route and the missing step. {@link
 * RouteValidator} refuses most such shapes at start-up; this is the run-time guard for the rest.
 */
public final class MissingStepException extends S3Exception {

  private final Fact missing;

  public MissingStepException(Fact missing, String detail) {
    super(
        S3ErrorCode.INTERNAL_ERROR,
        "The gateway's pipeline is misconfigured: "
            + detail
            + " needs what "
            + missing.describeProviders()
            + " provides, and it did not run.");
    this.missing = missing;
  }

  public MissingStepException(Fact missing) {
    this(missing, "a step");
  }

  public Fact missing() {
    return missing;
  }
}
