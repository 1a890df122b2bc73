package io.github.s3eg;

import io.github.s3eg.config.ConfigFile;
import io.github.s3eg.config.ConfigurationException;
import io.github.s3eg.config.GatewayConfig;
import io.github.s3eg.config.Settings;
import io.github.s3eg.config.StartRefusedException;
import io.github.s3eg.ops.AuditVerifier;
import io.github.s3eg.ops.DecryptCommand;
import io.github.s3eg.ops.LogLevels;
import io.github.s3eg.ops.RewrapCommand;
import io.github.s3eg.ops.ScrubCommand;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.concurrent.CountDownLatch;

/**
 * {@code java -jar s3-encryption-gateway.jar}: reads the configuration, starts the gateway and runs
 * until the process is told to stop. Bad configuration ends the process with one line naming the
 * setting and exit status 2.
 */
public final class GatewayMain {

  private static final org.slf4j.Logger LOG = org.slf4j.LoggerFactory.getLogger(GatewayMain.class);

  private GatewayMain() {}

  public static void main(String[] args) throws Exception {
    if (args.length > 0 && args[0].equals("verify-audit")) {
      System.exit(AuditVerifier.run(args, System.out));
      return;
    }
    String command = args.length > 0 && COMMANDS.contains(args[0]) ? args[0] : null;
    GatewayConfig config;
    try {
      config =
          configuration(
              command != null ? configOptions(args) : List.of(args),
              System.getenv(),
              defaultProperties());
    } catch (ConfigurationException e) {
      System.err.println("s3-encryption-gateway: invalid configuration: " + e.getMessage());
      System.exit(2);
      return;
    }
    LogLevels.apply(config.logLevel());
    if (command != null) {
      System.exit(runCommand(command, withoutConfigOptions(args), config));
      return;
    }
    Gateway gateway;
    try {
      gateway = Gateway.start(config);
    } catch (ConfigurationException e) {
      System.err.println("s3-encryption-gateway: invalid configuration: " + e.getMessage());
      System.exit(2);
      return;
    } catch (StartRefusedException e) {
      System.err.println("s3-encryption-gateway: refusing to start: " + e.getMessage());
      System.exit(2);
      return;
    }
    CountDownLatch stopped = new CountDownLatch(1);
    Runtime.getRuntime()
        .addShutdownHook(
            new Thread(
                () -> {
                  try {
                    gateway.close();
                  } catch (Exception e) {
                    System.err.println(
                        "s3-encryption-gateway: error while stopping: " + e.getMessage());
                  } finally {
                    stopped.countDown();
                  }
                },
                "gateway-shutdown"));
    stopped.await();
  }

  /** Subcommands that work on the configured backend without starting the gateway. */
  static final java.util.Set<String> COMMANDS = java.util.Set.of("rewrap", "decrypt", "scrub");

  private static int runCommand(String command, String[] args, GatewayConfig config) {
    return switch (command) {
      case "rewrap" -> RewrapCommand.run(args, config, System.out);
      case "decrypt" -> {
        // Standard output may be the plaintext: every log line goes to standard error.
        LogLevels.toStandardError();
        yield DecryptCommand.run(args, config, System.out, System.err);
      }
      case "scrub" -> {
        LogLevels.toStandardError();
        yield ScrubCommand.run(args, config, System.out, System.err);
      }
      default -> throw new IllegalArgumentException(command);
    };
  }

  /**
   * The configuration from the environment, over {@code config.yaml} when {@code --config FILE} or
   * {@code CONFIG_FILE} names one, over properties. A bad value read from the file is reported with
   * the file's key.
   */
  static GatewayConfig configuration(
      List<String> args, Map<String, String> environment, Properties properties) {
    Optional<String> file = Optional.empty();
    for (int i = 0; i < args.size(); i++) {
      String arg = args.get(i);
      if (arg.equals("--config") && i + 1 < args.size()) {
        file = Optional.of(args.get(++i));
      } else if (arg.startsWith("--config=")) {
        file = Optional.of(arg.substring("--config=".length()));
      } else {
        throw new ConfigurationException(
            "command line",
            "argument '" + arg + "' is not understood (use --config FILE or verify-audit FILE)");
      }
    }
    if (file.isEmpty()) {
      file = new Settings(environment, properties).get("CONFIG_FILE");
    }
    if (file.isEmpty()) {
      return GatewayConfig.from(environment, properties);
    }
    ConfigFile.Loaded loaded = ConfigFile.load(Path.of(file.get()));
    loaded.ignored().forEach(key -> LOG.warn("{}: {} is ignored", loaded.file(), key));
    try {
      return GatewayConfig.from(ConfigFile.overlay(environment, loaded), properties);
    } catch (ConfigurationException e) {
      String key = environment.containsKey(e.setting()) ? null : loaded.keys().get(e.setting());
      if (key == null) {
        throw e;
      }
      throw new ConfigurationException(key, "in " + loaded.file() + ": " + e.getMessage());
    }
  }

  /** The {@code --config FILE} / {@code --config=FILE} options among {@code args}. */
  static List<String> configOptions(String[] args) {
    List<String> options = new java.util.ArrayList<>();
    for (int i = 0; i < args.length; i++) {
      if (args[i].equals("--config") && i + 1 < args.length) {
        options.add(args[i]);
        options.add(args[++i]);
      } else if (args[i].startsWith("--config=")) {
        options.add(args[i]);
      }
    }
    return options;
  }

  /** {@code args} without the {@code --config} options: a subcommand's own arguments. */
  static String[] withoutConfigOptions(String[] args) {
    List<String> rest = new java.util.ArrayList<>();
    for (int i = 0; i < args.length; i++) {
      if (args[i].equals("--config") && i + 1 < args.length) {
        i++;
      } else if (!args[i].startsWith("--config=")) {
        rest.add(args[i]);
      }
    }
    return rest.toArray(String[]::new);
  }

  /** application.properties from the classpath, overridden by system properties. */
  static Properties defaultProperties() throws IOException {
    Properties properties = new Properties();
    try (InputStream in =
        GatewayMain.class.getClassLoader().getResourceAsStream("application.properties")) {
      if (in != null) {
        properties.load(in);
      }
    }
    properties.putAll(System.getProperties());
    return properties;
  }
}
