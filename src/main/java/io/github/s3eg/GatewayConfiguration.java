package io.github.s3eg;

import io.github.s3eg.config.GatewayConfig;
import io.github.s3eg.ops.LogLevels;
import io.github.s3eg.pipeline.PipelineGuard;
import io.github.s3eg.pipeline.RouteValidator;
import java.time.Clock;
import java.util.List;
import java.util.Properties;
import org.apache.camel.CamelConfiguration;
import org.apache.camel.CamelContext;
import org.apache.camel.StartupListener;
import org.apache.camel.support.LifecycleStrategySupport;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The gateway as Camel assembles it. camel-main creates this class because the jar's {@code
 * application.properties} names it ({@code camel.main.configurationClasses}), so every camel-main
 * that loads those properties gets the same gateway: {@link GatewayMain} through {@link
 * Gateway#start}, and a plain {@code org.apache.camel.main.Main} started on the jar with only its
 * properties and route files (the Camel K Integration in {@code camel-k/}).
 *
 * <p>{@link #configure} runs before the routes start: it reads the settings, builds the parts
 * ({@link GatewayAssembly}) into the registry, and ties the HTTP server to the context's lifecycle:
 * it opens once the routes have started, drains and closes before they stop, and the rest is
 * released after.
 *
 * <p>Settings: a {@link Preset} bound under {@value #PRESET_BEAN} wins ({@link Gateway#start}
 * passes the configuration it was given, and the clock tests move); otherwise they are read as
 * {@link GatewayMain} reads them: environment over {@code CONFIG_FILE} over Camel's properties and
 * system properties.
 */
public final class GatewayConfiguration implements CamelConfiguration {

  private static final Logger LOG = LoggerFactory.getLogger(GatewayConfiguration.class);

  /** Registry name of the {@link Preset} that {@link Gateway#start} binds before starting. */
  static final String PRESET_BEAN = "s3egPreset";

  /** Settings decided before Camel starts, instead of reading them from the environment. */
  record Preset(GatewayConfig config, Clock clock) {}

  /** For camel-main, which creates configuration classes by name. */
  public GatewayConfiguration() {}

  @Override
  public void configure(CamelContext context) throws Exception {
    Preset preset = context.getRegistry().lookupByNameAndType(PRESET_BEAN, Preset.class);
    if (preset == null) {
      GatewayConfig config = fromEnvironment(context);
      LogLevels.apply(config.logLevel());
      preset = new Preset(config, Clock.systemUTC());
    }
    assemble(context, preset, true);
  }

  /**
   * Builds the gateway into {@code context}. {@code validateRoutes} false is for tests of the
   * run-time guards only: they show what happens to a request when a route set that the start-up
   * check would refuse runs anyway.
   */
  static GatewayAssembly assemble(CamelContext context, Preset preset, boolean validateRoutes)
      throws Exception {
    GatewayAssembly assembly = GatewayAssembly.bind(preset.config(), preset.clock(), context);
    // Not in a route file: no edit of the routes can take authentication out of the pipeline.
    context.getCamelContextExtension().addInterceptStrategy(new PipelineGuard());
    context.addStartupListener(
        new StartupListener() {
          @Override
          public void onCamelContextStarted(CamelContext started, boolean alreadyStarted) {
            // Called before every route has started: too early to accept requests.
          }

          @Override
          public void onCamelContextFullyStarted(CamelContext started, boolean alreadyStarted)
              throws Exception {
            assembly.startServing(started);
          }
        });
    context.addLifecycleStrategy(
        new LifecycleStrategySupport() {
          @Override
          public void onContextStarting(CamelContext starting) {
            // The route files are loaded by now: refuse a set that could not run safely.
            if (validateRoutes) {
              RouteValidator.validate(starting);
            }
          }

          @Override
          public void onContextStopping(CamelContext stopping) {
            try {
              assembly.stopServing();
            } catch (Exception e) {
              LOG.warn("Error while closing the HTTP server", e);
            }
          }

          @Override
          public void onContextStopped(CamelContext stopped) {
            try {
              assembly.close();
            } catch (Exception e) {
              LOG.warn("Error while releasing the gateway's backend clients and keys", e);
            }
          }
        });
    return assembly;
  }

  /** The settings as {@link GatewayMain} reads them, with Camel's properties as the fallback. */
  private static GatewayConfig fromEnvironment(CamelContext context) {
    Properties properties = new Properties();
    properties.putAll(context.getPropertiesComponent().loadProperties());
    properties.putAll(System.getProperties());
    return GatewayMain.configuration(List.of(), System.getenv(), properties);
  }
}
