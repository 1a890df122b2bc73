package io.github.s3eg.config;

/**
 * The {@code LISTEN_ADDR} setting: {@code host:port}, {@code :port} (all interfaces) or {@code
 * [::1]:port}. Port 0 asks the operating system for a free port (used by tests).
 */
public record ListenAddress(String host, int port) {

  public static ListenAddress parse(String text) {
    int colon = text.lastIndexOf(':');
    if (colon < 0) {
      throw new ConfigurationException(
          "LISTEN_ADDR", "must look like ':8080' or '127.0.0.1:8080', was '" + text + "'");
    }
    String host = text.substring(0, colon);
    if (host.startsWith("[") && host.endsWith("]")) {
      host = host.substring(1, host.length() - 1);
    }
    if (host.isEmpty()) {
      host = "0.0.0.0";
    }
    int port;
    try {
      port = Integer.parseInt(text.substring(colon + 1));
    } catch (NumberFormatException e) {
      throw new ConfigurationException("LISTEN_ADDR", "has no valid port in '" + text + "'");
    }
    if (port < 0 || port > 65535) {
      throw new ConfigurationException("LISTEN_ADDR", "port must be 0-65535, was " + port);
    }
    return new ListenAddress(host, port);
  }

  /** True when only this machine can connect (loopback address). */
  public boolean isLoopback() {
    return host.equals("localhost") || host.startsWith("127.") || host.equals("::1");
  }
}
