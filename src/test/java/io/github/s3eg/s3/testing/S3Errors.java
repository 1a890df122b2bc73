package io.github.s3eg.s3.testing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import io.github.s3eg.s3.S3ErrorCode;
import io.github.s3eg.s3.S3Exception;
import io.github.s3eg.s3.body.BodyVerificationException;
import org.assertj.core.api.ThrowableAssert.ThrowingCallable;

/** Asserts that code fails with a given S3 error, directly or inside an IOException. */
public final class S3Errors {

  private S3Errors() {}

  public static S3Exception assertS3Error(ThrowingCallable call, S3ErrorCode code) {
    Throwable thrown = catchThrowable(call);
    assertThat(thrown).as("expected %s", code.code()).isNotNull();
    S3Exception s3 =
        BodyVerificationException.find(thrown)
            .orElseThrow(() -> new AssertionError("no S3Exception in " + thrown, thrown));
    assertThat(s3.errorCode()).as("error code (%s)", s3.getMessage()).isEqualTo(code);
    return s3;
  }
}
