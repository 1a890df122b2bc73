package io.github.s3eg.ops;

import io.github.s3eg.recovery.ScrubReport;
import io.github.s3eg.s3.S3ErrorCode;
import io.github.s3eg.s3.S3Exception;
import io.github.s3eg.s3.S3Request;
import io.github.s3eg.s3.S3Response;
import io.github.s3eg.s3.auth.Permission;
import io.github.s3eg.s3.auth.Principal;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;

/**
 * The scrub as admin endpoints (principals with the {@code admin} permission on the bucket only):
 *
 * <ul>
 *   <li>{@code POST /bucket?s3eg-scrub[&prefix=P]}: starts a background scrub ({@link ScrubJobs})
 *       and answers {@code 202} with the report so far; {@code 409 OperationAborted} while another
 *       scrub runs.
 *   <li>{@code GET /bucket?s3eg-scrub}: the bucket's running or last report, as JSON ({@code
 *       "complete": true} once finished); {@code 404} when none ran since the gateway started.
 * </ul>
 */
public final class ScrubEndpoint {

  private final ScrubJobs jobs;

  public ScrubEndpoint(ScrubJobs jobs) {
    this.jobs = jobs;
  }

  public S3Response start(S3Request s3, Principal principal) {
    authorize(principal);
    String prefix = s3.param("prefix") == null ? "" : s3.param("prefix");
    ScrubReport report =
        jobs.start(s3.bucket(), prefix)
            .orElseThrow(
                () ->
                    new S3Exception(
                        S3ErrorCode.OPERATION_ABORTED,
                        "A scrub is already running; GET ?s3eg-scrub shows its progress."));
    return respond(202, report);
  }

  public S3Response status(S3Request s3, Principal principal) {
    authorize(principal);
    ScrubReport report =
        jobs.latest(s3.bucket())
            .orElseThrow(
                () ->
                    new S3Exception(
                            S3ErrorCode.NO_SUCH_KEY,
                            "No scrub has run on this bucket since the gateway started.")
                        .with("BucketName", s3.bucket()));
    return respond(200, report);
  }

  private static void authorize(Principal principal) {
    if (principal == null || principal.permission() != Permission.ADMIN) {
      throw new S3Exception(S3ErrorCode.ACCESS_DENIED, "Scrubbing needs the admin permission.");
    }
  }

  private static S3Response respond(int status, ScrubReport report) {
    byte[] body = report.toJson().getBytes(StandardCharsets.UTF_8);
    return S3Response.status(status)
        .header("Content-Type", "application/json")
        .header("Cache-Control", "no-store")
        .stream(new ByteArrayInputStream(body), body.length, () -> {});
  }
}
