package io.github.s3eg.ops;

import io.github.s3eg.s3.S3ErrorCode;
import io.github.s3eg.s3.S3Exception;
import io.github.s3eg.s3.S3Request;
import io.github.s3eg.s3.S3Response;
import io.github.s3eg.s3.auth.Permission;
import io.github.s3eg.s3.auth.Principal;
import io.github.s3eg.s3.xml.XmlWriter;

/**
 * {@code POST /bucket?s3eg-rewrap[&prefix=P][&start-after=K][&dry-run=true][&convert=true]}: the
 * {@link Rewrapper} over HTTP, for principals with the {@code admin} permission only. Runs to the
 * end of the bucket (or prefix) and answers the counts as XML. {@code convert=true} also converts
 * S3 Encryption Client objects (needs {@code ENCRYPTION_S3EC_KEYS}).
 */
public final class RewrapEndpoint {

  private final Rewrapper rewrapper;
  private final boolean convertible;

  public RewrapEndpoint(Rewrapper rewrapper) {
    this(rewrapper, false);
  }

  /** {@code convertible}: the rewrapper was given a converter ({@link Rewrapper#converting}). */
  public RewrapEndpoint(Rewrapper rewrapper, boolean convertible) {
    this.rewrapper = rewrapper;
    this.convertible = convertible;
  }

  /** Runs the rewrap {@code s3} asks for, if {@code principal} has the admin permission. */
  public S3Response rewrap(S3Request s3, Principal principal) {
    if (principal.permission() != Permission.ADMIN) {
      throw new S3Exception(S3ErrorCode.ACCESS_DENIED, "Re-wrapping needs the admin permission.");
    }
    String prefix = s3.param("prefix") == null ? "" : s3.param("prefix");
    boolean dryRun = "true".equalsIgnoreCase(s3.param("dry-run"));
    boolean convert = "true".equalsIgnoreCase(s3.param("convert"));
    if (convert && !convertible) {
      throw new S3Exception(
          S3ErrorCode.INVALID_REQUEST,
          "Converting S3 Encryption Client objects needs ENCRYPTION_S3EC_KEYS.");
    }
    Rewrapper.Result r =
        rewrapper.run(s3.bucket(), prefix, s3.param("start-after"), dryRun, convert, line -> {});
    XmlWriter xml =
        new XmlWriter()
            .root("RewrapResult")
            .element("Bucket", s3.bucket())
            .element("Prefix", prefix)
            .element("DryRun", dryRun)
            .element("Scanned", r.scanned())
            .element("Rewrapped", r.rewrapped())
            .element("Converted", r.converted())
            .element("AlreadyCurrent", r.current())
            .element("Plaintext", r.plaintext())
            .element("ChangedConcurrently", r.changedConcurrently())
            .element("Failed", r.failed())
            .element("LastKey", r.lastKey());
    return S3Response.xml(200, xml.toBytes());
  }
}
