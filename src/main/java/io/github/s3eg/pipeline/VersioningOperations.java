package io.github.s3eg.pipeline;

import io.github.s3eg.backend.BackendClients;
import io.github.s3eg.s3.S3ErrorCode;
import io.github.s3eg.s3.S3Exception;
import io.github.s3eg.s3.S3Request;
import io.github.s3eg.s3.S3Response;
import io.github.s3eg.s3.xml.XmlReader;
import io.github.s3eg.s3.xml.XmlWriter;
import io.github.s3eg.versions.BucketFeatures;
import java.io.IOException;
import java.io.InputStream;
import org.apache.camel.Exchange;
import software.amazon.awssdk.services.s3.model.BucketVersioningStatus;
import software.amazon.awssdk.services.s3.model.GetBucketVersioningResponse;

/**
 * GetBucketVersioning and PutBucketVersioning ({@code ?versioning}), passed to the backend: the
 * backend keeps the versions, the gateway encrypts each of them on its own (every write of a
 * versioned key gets its own data key). Versioning holds no object data, so its document goes
 * through as S3 defines it; MFA delete is refused (the gateway cannot pass on a device code it
 * would have to hold).
 */
public final class VersioningOperations {

  private final BackendClients backend;
  private final BucketFeatures features;

  public VersioningOperations(BackendClients backend, BucketFeatures features) {
    this.backend = backend;
    this.features = features;
  }

  public void getBucketVersioning(Exchange exchange) {
    S3Request s3 = ObjectOperations.request(exchange);
    GetBucketVersioningResponse r = backend.s3().getBucketVersioning(g -> g.bucket(s3.bucket()));
    XmlWriter xml = new XmlWriter().root("VersioningConfiguration");
    xml.element("Status", r.statusAsString()).element("MfaDelete", r.mfaDeleteAsString());
    RequestStates.of(exchange).respond(S3Response.xml(200, xml.toBytes()));
  }

  public void putBucketVersioning(Exchange exchange) throws IOException {
    S3Request s3 = ObjectOperations.request(exchange);
    XmlReader.Element config = XmlReader.parse(body(exchange));
    if (!config.name().equals("VersioningConfiguration")) {
      throw new S3Exception(S3ErrorCode.MALFORMED_XML, "Expected a VersioningConfiguration.");
    }
    String status = config.childText("Status");
    BucketVersioningStatus parsed =
        status == null ? null : BucketVersioningStatus.fromValue(status.trim());
    if (status != null && parsed == BucketVersioningStatus.UNKNOWN_TO_SDK_VERSION) {
      throw new S3Exception(S3ErrorCode.MALFORMED_XML, "Status is Enabled or Suspended.");
    }
    String mfa = config.childText("MfaDelete");
    if (mfa != null && mfa.trim().equals("Enabled")) {
      throw new S3Exception(
          S3ErrorCode.NOT_IMPLEMENTED, "The gateway does not pass on MFA delete settings.");
    }
    try {
      backend
          .s3()
          .putBucketVersioning(
              p -> p.bucket(s3.bucket()).versioningConfiguration(v -> v.status(parsed)));
    } finally {
      features.forget(s3.bucket());
    }
    RequestStates.of(exchange).respond(S3Response.status(200));
  }

  static InputStream body(Exchange exchange) {
    InputStream body = RequestStates.of(exchange).body().stream();
    if (body == null) {
      throw new S3Exception(S3ErrorCode.MALFORMED_XML, "The XML you provided was empty.");
    }
    return body;
  }
}
