package io.github.s3eg.it;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The port a gateway in a child process listens on, read from its start-up report ("…listening on
 * http://127.0.0.1:PORT"). Children are started with {@code LISTEN_ADDR=127.0.0.1:0} and take a
 * free port themselves: a port picked by the test and handed over could be taken by someone else
 * before the child binds it (and a test that then probes the port would talk to a stranger).
 */
public final class ListeningPort {

  private static final Pattern LISTENING =
      Pattern.compile("s3-encryption-gateway(?: \\S+)? listening on https?://\\S+:(\\d+)");

  private ListeningPort() {}

  /**
   * Waits until {@code log} (the child's output) says where it listens.
   *
   * @throws IllegalStateException when the child exits first or the time is up, with the log
   */
  public static int await(Process child, Path log, Duration timeout)
      throws IOException, InterruptedException {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (System.nanoTime() - deadline < 0) {
      OptionalPort port = find(log);
      if (port.found()) {
        return port.port();
      }
      if (!child.isAlive()) {
        throw new IllegalStateException(
            "the gateway exited with status " + child.exitValue() + ":\n" + tail(log));
      }
      Thread.sleep(100);
    }
    throw new IllegalStateException(
        "the gateway did not report a listening port within " + timeout + ":\n" + tail(log));
  }

  private record OptionalPort(boolean found, int port) {}

  private static OptionalPort find(Path log) throws IOException {
    if (!Files.exists(log)) {
      return new OptionalPort(false, 0);
    }
    Matcher m = LISTENING.matcher(Files.readString(log, StandardCharsets.UTF_8));
    return m.find()
        ? new OptionalPort(true, Integer.parseInt(m.group(1)))
        : new OptionalPort(false, 0);
  }

  /** The last lines of a log, for failure messages. */
  public static String tail(Path log) {
    try {
      List<String> lines = Files.readAllLines(log, StandardCharsets.UTF_8);
      return String.join("\n", lines.subList(Math.max(0, lines.size() - 60), lines.size()));
    } catch (IOException e) {
      return "(no log: " + e.getMessage() + ")";
    }
  }
}
