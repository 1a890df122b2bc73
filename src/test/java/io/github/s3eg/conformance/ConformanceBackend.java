package io.github.s3eg.conformance;

import java.util.Set;

/**
 * A real S3 server and a gateway in front of it: the two targets every conformance case runs
 * against. Plug in another server by implementing this and listing it in {@link
 * ConformanceSuiteTest#backends()}.
 */
public interface ConformanceBackend extends AutoCloseable {

  /** A short name for reports and for exceptions that hold on one backend only ({@code @name}). */
  String name();

  /** The backend itself, with its own credentials. */
  Target direct();

  /** The gateway in front of the backend, with the gateway's client credentials. */
  Target gateway();

  /** What this backend can do beyond the core S3 surface; cases that need more do not run. */
  Set<Capability> capabilities();
}
