package io.github.s3eg.versions;

import io.github.s3eg.s3.S3Request;
import io.github.s3eg.s3.auth.PermissionMatrix;

/**
 * {@code x-amz-bypass-governance-retention: true} lets a DeleteObject, DeleteObjects or
 * PutObjectRetention remove or shorten a GOVERNANCE retention. S3 gives that its own permission
 * ({@code s3:BypassGovernanceRetention}); the gateway, whose keys are read, write or admin, asks
 * for admin ({@link PermissionMatrix}): a write key can overwrite and delete, but not undo a lock.
 * The backend then decides with the gateway's credentials, which must hold that permission there.
 * The operations pass the bypass on to the backend, and to the version's records.
 */
public final class GovernanceBypass {

  private GovernanceBypass() {}

  /** Whether the request asks to bypass governance retention. */
  public static boolean requested(S3Request request) {
    String value = request.header(PermissionMatrix.BYPASS_GOVERNANCE);
    return value != null && value.trim().equalsIgnoreCase("true");
  }
}
