package io.github.s3eg.pipeline;

import io.github.s3eg.http.ResponseSender;
import io.github.s3eg.http.SecurityHeaders;
import io.github.s3eg.ops.AccessLog;
import io.github.s3eg.ops.RequestListener;
import io.github.s3eg.s3.HttpDate;
import io.github.s3eg.s3.S3Request;
import io.github.s3eg.s3.S3Response;
import java.time.Clock;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.camel.Exchange;
import org.apache.camel.Processor;

/**
 * Last step of every S3 route: writes the {@link S3Response} to the client, adding what S3 puts on
 * every response (request id, date, server). Bodies stream with backpressure; see {@link
 * ResponseSender}.
 */
public final class SendResponse implements Processor {

  private final ResponseSender sender;
  private final RequestListener listener;
  private final Clock clock;

  /** Logs each request to the text access log and tells no one else. */
  public SendResponse(ResponseSender sender) {
    this(sender, new AccessLog(AccessLog.Format.TEXT), Clock.systemUTC());
  }

  /**
   * {@code listener} hears of every request this step answers (access log, metrics, audit); {@code
   * clock} dates the responses.
   */
  public SendResponse(ResponseSender sender, RequestListener listener, Clock clock) {
    this.sender = sender;
    this.listener = listener;
    this.clock = clock;
  }

  @Override
  public void process(Exchange exchange) throws Exception {
    RequestState state = RequestStates.of(exchange);
    send(state, state.http(), state.request(), state.response());
  }

  private void send(RequestState state, HttpExchange http, S3Request request, S3Response response)
      throws Exception {
    Map<String, List<String>> headers = response.headers();
    commonHeaders(http, clock).forEach((k, v) -> headers.putIfAbsent(k, List.of(v)));
    boolean head = request != null && "HEAD".equals(request.method());
    long bytes = 0;
    boolean sent = false;
    try {
      if (response.stream() != null && !head) {
        sender.sendStream(
            http.response(),
            response.status(),
            headers,
            response.stream(),
            response.streamLength());
        bytes = response.streamLength();
      } else if (response.bytes() != null && !head) {
        sender.sendBytes(http.response(), response.status(), headers, response.bytes());
        bytes = response.bytes().length;
      } else {
        if (response.stream() != null && !headers.containsKey("Content-Length")) {
          headers.put("Content-Length", List.of(Long.toString(response.streamLength())));
        }
        headers.putIfAbsent("Content-Length", List.of("0"));
        sender.sendHeaders(http.response(), response.status(), headers);
      }
      sent = true;
    } finally {
      if (response.streamRelease() != null) {
        response.streamRelease().close();
      }
      listener.completed(state.completed(response.status(), bytes, null, !sent));
    }
  }

  /** What every response carries: S3's request id, date and server, and the security headers. */
  static Map<String, String> commonHeaders(HttpExchange http, Clock clock) {
    Map<String, String> headers = new LinkedHashMap<>();
    headers.put("x-amz-request-id", http.requestId());
    headers.put("x-amz-id-2", http.requestId());
    headers.put("Date", HttpDate.format(clock.instant()));
    headers.put("Server", "s3-encryption-gateway");
    headers.putAll(SecurityHeaders.forResponse(http.request().isSSL()));
    return headers;
  }
}
