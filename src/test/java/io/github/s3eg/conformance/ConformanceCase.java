package io.github.s3eg.conformance;

import java.util.Set;

/**
 * One small, named S3 behaviour (a status code, an error code, a header, a body, a listing's
 * shape), checked the same way on every target. A case passes when {@link Body#check} returns and
 * fails when it throws.
 *
 * @param name {@code client:category/behaviour}, e.g. {@code java:ranges/suffix-range}; the key of
 *     the exceptions file
 * @param behaviour what S3 does, in the words of the S3 API reference
 * @param requires backend capabilities without which the case does not run
 */
public record ConformanceCase(String name, String behaviour, Set<Capability> requires, Body body) {

  /** The check itself: throws (usually an {@link AssertionError}) when the target misbehaves. */
  @FunctionalInterface
  public interface Body {
    void check(CaseContext c) throws Exception;
  }
}
