package io.github.s3eg;

import io.github.s3eg.config.ConfigurationException;
import io.github.s3eg.config.GatewayConfig;
import io.github.s3eg.ops.RewrapCommand;
import java.io.IOException;
import java.io.InputStream;
import java.util.Properties;
import java.util.concurrent.CountDownLatch;

/**
 * {@code java -jar s3-encryption-gateway.jar}: reads the configuration, starts the gateway and runs
 * until the process is told to stop. Bad configuration ends the process with one line naming the
 * setting and exit status 2.
 */
public final class GatewayMain {

  private GatewayMain() {}

  public static void main(String[] args) throws Exception {
    GatewayConfig config;
    try {
      config = GatewayConfig.from(System.getenv(), defaultProperties());
    } catch (ConfigurationException e) {
      System.err.println("s3-encryption-gateway: invalid configuration: " + e.getMessage());
      System.exit(2);
      return;
    }
    if (args.length > 0 && args[0].equals("rewrap")) {
      System.exit(RewrapCommand.run(args, config, System.out));
      return;
    }
    Gateway gateway = Gateway.start(config);
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
