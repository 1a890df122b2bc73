package io.github.s3eg.s3;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/**
 * A failure that the client must see as an S3 error response. Thrown anywhere in the pipeline; the
 * error route turns it into {@code <Error><Code>…</Code><Message>…</Message>…</Error>} with the
 * code's HTTP status. Extra elements (for example {@code StringToSign} on a signature mismatch) go
 * into the body in insertion order.
 *
 * <p>The message is shown to the client, so it must never contain secrets, keys or stack traces.
 */
public class S3Exception extends RuntimeException {

  private final S3ErrorCode errorCode;
  private final Map<String, String> extraElements;
  private final Map<String, String> headers = new LinkedHashMap<>();

  public S3Exception(S3ErrorCode errorCode, String message) {
    this(errorCode, message, null);
  }

  public S3Exception(S3ErrorCode errorCode, String message, Throwable cause) {
    super(message, cause);
    this.errorCode = Objects.requireNonNull(errorCode, "errorCode");
    this.extraElements = new LinkedHashMap<>();
  }

  public S3ErrorCode errorCode() {
    return errorCode;
  }

  /**
   * The value of {@code <Code>}: the error code's, unless a subclass carries another (a backend's
   * answer to a forwarded request, see {@link ForwardedError}).
   */
  public String code() {
    return errorCode.code();
  }

  /** The HTTP status of the answer. */
  public int httpStatus() {
    return errorCode.httpStatus();
  }

  /** Adds an element to the XML error body, such as {@code Key}, {@code BucketName}. */
  public S3Exception with(String element, String value) {
    if (value != null) {
      extraElements.put(element, value);
    }
    return this;
  }

  /** Adds a response header to the error answer, such as {@code Retry-After}. */
  public S3Exception header(String name, String value) {
    headers.put(name, value);
    return this;
  }

  /** The response headers added with {@link #header}, in insertion order. */
  public Map<String, String> headers() {
    return new LinkedHashMap<>(headers);
  }

  public Map<String, String> extraElements() {
    return Map.copyOf(extraElements).isEmpty() ? Map.of() : new LinkedHashMap<>(extraElements);
  }
}
