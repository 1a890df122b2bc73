package io.github.s3eg.conformance;

/**
 * What one case did on one target.
 *
 * @param detail why it failed (the assertion's message), or empty
 * @param millis how long it took (0 when unknown)
 */
public record Outcome(String caseName, Status status, String detail, long millis) {

  public Outcome(String caseName, Status status, String detail) {
    this(caseName, status, detail, 0);
  }

  public enum Status {
    PASSED,
    FAILED,
    /** The backend lacks a capability the case needs: counted neither way. */
    NOT_APPLICABLE
  }

  public boolean passed() {
    return status == Status.PASSED;
  }
}
