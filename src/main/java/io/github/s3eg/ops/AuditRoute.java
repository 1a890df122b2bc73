package io.github.s3eg.ops;

import java.util.function.Consumer;
import org.apache.camel.CamelContext;
import org.apache.camel.ProducerTemplate;

/**
 * {@code AUDIT_ENDPOINT}: sends each sealed audit line, as a message body (one line, no newline),
 * to a Camel endpoint, usually {@code direct:audit}, a route of the operator's that forwards it to
 * a file, an HTTP collector or a log (examples/audit-to-file). {@link AuditLog} sends under its
 * lock, so a synchronous endpoint gets the lines in chain order; the exchange is not an S3 request,
 * so the route's steps run without one.
 */
public final class AuditRoute implements Consumer<String> {

  private final CamelContext context;
  private final String uri;
  private ProducerTemplate template;

  public AuditRoute(CamelContext context, String uri) {
    this.context = context;
    this.uri = uri;
  }

  /** Fails (the caller logs it) when the endpoint does not take the line. */
  @Override
  public synchronized void accept(String line) {
    if (template == null) {
      // Made at the first line: the context has started by then (no request comes before).
      template = context.createProducerTemplate();
    }
    template.sendBody(uri, line);
  }
}
