package io.github.s3eg;

import org.apache.camel.CamelConfiguration;
import org.apache.camel.CamelContext;

/**
 * The gateway without its start-up check of the routes, for tests of the run-time guards: what a
 * request meets when a route set that {@code RouteValidator} would refuse runs anyway. Test code
 * only; a gateway is started with it by naming it in {@code camel.main.configurationClasses}.
 */
public final class UnvalidatedConfiguration implements CamelConfiguration {

  /** The override that starts a gateway with this configuration instead of its own. */
  public static final java.util.Map<String, String> PROPERTIES =
      java.util.Map.of("camel.main.configurationClasses", UnvalidatedConfiguration.class.getName());

  @Override
  public void configure(CamelContext context) throws Exception {
    GatewayConfiguration.Preset preset =
        context
            .getRegistry()
            .lookupByNameAndType(
                GatewayConfiguration.PRESET_BEAN, GatewayConfiguration.Preset.class);
    GatewayConfiguration.assemble(context, preset, false);
  }
}
