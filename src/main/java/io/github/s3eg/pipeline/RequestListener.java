package io.github.s3eg.pipeline;

import org.apache.camel.Exchange;

/**
 * Told once about every answered request, after {@link SendResponse} or {@link SendError} has
 * written it: metrics and the audit log listen here, so they see successes and failures alike.
 * Listeners read what they need from the exchange properties ({@link HttpExchange}, {@code
 * S3Request}, the authentication result). They must not throw and must not block for long.
 */
@FunctionalInterface
public interface RequestListener {

  /** A listener that does nothing. */
  RequestListener NONE = completed -> {};

  void completed(Completed completed);

  /**
   * One answered request.
   *
   * @param exchange the request's exchange
   * @param status the HTTP status sent
   * @param bytes response body bytes sent
   * @param errorCode the S3 error code sent, or null for a success
   * @param aborted true when the response broke off after it had started (connection reset)
   */
  record Completed(Exchange exchange, int status, long bytes, String errorCode, boolean aborted) {}

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
