package io.github.s3eg.pipeline;

import java.util.ArrayList;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.camel.CamelContext;
import org.apache.camel.model.CatchDefinition;
import org.apache.camel.model.ChoiceDefinition;
import org.apache.camel.model.FinallyDefinition;
import org.apache.camel.model.Model;
import org.apache.camel.model.OnExceptionDefinition;
import org.apache.camel.model.OutputNode;
import org.apache.camel.model.ProcessDefinition;
import org.apache.camel.model.ProcessorDefinition;
import org.apache.camel.model.RouteDefinition;
import org.apache.camel.model.StopDefinition;
import org.apache.camel.model.ToDefinition;
import org.apache.camel.model.TryDefinition;
import org.apache.camel.model.WhenDefinition;

/**
 * Refuses, at start-up, a route set that the gateway could not run safely: it follows every route
 * that takes HTTP requests ({@code platform-http}) through the steps and the operation routes it
 * dispatches to ({@code direct:}), and checks each step's contract ({@link Step#requires}) against
 * what the steps before it provide on every path. A GetObject route that decrypts without resolving
 * the key, a PutObject route whose write comes before {@code encrypt} or without invalidating the
 * cache, an operation reachable before {@code authenticate}: each is a problem that names the route
 * and the step, and the gateway does not start.
 *
 * <p>The check is conservative: after a {@code choice} only what every branch provides counts,
 * after a {@code filter} or {@code loop} only what held before it. Steps the gateway does not know
 * (an operator's own processor, a {@code log}, another component's endpoint) need an authenticated
 * request and provide nothing.
 */
public final class RouteValidator {

  /** The route set cannot run safely. */
  public static final class UnsafeRoutesException extends IllegalStateException {
    private final List<String> problems;

    UnsafeRoutesException(List<String> problems) {
      super(
          "The gateway's routes are unsafe and were refused:\n  - "
              + String.join("\n  - ", problems));
      this.problems = List.copyOf(problems);
    }

    public List<String> problems() {
      return problems;
    }
  }

  private final CamelContext context;
  private final Map<String, RouteDefinition> directRoutes = new HashMap<>();
  private final Set<String> problems = new LinkedHashSet<>();

  /** Route id and facts on entry → facts after (null while the route is being walked). */
  private final Map<String, Set<Fact>> walked = new HashMap<>();

  private RouteValidator(CamelContext context) {
    this.context = context;
  }

  /**
   * Checks every route of {@code context}'s model.
   *
   * @throws UnsafeRoutesException naming each problem
   */
  public static void validate(CamelContext context) {
    RouteValidator validator = new RouteValidator(context);
    List<String> problems = validator.run();
    if (!problems.isEmpty()) {
      throw new UnsafeRoutesException(problems);
    }
  }

  private List<String> run() {
    Model model = context.getCamelContextExtension().getContextPlugin(Model.class);
    List<RouteDefinition> routes = model.getRouteDefinitions();
    for (RouteDefinition route : routes) {
      String uri = route.getEndpointUrl();
      if (uri != null && uri.startsWith("direct:")) {
        directRoutes.put(endpointName(uri), route);
      }
    }
    boolean anyHttp = false;
    for (RouteDefinition route : routes) {
      String uri = route.getEndpointUrl();
      if (uri != null && uri.startsWith("platform-http:")) {
        anyHttp = true;
        Set<Fact> end = walk(route, route.getOutputs(), EnumSet.noneOf(Fact.class));
        if (end != null && !end.contains(Fact.ANSWERED)) {
          problems.add(
              "route '"
                  + route.getRouteId()
                  + "': a request can reach its end without 'sendResponse', unanswered");
        }
      }
    }
    if (!anyHttp) {
      problems.add("no route takes the S3 requests (a route from platform-http:)");
    }
    if (!answersErrors(model)) {
      problems.add(
          "no error handler runs 'sendError' (an onException of a routeConfiguration): failures"
              + " would go unanswered");
    }
    return new ArrayList<>(problems);
  }

  /** What holds after {@code outputs}, given {@code facts} before; null when the path stops. */
  private Set<Fact> walk(
      RouteDefinition route, List<ProcessorDefinition<?>> outputs, Set<Fact> in) {
    Set<Fact> facts = EnumSet.noneOf(Fact.class);
    facts.addAll(in);
    for (ProcessorDefinition<?> node : outputs) {
      facts = visit(route, node, facts);
      if (facts == null) {
        return null;
      }
    }
    return facts;
  }

