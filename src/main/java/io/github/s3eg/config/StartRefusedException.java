package io.github.s3eg.config;

/**
 * The settings are valid, but starting with them would do harm the operator did not ask for (a new
 * key over objects that need the old one). Like {@link ConfigurationException} it ends the process
 * with exit status 2 and no stack trace; its message says what was found and what to do, over a few
 * lines.
 */
public final class StartRefusedException extends RuntimeException {

  public StartRefusedException(String message) {
    super(message);
  }
}
