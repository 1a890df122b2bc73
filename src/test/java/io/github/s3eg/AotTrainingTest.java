package io.github.s3eg;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The ahead-of-time cache's training run ({@code aot-train}) in-process: every request it sends is
 * answered as expected by a trial-mode gateway (any error ends the run with an exception), and it
 * leaves no temporary directory behind. Whether the JVM then writes a usable cache is checked where
 * the cache is made: scripts/aot-cache.sh and the container build (scripts/container-test.sh).
 */
class AotTrainingTest {

  @Test
  @Timeout(value = 3, unit = TimeUnit.MINUTES)
  void theTrainingRunSendsItsRequestsToATrialGatewayAndCleansUp() throws Exception {
    Path tmp = Path.of(System.getProperty("java.io.tmpdir"));
    long before = trainingDirectories(tmp);
    ByteArrayOutputStream out = new ByteArrayOutputStream();

    int status = AotTraining.run(new PrintStream(out, true, StandardCharsets.UTF_8));

    assertThat(status).isZero();
    int expected = 3 + 1 + 2 * AotTraining.ROUNDS + 7 + 4 + 3;
    assertThat(out.toString(StandardCharsets.UTF_8))
        .startsWith("aot-train: " + expected + " requests to a gateway in trial mode");
    assertThat(trainingDirectories(tmp)).isEqualTo(before);
  }

  private static long trainingDirectories(Path tmp) throws Exception {
    try (Stream<Path> list = Files.list(tmp)) {
      return list.filter(p -> p.getFileName().toString().startsWith("s3eg-aot-training-")).count();
    }
  }
}
