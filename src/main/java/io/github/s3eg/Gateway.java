package io.github.s3eg;

import io.github.s3eg.config.ConfigurationException;
import io.github.s3eg.config.GatewayConfig;
import io.github.s3eg.config.StartRefusedException;
import io.github.s3eg.ops.Operations;
import java.net.URI;
import java.time.Clock;
import java.util.Map;
import org.apache.camel.CamelContext;
import org.apache.camel.main.Main;

/**
 * One running gateway: a camel-main with the gateway's routes, in which {@link
 * GatewayConfiguration} (named by the jar's {@code application.properties}) assembles the backend,
 * the route beans and the HTTP server from the configuration given here. {@link GatewayMain} runs
 * one until the process is stopped; tests start and stop them in-process.
 */
public final class Gateway implements AutoCloseable {

  private final Main main;
  private final GatewayAssembly assembly;

  private Gateway(Main main, GatewayAssembly assembly) {
    this.main = main;
    this.assembly = assembly;
  }

  public static Gateway start(GatewayConfig config) throws Exception {
    return start(config, Clock.systemUTC());
  }

  /** {@code clock}: the time signatures are checked against (tests move it). */
  public static Gateway start(GatewayConfig config, Clock clock) throws Exception {
    return start(config, clock, Map.of());
  }

  /**
   * {@code camelProperties} override the jar's {@code application.properties}, e.g. {@code
   * camel.main.routesIncludePattern=file:/etc/s3eg/routes/*.yaml} for routes from a folder (as
   * {@code CAMEL_MAIN_ROUTESINCLUDEPATTERN} does for a gateway started by {@link GatewayMain}).
   */
  public static Gateway start(
      GatewayConfig config, Clock clock, Map<String, String> camelProperties) throws Exception {
    Main main = new Main();
    camelProperties.forEach(main::addOverrideProperty);
    main.bind(GatewayConfiguration.PRESET_BEAN, new GatewayConfiguration.Preset(config, clock));
    try {
      main.start();
      GatewayAssembly assembly = assembly(main);
      if (assembly == null) {
        throw new IllegalStateException(
            "camel-main did not run "
                + GatewayConfiguration.class.getName()
                + ": camel.main.configurationClasses is missing from application.properties");
      }
      return new Gateway(main, assembly);
    } catch (Exception e) {
      stopAfterFailedStart(main);
      throw configurationProblem(e);
    }
  }

  private static GatewayAssembly assembly(Main main) {
    CamelContext context = main.getCamelContext();
    return context == null
        ? null
        : context.getRegistry().lookupByNameAndType(GatewayAssembly.BEAN, GatewayAssembly.class);
  }

  /** The context may not reach "stopped" after a failed start: release the parts directly too. */
  private static void stopAfterFailedStart(Main main) {
    GatewayAssembly assembly = assembly(main);
    try {
      main.stop();
    } catch (RuntimeException ignored) {
      // The start failure is the error worth reporting.
    }
    if (assembly != null) {
      try {
        assembly.close();
      } catch (Exception ignored) {
        // As above.
      }
    }
  }

  /**
   * camel-main wraps what a configuration class throws; a bad setting should still reach {@link
   * GatewayMain} as the {@link ConfigurationException} naming it, and a refused start as the {@link
   * StartRefusedException} saying why.
   */
  private static Exception configurationProblem(Exception e) {
    for (Throwable t = e; t != null; t = t.getCause()) {
      if (t instanceof ConfigurationException bad) {
        return bad;
      }
      if (t instanceof StartRefusedException refused) {
        return refused;
      }
    }
    return e;
  }

  public int port() {
    return assembly.port();
  }

  /** Requests being answered right now (a request that never finishes holds a worker thread). */
  public int requestsInProgress() {
    return assembly.requestsInProgress();
  }

  /** The backend endpoint this gateway uses (the embedded one's when no backend is configured). */
  public URI backendEndpoint() {
    return assembly.embeddedEndpoint();
  }

  /** Metrics, audit log and the other operations beans of this gateway. */
  public Operations ops() {
    return assembly.ops();
  }

  public Main main() {
    return main;
  }

  /**
   * Stops Camel, which closes the HTTP server first (waiting for requests in progress), then the
   * routes, then the backend clients, keys and embedded store.
   */
  @Override
  public void close() throws Exception {
    try {
      main.stop();
    } finally {
      assembly.close();
    }
  }
}
