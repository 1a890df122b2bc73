package io.github.s3eg.pipeline;

import io.github.s3eg.backend.BackendClients;
import io.github.s3eg.s3.ObjectHeaders;
import io.github.s3eg.s3.RequestedVersion;
import io.github.s3eg.s3.S3ErrorCode;
import io.github.s3eg.s3.S3Exception;
import io.github.s3eg.s3.S3Request;
import io.github.s3eg.s3.S3Response;
import io.github.s3eg.s3.xml.XmlReader;
import io.github.s3eg.s3.xml.XmlWriter;
import io.github.s3eg.versions.BucketFeatures;
import io.github.s3eg.versions.GovernanceBypass;
import io.github.s3eg.versions.LockSettings;
import io.github.s3eg.versions.RecordLocks;
import java.io.IOException;
import java.time.Instant;
import java.util.Locale;
import org.apache.camel.Exchange;
import software.amazon.awssdk.services.s3.model.DefaultRetention;
import software.amazon.awssdk.services.s3.model.GetObjectLegalHoldResponse;
import software.amazon.awssdk.services.s3.model.GetObjectLockConfigurationResponse;
import software.amazon.awssdk.services.s3.model.GetObjectRetentionResponse;
import software.amazon.awssdk.services.s3.model.ObjectLockConfiguration;
import software.amazon.awssdk.services.s3.model.ObjectLockEnabled;
import software.amazon.awssdk.services.s3.model.ObjectLockLegalHoldStatus;
import software.amazon.awssdk.services.s3.model.ObjectLockRetention;
import software.amazon.awssdk.services.s3.model.ObjectLockRetentionMode;
import software.amazon.awssdk.services.s3.model.ObjectLockRule;

/**
 * Object Lock through the gateway: the bucket's configuration ({@code ?object-lock}), a version's
 * retention ({@code ?retention}) and legal hold ({@code ?legal-hold}). The backend enforces every
 * lock and its refusals reach the client unchanged (a locked version's DELETE is AccessDenied). The
 * gateway's part: a retention or legal hold set on a version is set on the gateway's own records of
 * that version too ({@link RecordLocks}: a multipart object's index and checksum record), so no
 * record a locked version needs can be deleted while the version cannot.
 */
public final class ObjectLockOperations {

  private final BackendClients backend;
  private final BucketFeatures features;
  private final RecordLocks records;

  public ObjectLockOperations(
      BackendClients backend, BucketFeatures features, RecordLocks records) {
    this.backend = backend;
    this.features = features;
    this.records = records;
  }

  // ---- bucket: ?object-lock

  public void getObjectLockConfiguration(Exchange exchange) {
    S3Request s3 = ObjectOperations.request(exchange);
    GetObjectLockConfigurationResponse r =
        backend.s3().getObjectLockConfiguration(g -> g.bucket(s3.bucket()));
    ObjectLockConfiguration c = r.objectLockConfiguration();
    XmlWriter xml = new XmlWriter().root("ObjectLockConfiguration");
    if (c != null) {
      xml.element("ObjectLockEnabled", c.objectLockEnabledAsString());
      DefaultRetention d = c.rule() == null ? null : c.rule().defaultRetention();
      if (d != null) {
        xml.start("Rule")
            .start("DefaultRetention")
            .element("Mode", d.modeAsString())
            .element("Days", d.days())
            .element("Years", d.years())
            .end()
            .end();
      }
    }
    RequestStates.of(exchange).respond(S3Response.xml(200, xml.toBytes()));
  }

  public void putObjectLockConfiguration(Exchange exchange) throws IOException {
    S3Request s3 = ObjectOperations.request(exchange);
    XmlReader.Element doc = XmlReader.parse(VersioningOperations.body(exchange));
    if (!doc.name().equals("ObjectLockConfiguration")) {
      throw malformed("Expected an ObjectLockConfiguration.");
    }
    ObjectLockConfiguration.Builder c = ObjectLockConfiguration.builder();
    String enabled = doc.childText("ObjectLockEnabled");
    if (enabled != null) {
      if (!enabled.trim().equals("Enabled")) {
        throw malformed("ObjectLockEnabled can only be Enabled.");
      }
      c.objectLockEnabled(ObjectLockEnabled.ENABLED);
    }
    for (XmlReader.Element rule : doc.all("Rule")) {
      for (XmlReader.Element d : rule.all("DefaultRetention")) {
        c.rule(ObjectLockRule.builder().defaultRetention(defaultRetention(d)).build());
      }
    }
    String token = s3.header("x-amz-bucket-object-lock-token");
    try {
      backend
          .s3()
          .putObjectLockConfiguration(
              p -> p.bucket(s3.bucket()).objectLockConfiguration(c.build()).token(token));
    } finally {
      features.forget(s3.bucket());
    }
    RequestStates.of(exchange).respond(S3Response.status(200));
  }

  private static DefaultRetention defaultRetention(XmlReader.Element d) {
    DefaultRetention.Builder b = DefaultRetention.builder();
    String mode = d.childText("Mode");
    if (mode != null) {
      b.mode(mode.trim());
    }
    b.days(integer(d.childText("Days"), "Days"));
    b.years(integer(d.childText("Years"), "Years"));
    return b.build();
  }

