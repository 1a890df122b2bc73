package io.github.s3eg.ops;

import io.github.s3eg.s3.S3ErrorCode;
import io.github.s3eg.s3.S3Exception;
import io.github.s3eg.s3.S3Response;
import io.github.s3eg.s3.auth.Permission;
import io.github.s3eg.s3.auth.Principal;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Optional;

/**
 * {@code GET /?s3eg-audit}: the last {@code AUDIT_MAX_EVENTS} audit lines kept in memory, as JSON
 * lines, for principals with the {@code admin} permission. 404 NoSuchKey-style refusal is not used:
 * with auditing off the answer is an empty body.
 */
public final class AuditEventsEndpoint {

  private final Optional<AuditLog> audit;

  public AuditEventsEndpoint(Optional<AuditLog> audit) {
    this.audit = audit;
  }

  /** The recent audit lines, for {@code principal} if it has the admin permission. */
  public S3Response events(Principal principal) {
    if (principal.permission() != Permission.ADMIN) {
      throw new S3Exception(
          S3ErrorCode.ACCESS_DENIED, "Reading the audit log needs the admin permission.");
    }
    List<String> lines = audit.map(AuditLog::recent).orElse(List.of());
    byte[] body =
        lines.isEmpty()
            ? new byte[0]
            : (String.join("\n", lines) + "\n").getBytes(StandardCharsets.UTF_8);
    return S3Response.status(200)
        .header("Content-Type", "application/x-ndjson")
        .header("Cache-Control", "no-store")
        .stream(new ByteArrayInputStream(body), body.length, () -> {});
  }
}
