package io.github.s3eg.keys.kmip;

import static org.junit.jupiter.api.Assertions.fail;

import io.github.s3eg.it.faults.FaultProxy;
import io.github.s3eg.keys.testing.TestPki;
import io.github.s3eg.keys.tls.MutualTls;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.SSLSocketFactory;
import org.junit.jupiter.api.Assumptions;

/**
 * A real PyKMIP server (Debian package {@code python3-pykmip}) for tests: a fresh PKI and SQLite
 * database in a temporary directory, a free loopback port, mutual TLS required. Started with {@code
 * /usr/bin/python3 /usr/bin/pykmip-server -f server.conf -l server.log}; ready once a TLS handshake
 * with the client certificate succeeds; stopped by killing the process tree.
 *
 * <p>Clients reach it through a {@link FaultProxy} whose port ({@link #port()}) stays the same for
 * the server's whole life: while the server is stopped the proxy refuses connections on it, and
 * each start of the process takes whatever port is free then (another one if the one picked was
 * taken before the server could bind it). So no test depends on a port staying free between a stop
 * and a restart.
 *
 * <p>If PyKMIP is missing the tests fail, naming the package to install, unless {@code
 * S3EG_SKIP_KMIP=true} is set, in which case they are skipped.
 */
public final class PyKmipServer implements AutoCloseable {

  static final Path PYTHON = Path.of("/usr/bin/python3");
  static final Path SERVER_SCRIPT = Path.of("/usr/bin/pykmip-server");
  private static final Duration START_TIMEOUT = Duration.ofSeconds(30);

  /** Attempts to start the process on a freshly picked port before giving up. */
  private static final int PORT_ATTEMPTS = 5;

  private final Path dir;
  private final TestPki pki;
  private final FaultProxy front;
  private Process process;

  private PyKmipServer(Path dir, TestPki pki, FaultProxy front) {
    this.dir = dir;
    this.pki = pki;
    this.front = front;
  }

  /** Fails (or skips, with {@code S3EG_SKIP_KMIP=true}) unless PyKMIP can run here. */
  public static void requireInstalled() {
    String problem = null;
    if (!Files.isExecutable(PYTHON) || !Files.isRegularFile(SERVER_SCRIPT)) {
      problem = PYTHON + " or " + SERVER_SCRIPT + " is missing";
    } else {
      try {
        Process probe =
            new ProcessBuilder(PYTHON.toString(), "-c", "import kmip.services.server")
                .redirectErrorStream(true)
                .start();
        probe.getInputStream().readAllBytes();
        if (!probe.waitFor(30, TimeUnit.SECONDS) || probe.exitValue() != 0) {
          problem = "the kmip module cannot be imported by " + PYTHON;
        }
      } catch (IOException e) {
        problem = "cannot run " + PYTHON + ": " + e.getMessage();
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        problem = "interrupted";
      }
    }
    if (problem == null) {
      return;
    }
    String message =
        "PyKMIP is required for the KMIP tests but "
            + problem
            + ". Install it with: apt-get install -y python3-pykmip"
            + " (or set S3EG_SKIP_KMIP=true to skip these tests).";
    if ("true".equalsIgnoreCase(System.getenv("S3EG_SKIP_KMIP"))) {
      Assumptions.abort(message);
    }
    fail(message);
  }

  /** Creates the PKI and configuration under {@code dir} and starts the server. */
  public static PyKmipServer start(Path dir) throws Exception {
    requireInstalled();
    TestPki pki = TestPki.create(dir.resolve("pki"));
    // Refusing until the process is up; the target is set by each start.
    FaultProxy front = FaultProxy.start("127.0.0.1", 1).refuse();
    PyKmipServer server = new PyKmipServer(dir, pki, front);
    try {
      server.startProcess();
    } catch (Exception | AssertionError e) {
      front.close();
      throw e;
    }
    return server;
  }