  private Set<Fact> visit(RouteDefinition route, ProcessorDefinition<?> node, Set<Fact> facts) {
    if (node instanceof StopDefinition) {
      if (!facts.contains(Fact.ANSWERED)) {
        problems.add(
            "route '"
                + route.getRouteId()
                + "': a request can stop there unanswered ('sendResponse' missing)");
      }
      return null;
    }
    if (node instanceof OnExceptionDefinition) {
      // Error handling (sendError) runs for any request, authenticated or not.
      return facts;
    }
    if (node instanceof ProcessDefinition process) {
      return step(route, process, facts);
    }
    if (node instanceof ToDefinition to) {
      return to(route, to, facts);
    }
    if (node instanceof ChoiceDefinition choice) {
      List<Set<Fact>> ends = new ArrayList<>();
      for (WhenDefinition when : choice.getWhenClauses()) {
        ends.add(walk(route, when.getOutputs(), facts));
      }
      ends.add(
          choice.getOtherwise() == null
              ? facts
              : walk(route, choice.getOtherwise().getOutputs(), facts));
      return meet(ends);
    }
    if (node instanceof TryDefinition attempt) {
      List<Set<Fact>> ends = new ArrayList<>();
      ends.add(walk(route, attempt.getOutputsWithoutCatches(), facts));
      for (CatchDefinition c : attempt.getCatchClauses()) {
        ends.add(walk(route, c.getOutputs(), facts));
      }
      FinallyDefinition last = attempt.getFinallyClause();
      if (last != null) {
        walk(route, last.getOutputs(), facts);
      }
      return meet(ends);
    }
    if (node instanceof OutputNode && !node.getOutputs().isEmpty()) {
      // filter, loop, split, …: their steps run (or not) with what held before; nothing they
      // provide is certain afterwards.
      walk(route, node.getOutputs(), facts);
      return facts;
    }
    unknown(route, node.getShortName(), facts);
    return facts;
  }

  private Set<Fact> step(RouteDefinition route, ProcessDefinition process, Set<Fact> facts) {
    Object bean =
        process.getRef() == null ? null : context.getRegistry().lookupByName(process.getRef());
    if (bean instanceof ParseRequest) {
      facts.add(Fact.PARSED);
      return facts;
    }
    if (bean instanceof SendResponse) {
      need(route, "sendResponse", Fact.RESPONSE, facts);
      facts.add(Fact.ANSWERED);
      return facts;
    }
    if (!(bean instanceof Step step)) {
      unknown(route, "step '" + process.getRef() + "'", facts);
      return facts;
    }
    if (!step.beforeAuthentication() && !facts.contains(Fact.OPEN_ANSWER)) {
      need(route, step.name(), Fact.AUTHENTICATED, facts);
    }
    for (Fact fact : step.requires()) {
      need(route, step.name(), fact, facts);
    }
    facts.addAll(step.provides());
    return step.alwaysFails() ? null : facts;
  }

  private Set<Fact> to(RouteDefinition route, ToDefinition to, Set<Fact> facts) {
    String uri = to.getUri();
    if (uri != null && uri.startsWith("direct:")) {
      RouteDefinition target = directRoutes.get(endpointName(uri));
      if (target == null) {
        problems.add("route '" + route.getRouteId() + "': no route consumes " + uri);
        return facts;
      }
      String key = target.getRouteId() + facts;
      if (walked.containsKey(key)) {
        Set<Fact> known = walked.get(key);
        return known == null ? facts : copy(known);
      }
      walked.put(key, null);
      Set<Fact> after = walk(target, target.getOutputs(), facts);
      walked.put(key, after == null ? facts : after);
      return after == null ? facts : copy(after);
    }
    if (BackendContract.operation(uri) == null) {
      unknown(route, "'" + uri + "'", facts);
      return facts;
    }
    for (Fact fact : BackendContract.requires(uri)) {
      need(route, "'" + uri + "'", fact, facts);
    }
    facts.addAll(BackendContract.provides(uri));
    return facts;
  }

  /** A step the gateway has no contract for: it may do anything, so it needs authentication. */
  private void unknown(RouteDefinition route, String what, Set<Fact> facts) {
    if (!facts.contains(Fact.OPEN_ANSWER)) {
      need(route, what, Fact.AUTHENTICATED, facts);
    }
  }

  private void need(RouteDefinition route, String step, Fact fact, Set<Fact> facts) {
    if (!facts.contains(fact)) {
      problems.add(
          "route '"
              + route.getRouteId()
              + "': "
              + (step.startsWith("step ") || step.startsWith("'") ? step : "step '" + step + "'")
              + " needs what "
              + fact.describeProviders()
              + " provides, and that does not come before it");
    }
  }

  /** Whether some route configuration's {@code onException} answers failures with sendError. */
  private boolean answersErrors(Model model) {
    for (org.apache.camel.model.RouteConfigurationDefinition configuration :
        model.getRouteConfigurationDefinitions()) {
      for (OnExceptionDefinition handler : configuration.getOnExceptions()) {
        if (sendsError(handler.getOutputs())) {
          return true;
        }
      }
    }
    return false;
  }

  private boolean sendsError(List<ProcessorDefinition<?>> nodes) {
    for (ProcessorDefinition<?> node : nodes) {
      if (node instanceof ProcessDefinition p
          && p.getRef() != null
          && context.getRegistry().lookupByName(p.getRef()) instanceof SendError) {
        return true;
      }
      if (sendsError(node.getOutputs())) {
        return true;
      }
    }
    return false;
  }

  /** What holds after every branch that goes on (branches that stop do not count). */
  private static Set<Fact> meet(List<Set<Fact>> ends) {
    Set<Fact> common = null;
    for (Set<Fact> end : ends) {
      if (end == null) {
        continue;
      }
      if (common == null) {
        common = EnumSet.noneOf(Fact.class);
        common.addAll(end);
      } else {
        common.retainAll(end);
      }
    }
    return common;
  }

  private static Set<Fact> copy(Set<Fact> facts) {
    Set<Fact> copy = EnumSet.noneOf(Fact.class);
    copy.addAll(facts);
    return copy;
  }

  private static String endpointName(String uri) {
    String name = uri.substring(uri.indexOf(':') + 1);
    int q = name.indexOf('?');
    return q < 0 ? name : name.substring(0, q);
  }
}
