package io.github.s3eg.pipeline;

import java.util.EnumSet;
import java.util.Set;
import org.apache.camel.Exchange;
import org.apache.camel.Processor;

/**
 * One named step of the pipeline, as the routes name it ({@code - process: {ref: encrypt}}): what
 * it requires from earlier steps, what it provides to later ones, and the action, a thin adapter
 * between the exchange and the plain service that does the work. Before the action runs, every
 * requirement is checked on the {@link RequestState}; a missing one fails the request with a {@link
 * MissingStepException} naming the step that should have provided it. {@link RouteValidator} reads
 * the same contract to refuse unsafe route shapes at start-up.
 */
public final class Step implements Processor {

  /** What a step does with the request's state and (for backend answers and requests) the body. */
  @FunctionalInterface
  public interface Action {
    void run(RequestState state, Exchange exchange) throws Exception;
  }

  /** What every backend call needs, whoever makes it. */
  public static final Set<Fact> BACKEND_CALL =
      EnumSet.of(Fact.AUTHENTICATED, Fact.RATE_LIMITED, Fact.REQUEST_CHECKED);

  private final String name;
  private final Set<Fact> requires;
  private final Set<Fact> provides;
  private final Action action;
  private final boolean beforeAuthentication;
  private final boolean alwaysFails;
  private final boolean completesAuthentication;

  private Step(
      String name,
      Set<Fact> requires,
      Set<Fact> provides,
      Action action,
      boolean beforeAuthentication,
      boolean alwaysFails,
      boolean completesAuthentication) {
    this.name = name;
    this.completesAuthentication = completesAuthentication;
    this.beforeAuthentication = beforeAuthentication;
    this.alwaysFails = alwaysFails;
    this.requires = requires.isEmpty() ? EnumSet.noneOf(Fact.class) : EnumSet.copyOf(requires);
    this.provides = provides.isEmpty() ? EnumSet.noneOf(Fact.class) : EnumSet.copyOf(provides);
    this.action = action;
  }

  /** A step named {@code name} (the registry name the routes use). */
  public static Builder named(String name) {
    return new Builder(name);
  }

  public String name() {
    return name;
  }

  public Set<Fact> requires() {
    return requires.isEmpty() ? EnumSet.noneOf(Fact.class) : EnumSet.copyOf(requires);
  }

  /**
   * True for the few steps that run before the request is authenticated: {@code authenticate}
   * itself, and the answers to the open probes. Every other step of a request, and every backend
   * call, needs an authenticated request ({@link PipelineGuard}).
   */
  public boolean beforeAuthentication() {
    return beforeAuthentication;
  }

  public Set<Fact> provides() {
    return provides.isEmpty() ? EnumSet.noneOf(Fact.class) : EnumSet.copyOf(provides);
  }

  /** True for a step that ends its path with an error (the answer to a refused request). */
  public boolean alwaysFails() {
    return alwaysFails;
  }

  @Override
  public void process(Exchange exchange) throws Exception {
    RequestState state = RequestStates.of(exchange);
    for (Fact fact : requires) {
      state.require(fact, name);
    }
    if (requires.contains(Fact.RATE_LIMITED) && !completesAuthentication) {
      state.requireSigned(name);
    }
    action.run(state, exchange);
  }

  @Override
  public String toString() {
    return "step '" + name + "'";
  }

  /** Declares a step's contract, then its action. */
  public static final class Builder {
    private final String name;
    private final Set<Fact> requires = EnumSet.noneOf(Fact.class);
    private final Set<Fact> provides = EnumSet.noneOf(Fact.class);
    private boolean beforeAuthentication;
    private boolean alwaysFails;
    private boolean completesAuthentication;

    private Builder(String name) {
      this.name = name;
    }

    public Builder requires(Fact... facts) {
      requires.addAll(Set.of(facts));
      return this;
    }

    /**
     * Marks a step that sends requests to the backend: it needs what every backend call needs, an
     * authenticated, rate-limited request whose sub-resources were checked.
     */
    public Builder callsBackend() {
      requires.addAll(BACKEND_CALL);
      return this;
    }

    public Builder provides(Fact... facts) {
      provides.addAll(Set.of(facts));
      return this;
    }

    /** Marks a step that runs before authentication (see {@link Step#beforeAuthentication}). */
    public Builder beforeAuthentication() {
      beforeAuthentication = true;
      return this;
    }

    /** Marks a step that always throws: the path it is on ends there. */
    public Builder alwaysFails() {
      alwaysFails = true;
      return this;
    }

    /**
     * Marks the step that verifies a browser upload's form signature ({@code readForm}): the one
     * step with a backend contract that runs while the request's authentication is pending.
     */
    public Builder completesAuthentication() {
      completesAuthentication = true;
      return this;
    }

    public Step does(Action action) {
      return new Step(
          name,
          requires,
          provides,
          action,
          beforeAuthentication,
          alwaysFails,
          completesAuthentication);
    }
  }
}
