package io.github.s3eg.s3.body;

import io.github.s3eg.s3.S3Exception;
import java.io.IOException;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.Optional;
import java.util.Set;

/**
 * A request body failed verification or decoding. It is an {@link IOException} so it travels
 * through {@code InputStream} consumers (the AWS SDK, Camel, copy loops) unchanged; the S3 error to
 * send is its cause. When the failure surfaces somewhere up the stack, {@link #find(Throwable)}
 * recovers that S3 error from whatever wrapped it.
 */
public final class BodyVerificationException extends IOException {

  public BodyVerificationException(S3Exception error) {
    super(error.errorCode().code() + ": " + error.getMessage(), error);
  }

  /** The S3 error to answer with. */
  public S3Exception s3Exception() {
    return (S3Exception) getCause();
  }

  /**
   * The first {@link S3Exception} in {@code t}'s cause chain (including {@code t} itself), for
   * example the one inside a {@code BodyVerificationException} that the AWS SDK wrapped in an
   * {@code SdkClientException} or Camel in a {@code CamelExecutionException}.
   */
  public static Optional<S3Exception> find(Throwable t) {
    Set<Throwable> seen = Collections.newSetFromMap(new IdentityHashMap<>());
    for (Throwable c = t; c != null && seen.add(c); c = c.getCause()) {
      if (c instanceof S3Exception s3) {
        return Optional.of(s3);
      }
      for (Throwable s : c.getSuppressed()) {
        if (s instanceof BodyVerificationException b) {
          return Optional.of(b.s3Exception());
        }
      }
    }
    return Optional.empty();
  }
}
