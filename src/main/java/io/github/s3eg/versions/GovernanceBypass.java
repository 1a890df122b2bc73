package io.github.s3eg.versions;

import io.github.s3eg.s3.S3Request;
import io.github.s3eg.s3.auth.Principal;
import io.github.s3eg.s3.auth.S3Action;

/**
 * {@code x-amz-bypass-governance-retention: true} lets a DeleteObject, DeleteObjects or
 * PutObjectRetention remove or shorten a GOVERNANCE retention. S3 gives that its own permission
 * ({@code s3:BypassGovernanceRetention}); the gateway, whose keys are read, write or admin, asks
 * for admin: a write key can overwrite and delete, but not undo a lock. The backend then decides
 * with the gateway's credentials, which must hold that permission there.
 */
public final class GovernanceBypass {

  public static final String HEADER = "x-amz-bypass-governance-retention";

  private GovernanceBypass() {}

  /** Whether the request asks to bypass governance retention. */
  public static boolean requested(S3Request request) {
    String value = request.header(HEADER);
    return value != null && value.trim().equalsIgnoreCase("true");
  }

  /**
   * Checks that a request asking for the bypass comes from an admin key for its bucket.
   *
   * @throws io.github.s3eg.s3.S3Exception AccessDenied otherwise
   */
  public static void authorize(S3Request request, Principal principal) {
    if (requested(request)) {
      principal.authorize(S3Action.ADMIN, request.bucket());
    }
  }
}
