package io.github.s3eg.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import org.assertj.core.api.ThrowableAssert.ThrowingCallable;
import software.amazon.awssdk.services.s3.model.S3Exception;

/** Asserts that an AWS SDK call fails with a given S3 error, as the client sees it. */
public final class SdkErrors {

  private SdkErrors() {}

  /** The call fails with an S3 error of this HTTP status and error code. */
  public static S3Exception assertSdkError(ThrowingCallable call, int status, String code) {
    Throwable thrown = catchThrowable(call);
    assertThat(thrown).as("expected %d %s", status, code).isInstanceOf(S3Exception.class);
    S3Exception e = (S3Exception) thrown;
    assertThat(e.statusCode()).as(e.getMessage()).isEqualTo(status);
    assertThat(e.awsErrorDetails().errorCode()).as(e.getMessage()).isEqualTo(code);
    return e;
  }
}