  private void writeConfig(int port) throws IOException {
    Path policies = Files.createDirectories(dir.resolve("policies"));
    String config =
        String.join(
            "\n",
            "[server]",
            "hostname=127.0.0.1",
            "port=" + port,
            "certificate_path=" + pki.serverCert(),
            "key_path=" + pki.serverKey(),
            "ca_path=" + pki.caCert(),
            "auth_suite=TLS1.2",
            "policy_path=" + policies,
            "enable_tls_client_auth=True",
            "database_path=" + dir.resolve("pykmip.db"),
            "logging_level=INFO",
            "");
    Files.writeString(dir.resolve("server.conf"), config);
  }

  /**
   * (Re)starts the server process on the same database, behind the same {@link #port()}. The port
   * the process itself listens on is picked free each time; if another process takes it first, the
   * server exits at once and is started again on another.
   */
  public void startProcess() throws Exception {
    for (int attempt = 1; ; attempt++) {
      int port = freePort();
      writeConfig(port);
      if (startOn(port)) {
        front.forwardTo("127.0.0.1", port).passThrough();
        return;
      }
      if (attempt == PORT_ATTEMPTS) {
        fail("pykmip-server found no free port in " + PORT_ATTEMPTS + " attempts:\n" + logTail());
      }
    }
  }

  /** Starts the process on {@code port}: true once ready, false if the port was taken. */
  private boolean startOn(int port) throws Exception {
    process =
        new ProcessBuilder(
                PYTHON.toString(),
                SERVER_SCRIPT.toString(),
                "-f",
                dir.resolve("server.conf").toString(),
                "-l",
                dir.resolve("server.log").toString())
            .redirectErrorStream(true)
            .redirectOutput(dir.resolve("stdout.txt").toFile())
            .start();
    long deadline = System.nanoTime() + START_TIMEOUT.toNanos();
    SSLSocketFactory factory =
        MutualTls.context(pki.caCert(), pki.clientCert(), pki.clientKey()).getSocketFactory();
    while (System.nanoTime() < deadline) {
      if (!process.isAlive()) {
        String log = logTail();
        if (log.contains("Address already in use")) {
          process = null;
          return false;
        }
        fail("pykmip-server exited with " + process.exitValue() + ":\n" + log);
      }
      if (handshakeSucceeds(factory, port)) {
        return true;
      }
      Thread.sleep(50);
    }
    stop();
    fail("pykmip-server did not accept TLS within " + START_TIMEOUT + ":\n" + logTail());
    return false;
  }

  private static boolean handshakeSucceeds(SSLSocketFactory factory, int port) {
    try (Socket raw = new Socket()) {
      raw.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 500);
      try (SSLSocket tls = (SSLSocket) factory.createSocket(raw, "127.0.0.1", port, false)) {
        tls.setSoTimeout(2000);
        tls.startHandshake();
        return true;
      }
    } catch (IOException e) {
      return false;
    }
  }

  /**
   * Kills the server and its children at once (SIGKILL): on SIGTERM PyKMIP joins every session
   * thread for up to ten seconds each. The SQLite database survives for a restart.
   */
  public void stop() throws InterruptedException {
    front.refuse();
    if (process == null) {
      return;
    }
    process.descendants().forEach(ProcessHandle::destroyForcibly);
    process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
    process = null;
  }

  public KmipClientConfig clientConfig() {
    return KmipClientConfig.of(
        "127.0.0.1", front.port(), pki.caCert(), pki.clientCert(), pki.clientKey());
  }

  /** The port clients connect to; the same across {@link #stop()} and {@link #startProcess()}. */
  public int port() {
    return front.port();
  }

  public TestPki pki() {
    return pki;
  }

  public String logTail() {
    try {
      Path log = dir.resolve("server.log");
      List<String> lines =
          Files.exists(log) ? Files.readAllLines(log, StandardCharsets.UTF_8) : List.of();
      List<String> out = Files.readAllLines(dir.resolve("stdout.txt"), StandardCharsets.UTF_8);
      return String.join("\n", lines.subList(Math.max(0, lines.size() - 40), lines.size()))
          + "\n--- stdout ---\n"
          + String.join("\n", out.subList(Math.max(0, out.size() - 20), out.size()));
    } catch (IOException e) {
      return "(no log: " + e.getMessage() + ")";
    }
  }

  @Override
  public void close() throws InterruptedException {
    stop();
    front.close();
  }

  private static int freePort() throws IOException {
    try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      return socket.getLocalPort();
    }
  }
}
