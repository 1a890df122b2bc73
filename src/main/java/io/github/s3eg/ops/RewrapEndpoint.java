package io.github.s3eg.ops;

import io.github.s3eg.s3.S3ErrorCode;
import io.github.s3eg.s3.S3Exception;
import io.github.s3eg.s3.S3Request;
import io.github.s3eg.s3.S3Response;
import io.github.s3eg.s3.auth.Permission;
import io.github.s3eg.s3.auth.Principal;
import io.github.s3eg.s3.xml.XmlWriter;

/**
 * {@code POST /bucket?s3eg-rewrap[&prefix=P][&start-after=K][&dry-run=true]}: the {@link Rewrapper}
 * over HTTP, for principals with the {@code admin} permission only. Runs to the end of the bucket
 * (or prefix) and answers the counts as XML.
 */
public final class RewrapEndpoint {

  private final Rewrapper rewrapper;

  public RewrapEndpoint(Rewrapper rewrapper) {
    this.rewrapper = rewrapper;
  }

  /** Runs the rewrap {@code s3} asks for, if {@code principal} has the admin permission. */
  public S3Response rewrap(S3Request s3, Principal principal) {
    if (principal.permission() != Permission.ADMIN) {
      throw new S3Exception(S3ErrorCode.ACCESS_DENIED, "Re-wrapping needs the admin permission.");
    }
    String prefix = s3.param("prefix") == null ? "" : s3.param("prefix");
    boolean dryRun = "true".equalsIgnoreCase(s3.param("dry-run"));
    Rewrapper.Result r =
        rewrapper.run(s3.bucket(), prefix, s3.param("start-after"), dryRun, line -> {});
    XmlWriter xml =
        new XmlWriter()
            .root("RewrapResult")
            .element("Bucket", s3.bucket())
            .element("Prefix", prefix)
            .element("DryRun", dryRun)
            .element("Scanned", r.scanned())
            .element("Rewrapped", r.rewrapped())
            .element("AlreadyCurrent", r.current())
            .element("Plaintext", r.plaintext())
            .element("ChangedConcurrently", r.changedConcurrently())
            .element("Failed", r.failed())
            .element("LastKey", r.lastKey());
    return S3Response.xml(200, xml.toBytes());
  }
}
