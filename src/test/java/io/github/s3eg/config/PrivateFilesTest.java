package io.github.s3eg.config;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.s3eg.backend.EmbeddedBackend;
import io.github.s3eg.ops.AuditLog;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Map;
import java.util.Properties;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The audit log and the embedded store are readable by the gateway's user only, whatever the umask
 * (issue 17 finding 8: they followed the umask, so the audit log was 0644).
 */
class PrivateFilesTest {

  @TempDir Path dir;

  private static String mode(Path p) throws Exception {
    return PosixFilePermissions.toString(Files.getPosixFilePermissions(p));
  }

  @Test
  void theAuditLogIsCreated0600InDirectories0700() throws Exception {
    Path file = dir.resolve("logs/s3eg/audit.log");
    GatewayConfig config =
        GatewayConfig.from(
            Map.of(
                "LISTEN_ADDR",
                "127.0.0.1:0",
                "DATA_DIR",
                dir.resolve("data").toString(),
                "AUDIT_ENABLED",
                "true",
                "AUDIT_FILE",
                file.toString()),
            new Properties());
    try (AuditLog log = AuditLog.open(config.ops().audit())) {
      assertThat(mode(file)).isEqualTo("rw-------");
      assertThat(mode(file.getParent())).isEqualTo("rwx------");
      assertThat(mode(dir.resolve("logs"))).isEqualTo("rwx------");
    }
    // An existing file keeps what the operator gave it.
    Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-r-----"));
    try (AuditLog log = AuditLog.open(config.ops().audit())) {
      assertThat(mode(file)).isEqualTo("rw-r-----");
    }
  }

  @Test
  void theEmbeddedStoreIs0700() throws Exception {
    Path data = dir.resolve("data");
    try (EmbeddedBackend store = EmbeddedBackend.start(data)) {
      assertThat(mode(data.resolve(EmbeddedBackend.STORE_DIR))).isEqualTo("rwx------");
      assertThat(mode(data)).isEqualTo("rwx------");
    }
    // A store directory made by an earlier release (with the umask's mode) is tightened.
    Files.setPosixFilePermissions(
        data.resolve(EmbeddedBackend.STORE_DIR), PosixFilePermissions.fromString("rwxr-xr-x"));
    try (EmbeddedBackend store = EmbeddedBackend.start(data)) {
      assertThat(mode(data.resolve(EmbeddedBackend.STORE_DIR))).isEqualTo("rwx------");
    }
  }
}
