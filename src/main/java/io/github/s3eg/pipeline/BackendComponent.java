package io.github.s3eg.pipeline;

import io.github.s3eg.backend.BackendClients;
import java.util.Map;
import org.apache.camel.Consumer;
import org.apache.camel.Endpoint;
import org.apache.camel.Exchange;
import org.apache.camel.Processor;
import org.apache.camel.Producer;
import org.apache.camel.support.DefaultComponent;
import org.apache.camel.support.DefaultEndpoint;
import org.apache.camel.support.DefaultProducer;

/**
 * The {@code backend:} component: every request the gateway sends to its S3 backend is a route step
 * {@code - to: backend:OPERATION} ({@link BackendCall}), so a route shows every backend request its
 * operation makes, and an operator can see, count and redirect each one. The step before leaves the
 * typed SDK request in the body; the answer replaces it.
 *
 * <p>Each call first checks the request's contract ({@link BackendContract}): authenticated,
 * rate-limited, sub-resources checked, and for writes of a client's object the cache invalidated
 * and the ciphertext made. A call for a request with no verified principal does not run.
 *
 * <p>Options: {@code ifMissing=empty} answers null for a missing object instead of failing ({@code
 * getObject} of a record that may be absent); {@code backend=NAME} uses the {@link BackendClients}
 * bound under that name instead of the gateway's backend.
 */
public final class BackendComponent extends DefaultComponent {

  /** The registry name of the gateway's own backend clients. */
  public static final String DEFAULT_BACKEND = "backendClients";

  /**
   * The registry name of the {@link io.github.s3eg.versions.TransientRecords} that delete the
   * gateway's per-upload records in buckets that keep versions (none bound: plain deletes).
   */
  public static final String TRANSIENT_RECORDS = "transientRecords";

  @Override
  protected Endpoint createEndpoint(String uri, String remaining, Map<String, Object> parameters) {
    BackendCall call = BackendCall.named(remaining);
    if (call == null) {
      throw new IllegalArgumentException("backend: has no operation '" + remaining + "'");
    }
    Object ifMissing = parameters.remove("ifMissing");
    if (ifMissing != null && !"empty".equals(ifMissing) && !"fail".equals(ifMissing)) {
      throw new IllegalArgumentException(uri + ": ifMissing is 'empty' or 'fail'");
    }
    Object backend = parameters.remove("backend");
    return new BackendEndpoint(
        uri,
        this,
        call,
        "empty".equals(ifMissing),
        backend == null ? DEFAULT_BACKEND : backend.toString().replaceFirst("^#", ""));
  }

  /** One backend operation, as a route names it. */
  static final class BackendEndpoint extends DefaultEndpoint {
    private final BackendCall call;
    private final boolean missingIsEmpty;
    private final String backend;

    BackendEndpoint(
        String uri,
        BackendComponent component,
        BackendCall call,
        boolean missingIsEmpty,
        String backend) {
      super(uri, component);
      this.call = call;
      this.missingIsEmpty = missingIsEmpty;
      this.backend = backend;
    }

    @Override
    public Producer createProducer() {
      BackendClients clients =
          getCamelContext().getRegistry().lookupByNameAndType(backend, BackendClients.class);
      if (clients == null) {
        throw new IllegalStateException(getEndpointUri() + ": no backend named " + backend);
      }
      String uri = getEndpointUri();
      BackendClients source =
          call == BackendCall.MIRROR_OBJECT
              ? getCamelContext()
                  .getRegistry()
                  .lookupByNameAndType(DEFAULT_BACKEND, BackendClients.class)
              : null;
      io.github.s3eg.versions.TransientRecords versions =
          getCamelContext()
              .getRegistry()
              .lookupByNameAndType(
                  TRANSIENT_RECORDS, io.github.s3eg.versions.TransientRecords.class);
      return new DefaultProducer(this) {
        @Override
        public void process(Exchange exchange) {
          RequestState state = RequestStates.of(exchange);
          for (Fact fact : BackendContract.requires("backend:" + call.callName())) {
            state.require(fact, uri);
          }
          state.requireSigned(uri);
          Object request = exchange.getIn().getBody();
          if (!call.countsItsRequests()) {
            state.backendCalled(call.callName());
          }
          Object answer =
              call == BackendCall.MIRROR_OBJECT && request instanceof BackendCall.StoredName name
                  ? BackendCall.mirror(source, clients, name)
                  : call.call(clients, request, state, missingIsEmpty, versions);
          state.backendAnswered(call, request, answer);
          exchange.getIn().setBody(answer);
        }
      };
    }

    @Override
    public Consumer createConsumer(Processor processor) {
      throw new UnsupportedOperationException("backend: endpoints only send");
    }
  }
}
