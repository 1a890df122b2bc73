package io.github.s3eg.pipeline;

import io.github.s3eg.s3.S3ErrorCode;
import io.github.s3eg.s3.S3Exception;
import io.github.s3eg.s3.S3Request;
import java.util.Locale;

/** The dispatch's fallback: a method S3 does not allow on this resource. */
final class MethodNotAllowed {

  private MethodNotAllowed() {}

  static void refuse(S3Request s3) {
    throw new S3Exception(
            S3ErrorCode.METHOD_NOT_ALLOWED,
            "The specified method is not allowed against this resource.")
        .with("Method", s3.method())
        .with("ResourceType", s3.level().toUpperCase(Locale.ROOT));
  }
}
