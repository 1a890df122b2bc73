package io.github.s3eg.ops;

import io.github.s3eg.s3.S3Request;
import io.github.s3eg.s3.auth.Access;

/**
 * Told once about every answered request, after the response (or error) was written: the access
 * log, metrics and the audit log listen here, so they see successes and failures alike. They must
 * not throw and must not block for long.
 */
@FunctionalInterface
public interface RequestListener {

  /** A listener that does nothing. */
  RequestListener NONE = completed -> {};

  void completed(Completed completed);

  /**
   * One answered request.
   *
   * @param requestId the id sent to the client
   * @param startNanos {@link System#nanoTime()} when the request arrived
   * @param httpMethod the HTTP method as received
   * @param request the parsed request, or null when parsing failed
   * @param principal the authenticated access key, or null when authentication failed or did not
   *     run
   * @param operation the operation route that handled the request, or null
   * @param keyId the id of the key that wrapped the object's data key, or null
   * @param keyVersion that key's version, or null
   * @param status the HTTP status sent
   * @param bytes response body bytes sent
   * @param errorCode the S3 error code sent, or null for a success
   * @param aborted true when the response broke off after it had started (connection reset)
   * @param backendCalls the backend requests the request's steps sent, in order ({@code getObject},
   *     …)
   * @param source the object a copy reads (its second resource), or null
   * @param keys every key a DeleteObjects document named, or null for other requests
   */
  record Completed(
      String requestId,
      long startNanos,
      String httpMethod,
      S3Request request,
      String principal,
      String operation,
      String keyId,
      String keyVersion,
      int status,
      long bytes,
      String errorCode,
      boolean aborted,
      java.util.List<String> backendCalls,
      Access source,
      java.util.List<String> keys) {}

  /**
   * A listener that tells each of {@code listeners} in turn; one that fails is logged and does not
   * keep the others from hearing, nor disturb the response.
   */
  static RequestListener all(java.util.List<RequestListener> listeners) {
    java.util.List<RequestListener> copy = java.util.List.copyOf(listeners);
    return completed -> {
      for (RequestListener listener : copy) {
        try {
          listener.completed(completed);
        } catch (RuntimeException e) {
          org.slf4j.LoggerFactory.getLogger(RequestListener.class)
              .error("request listener {} failed", listener.getClass().getSimpleName(), e);
        }
      }
    };
  }
}