  private static Integer integer(String text, String name) {
    if (text == null) {
      return null;
    }
    try {
      return Integer.parseInt(text.trim());
    } catch (NumberFormatException e) {
      throw malformed(name + " must be a number.");
    }
  }

  // ---- object: ?retention

  public void getObjectRetention(Exchange exchange) {
    S3Request s3 = ObjectOperations.request(exchange);
    GetObjectRetentionResponse r =
        backend
            .s3()
            .getObjectRetention(
                g -> g.bucket(s3.bucket()).key(s3.key()).versionId(RequestedVersion.of(s3)));
    ObjectLockRetention retention = r.retention();
    XmlWriter xml = new XmlWriter().root("Retention");
    if (retention != null) {
      xml.element("Mode", retention.modeAsString())
          .element(
              "RetainUntilDate",
              retention.retainUntilDate() == null
                  ? null
                  : ObjectHeaders.xmlDate(retention.retainUntilDate()));
    }
    RequestStates.of(exchange).respond(S3Response.xml(200, xml.toBytes()));
  }

  public void putObjectRetention(Exchange exchange) throws IOException {
    S3Request s3 = ObjectOperations.request(exchange);
    String versionId = RequestedVersion.of(s3);
    XmlReader.Element doc = XmlReader.parse(VersioningOperations.body(exchange));
    if (!doc.name().equals("Retention")) {
      throw malformed("Expected a Retention document.");
    }
    String mode = doc.childText("Mode");
    String until = doc.childText("RetainUntilDate");
    ObjectLockRetention.Builder retention = ObjectLockRetention.builder();
    if (mode != null) {
      ObjectLockRetentionMode parsed =
          ObjectLockRetentionMode.fromValue(mode.trim().toUpperCase(Locale.ROOT));
      if (parsed == ObjectLockRetentionMode.UNKNOWN_TO_SDK_VERSION) {
        throw malformed("Mode is GOVERNANCE or COMPLIANCE.");
      }
      retention.mode(parsed);
    }
    Instant date = until == null ? null : LockSettings.parseDate(until.trim());
    retention.retainUntilDate(date);
    boolean bypass = GovernanceBypass.requested(s3);
    ObjectLockRetention value = retention.build();
    Runnable version =
        () ->
            backend
                .s3()
                .putObjectRetention(
                    p ->
                        p.bucket(s3.bucket())
                            .key(s3.key())
                            .versionId(versionId)
                            .retention(value)
                            .bypassGovernanceRetention(bypass ? Boolean.TRUE : null));
    // Without the bypass a retention can only grow: the records first, so that they are never
    // less protected than the version. With it (it may shrink) the version first.
    if (bypass) {
      version.run();
      records.retention(s3.bucket(), s3.key(), versionId, value, true);
    } else {
      records.retention(s3.bucket(), s3.key(), versionId, value, false);
      version.run();
    }
    RequestStates.of(exchange).respond(S3Response.status(200));
  }

  // ---- object: ?legal-hold

  public void getObjectLegalHold(Exchange exchange) {
    S3Request s3 = ObjectOperations.request(exchange);
    GetObjectLegalHoldResponse r =
        backend
            .s3()
            .getObjectLegalHold(
                g -> g.bucket(s3.bucket()).key(s3.key()).versionId(RequestedVersion.of(s3)));
    XmlWriter xml = new XmlWriter().root("LegalHold");
    if (r.legalHold() != null) {
      xml.element("Status", r.legalHold().statusAsString());
    }
    RequestStates.of(exchange).respond(S3Response.xml(200, xml.toBytes()));
  }

  public void putObjectLegalHold(Exchange exchange) throws IOException {
    S3Request s3 = ObjectOperations.request(exchange);
    String versionId = RequestedVersion.of(s3);
    XmlReader.Element doc = XmlReader.parse(VersioningOperations.body(exchange));
    if (!doc.name().equals("LegalHold")) {
      throw malformed("Expected a LegalHold document.");
    }
    String status = doc.childText("Status");
    ObjectLockLegalHoldStatus parsed =
        status == null
            ? null
            : ObjectLockLegalHoldStatus.fromValue(status.trim().toUpperCase(Locale.ROOT));
    if (parsed == null || parsed == ObjectLockLegalHoldStatus.UNKNOWN_TO_SDK_VERSION) {
      throw malformed("Status is ON or OFF.");
    }
    Runnable version =
        () ->
            backend
                .s3()
                .putObjectLegalHold(
                    p ->
                        p.bucket(s3.bucket())
                            .key(s3.key())
                            .versionId(versionId)
                            .legalHold(h -> h.status(parsed)));
    // A hold set: the records first; a hold released: the version first (see putObjectRetention).
    if (parsed == ObjectLockLegalHoldStatus.ON) {
      records.legalHold(s3.bucket(), s3.key(), versionId, parsed);
      version.run();
    } else {
      version.run();
      records.legalHold(s3.bucket(), s3.key(), versionId, parsed);
    }
    RequestStates.of(exchange).respond(S3Response.status(200));
  }

  private static S3Exception malformed(String message) {
    return new S3Exception(S3ErrorCode.MALFORMED_XML, message);
  }
}
