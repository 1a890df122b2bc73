package io.github.s3eg.keys.ttlv;

/**
 * Malformed, oversized or unrepresentable TTLV (binary or JSON). Decoders throw only this for bad
 * input, so that a fuzzer can tell a rejected input from a bug. Messages describe the structure,
 * never the values, so they are safe to log even when the input held key material.
 */
public final class TtlvException extends Exception {

  public TtlvException(String message) {
    super(message);
  }

  public TtlvException(String message, Throwable cause) {
    super(message, cause);
  }
}
