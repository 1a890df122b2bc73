package io.github.s3eg.ops;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.s3eg.config.OpsConfig;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** AUDIT_ENDPOINT: the sealed lines, in order, to a sink; a line the sink refuses is a gap. */
class AuditEndpointTest {

  @TempDir Path dir;

  @Test
  void theEndpointGetsTheFilesLinesInChainOrder() throws Exception {
    Path file = dir.resolve("audit.log");
    List<String> sent = new ArrayList<>();
    try (AuditLog log = AuditLog.open(audit(file), sent::add)) {
      for (int i = 0; i < 3; i++) {
        int n = i;
        log.append(fields -> Json.field(fields, "n", n));
      }
    }

    assertThat(sent).isEqualTo(Files.readAllLines(file)).hasSize(3);
    Path copy = Files.write(dir.resolve("sink.log"), sent);
    assertThat(AuditVerifier.verify(copy).ok()).isTrue();
  }

  @Test
  void aLineTheEndpointRefusesLeavesAGapTheVerifierFinds() throws Exception {
    Path file = dir.resolve("audit.log");
    List<String> sent = new ArrayList<>();
    try (AuditLog log =
        AuditLog.open(
            audit(file),
            line -> {
              if (line.contains("\"n\":1")) {
                throw new IllegalStateException("the sink is down");
              }
              sent.add(line);
            })) {
      for (int i = 0; i < 3; i++) {
        int n = i;
        log.append(fields -> Json.field(fields, "n", n));
      }
    }

    assertThat(AuditVerifier.verify(file).ok()).as("the file has every line").isTrue();
    assertThat(sent).hasSize(2);
    AuditVerifier.Result sink = AuditVerifier.verify(Files.write(dir.resolve("sink.log"), sent));
    assertThat(sink.ok()).isFalse();
    assertThat(sink.badLine()).isEqualTo(2);
  }

  private static OpsConfig.Audit audit(Path file) {
    return new OpsConfig.Audit(true, 10, Optional.of(file), Optional.of("direct:audit"));
  }
}
