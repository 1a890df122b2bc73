package io.github.s3eg.pipeline;

import java.util.Set;
import org.apache.camel.AsyncCallback;
import org.apache.camel.CamelContext;
import org.apache.camel.Exchange;
import org.apache.camel.NamedNode;
import org.apache.camel.Processor;
import org.apache.camel.component.platform.http.vertx.HttpMessage;
import org.apache.camel.model.CatchDefinition;
import org.apache.camel.model.ChoiceDefinition;
import org.apache.camel.model.FilterDefinition;
import org.apache.camel.model.FinallyDefinition;
import org.apache.camel.model.LoopDefinition;
import org.apache.camel.model.OnExceptionDefinition;
import org.apache.camel.model.OtherwiseDefinition;
import org.apache.camel.model.ProcessDefinition;
import org.apache.camel.model.ProcessorDefinition;
import org.apache.camel.model.StopDefinition;
import org.apache.camel.model.ToDefinition;
import org.apache.camel.model.TryDefinition;
import org.apache.camel.model.WhenDefinition;
import org.apache.camel.spi.InterceptStrategy;
import org.apache.camel.support.processor.DelegateAsyncProcessor;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Authentication that no route edit can remove: wraps every node of every route (an {@link
 * InterceptStrategy} the gateway registers on the Camel context itself, not in a route file), and
 * refuses to run a node for an S3 request that has not been authenticated, except the requests the
 * gateway answers openly (the probes {@code /live}, {@code /ready}, {@code /health}, and the
 * metrics scrape with {@code METRICS_PUBLIC=true}) and the steps that come before authentication by
 * design ({@code parseRequest}, {@code authenticate}). Backend calls through camel-aws2-s3 are held
 * to the same contract as the gateway's own backend steps ({@link BackendContract}).
 *
 * <p>So an operator who deletes {@code authenticate} from {@code s3-api}, or moves it after the
 * dispatch, gets a request that fails (500, nothing stored or served) instead of one that reaches
 * the backend unauthenticated. {@link RouteValidator} refuses such route sets at start-up; this is
 * the guard at run time. Exchanges that are not HTTP requests (a timer route an operator added) are
 * left alone.
 */
public final class PipelineGuard implements InterceptStrategy {

  private static final Logger LOG = LoggerFactory.getLogger(PipelineGuard.class);

  /** Nodes that only steer the flow; the nodes inside them are guarded themselves. */
  private static final Set<Class<?>> CONTROL_FLOW =
      Set.of(
          ChoiceDefinition.class,
          WhenDefinition.class,
          OtherwiseDefinition.class,
          FilterDefinition.class,
          TryDefinition.class,
          CatchDefinition.class,
          FinallyDefinition.class,
          LoopDefinition.class,
          StopDefinition.class);

  @Override
  public Processor wrapProcessorInInterceptors(
      CamelContext context, NamedNode definition, Processor target, Processor nextTarget) {
    if (!(definition instanceof ProcessorDefinition<?> node)
        || CONTROL_FLOW.contains(node.getClass())
        || inErrorHandler(node)) {
      return target;
    }
    Object bean = stepBean(context, node);
    if (bean instanceof ParseRequest
        || bean instanceof SendError
        || (bean instanceof Step step && step.beforeAuthentication())) {
      return target;
    }
    Set<Fact> backendNeeds =
        node instanceof ToDefinition to ? BackendContract.requires(to.getUri()) : Set.of();
    // camel-aws2-s3 calls are counted here; the gateway's own backend: steps count themselves.
    String aws2Call =
        node instanceof ToDefinition to && to.getUri() != null && to.getUri().startsWith("aws2-s3:")
            ? BackendContract.operation(to.getUri())
            : null;
    String where = describe(node);
    return new DelegateAsyncProcessor(target) {
      @Override
      public boolean process(Exchange exchange, AsyncCallback callback) {
        MissingStepException refused = check(exchange, backendNeeds, where);
        if (refused != null) {
          LOG.error("{}: {}", where, refused.getMessage());
          exchange.setException(refused);
          callback.done(true);
          return true;
        }
        if (aws2Call != null) {
          RequestState state = RequestStates.find(exchange);
          if (state != null) {
            state.backendCalled(aws2Call);
          }
        }
        return super.process(exchange, callback);
      }
    };
  }

  private static MissingStepException check(Exchange exchange, Set<Fact> needs, String where) {
    RequestState state = RequestStates.find(exchange);
    if (state == null) {
      return exchange.getIn() instanceof HttpMessage
          ? new MissingStepException(Fact.PARSED, where)
          : null;
    }
    if (!state.open() && !state.has(Fact.AUTHENTICATED)) {
      return new MissingStepException(Fact.AUTHENTICATED, where);
    }
    for (Fact fact : needs) {
      if (!state.has(fact)) {
        return new MissingStepException(fact, where);
      }
    }
    if (!needs.isEmpty()) {
      try {
        state.requireSigned(where);
      } catch (MissingStepException pending) {
        return pending;
      }
    }
    return null;
  }

  /** The bean a {@code process: {ref: …}} node names, or null. */
  static Object stepBean(CamelContext context, ProcessorDefinition<?> node) {
    if (node instanceof ProcessDefinition process && process.getRef() != null) {
      return context.getRegistry().lookupByName(process.getRef());
    }
    return null;
  }

  private static boolean inErrorHandler(ProcessorDefinition<?> node) {
    for (ProcessorDefinition<?> p = node; p != null; p = p.getParent()) {
      if (p instanceof OnExceptionDefinition) {
        return true;
      }
    }
    return false;
  }

  /** {@code step 'decrypt' of route 'GetObject'}. */
  static String describe(ProcessorDefinition<?> node) {
    String what =
        node instanceof ProcessDefinition p && p.getRef() != null
            ? "step '" + p.getRef() + "'"
            : node instanceof ToDefinition to ? "'" + to.getUri() + "'" : node.getShortName();
    org.apache.camel.model.RouteDefinition route =
        org.apache.camel.model.ProcessorDefinitionHelper.getRoute(node);
    return what + (route == null ? "" : " of route '" + route.getRouteId() + "'");
  }
}
