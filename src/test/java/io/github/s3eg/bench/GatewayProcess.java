package io.github.s3eg.bench;

import io.github.s3eg.it.ListeningPort;
import io.github.s3eg.it.TestBackend;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * The gateway fat jar in a JVM of its own, as an operator runs it, in front of a {@link
 * TestBackend} on loopback: for the benchmark and the soak, which must measure the gateway's heap,
 * threads and CPU apart from the harness. Its pid goes to the scripts' pid file so that they can
 * stop it even if the harness dies.
 */
final class GatewayProcess implements AutoCloseable {

  private final Process process;
  private final int port;
  private final Path log;

  private GatewayProcess(Process process, int port, Path log) {
    this.process = process;
    this.port = port;
    this.log = log;
  }

  /**
   * Starts the jar and waits (up to 120 s) until it accepts connections.
   *
   * @param jvmOptions e.g. {@code -Xmx512m}
   * @param settings gateway settings beyond the listen address and the backend's (environment)
   * @param pidFile appended the process id; may be null
   */
  static GatewayProcess start(
      Path jar,
      URI backend,
      List<String> jvmOptions,
      Map<String, String> settings,
      Path log,
      Path pidFile)
      throws Exception {
    List<String> command = new ArrayList<>();
    command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    // As the container image runs it: Netty with sun.misc.Unsafe (direct buffers). Without the
    // option the jar's launcher would turn Unsafe off to keep Java 24+ quiet (docs/operations.md).
    command.add("-XX:+IgnoreUnrecognizedVMOptions");
    command.add("--sun-misc-unsafe-memory-access=allow");
    command.addAll(jvmOptions);
    command.add("-jar");
    command.add(jar.toAbsolutePath().toString());
    ProcessBuilder pb =
        new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile());
    Map<String, String> env = pb.environment();
    // A free port of its own choosing, read back from its start-up report.
    env.put("LISTEN_ADDR", "127.0.0.1:0");
    env.put("BACKEND_ENDPOINT", backend.toString());
    env.put("BACKEND_ACCESS_KEY", TestBackend.ACCESS_KEY);
    env.put("BACKEND_SECRET_KEY", TestBackend.SECRET_KEY);
    env.put("BACKEND_PROVIDER", "generic");
    // S3Proxy 2.9's filesystem store gives multipart objects plain-MD5 ETags (no "-N"): listings
    // take part counts from the gateway's indexes instead.
    env.put("BACKEND_MULTIPART_ETAGS", "false");
    env.putAll(settings);
    Process p = pb.start();
    if (pidFile != null) {
      Files.writeString(pidFile, p.pid() + "\n", StandardOpenOption.APPEND);
    }
    try {
      return new GatewayProcess(p, ListeningPort.await(p, log, Duration.ofSeconds(120)), log);
    } catch (Exception | Error e) {
      p.destroyForcibly();
      throw e;
    }
  }

  Process process() {
    return process;
  }

  int port() {
    return port;
  }

  URI endpoint() {
    return URI.create("http://127.0.0.1:" + port);
  }

  Path log() {
    return log;
  }

  /** SIGTERM (graceful shutdown), then SIGKILL after 20 s. */
  @Override
  public void close() {
    process.destroy();
    try {
      if (!process.waitFor(20, TimeUnit.SECONDS)) {
        process.destroyForcibly();
      }
    } catch (InterruptedException e) {
      process.destroyForcibly();
      Thread.currentThread().interrupt();
    }
  }
}
