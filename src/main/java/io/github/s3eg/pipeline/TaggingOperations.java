package io.github.s3eg.pipeline;

import io.github.s3eg.backend.BackendClients;
import io.github.s3eg.s3.RequestedVersion;
import io.github.s3eg.s3.S3Request;
import io.github.s3eg.s3.S3Response;
import io.github.s3eg.s3.xml.XmlReader;
import io.github.s3eg.versions.TagSet;
import java.io.IOException;
import org.apache.camel.Exchange;
import software.amazon.awssdk.services.s3.model.GetObjectTaggingResponse;

/**
 * Object tagging ({@code ?tagging} on a key, per version) and bucket tagging ({@code ?tagging} on a
 * bucket), passed to the backend after S3's checks ({@link TagSet}). Tags are not encrypted: the
 * backend keeps them, and whoever can read the backend can read them (docs/security.md).
 */
public final class TaggingOperations {

  private final BackendClients backend;

  public TaggingOperations(BackendClients backend) {
    this.backend = backend;
  }

  public void getObjectTagging(Exchange exchange) {
    S3Request s3 = ObjectOperations.request(exchange);
    String versionId = RequestedVersion.of(s3);
    GetObjectTaggingResponse r =
        backend
            .s3()
            .getObjectTagging(g -> g.bucket(s3.bucket()).key(s3.key()).versionId(versionId));
    RequestStates.of(exchange)
        .respond(
            S3Response.xml(200, TagSet.of(r.tagSet()).toXml())
                .header("x-amz-version-id", r.versionId() != null ? r.versionId() : versionId));
  }

  public void putObjectTagging(Exchange exchange) throws IOException {
    S3Request s3 = ObjectOperations.request(exchange);
    TagSet tags =
        TagSet.fromXml(
            XmlReader.parse(VersioningOperations.body(exchange)), TagSet.MAX_OBJECT_TAGS);
    String versionId =
        backend
            .s3()
            .putObjectTagging(
                p ->
                    p.bucket(s3.bucket())
                        .key(s3.key())
                        .versionId(RequestedVersion.of(s3))
                        .tagging(tags.toTagging()))
            .versionId();
    RequestStates.of(exchange)
        .respond(S3Response.status(200).header("x-amz-version-id", versionId));
  }

  public void deleteObjectTagging(Exchange exchange) {
    S3Request s3 = ObjectOperations.request(exchange);
    String versionId =
        backend
            .s3()
            .deleteObjectTagging(
                d -> d.bucket(s3.bucket()).key(s3.key()).versionId(RequestedVersion.of(s3)))
            .versionId();
    RequestStates.of(exchange)
        .respond(S3Response.status(204).header("x-amz-version-id", versionId));
  }

  public void getBucketTagging(Exchange exchange) {
    S3Request s3 = ObjectOperations.request(exchange);
    var r = backend.s3().getBucketTagging(g -> g.bucket(s3.bucket()));
    RequestStates.of(exchange).respond(S3Response.xml(200, TagSet.of(r.tagSet()).toXml()));
  }

  public void putBucketTagging(Exchange exchange) throws IOException {
    S3Request s3 = ObjectOperations.request(exchange);
    TagSet tags =
        TagSet.fromXml(
            XmlReader.parse(VersioningOperations.body(exchange)), TagSet.MAX_BUCKET_TAGS);
    backend.s3().putBucketTagging(p -> p.bucket(s3.bucket()).tagging(tags.toTagging()));
    RequestStates.of(exchange).respond(S3Response.status(204));
  }

  public void deleteBucketTagging(Exchange exchange) {
    S3Request s3 = ObjectOperations.request(exchange);
    backend.s3().deleteBucketTagging(d -> d.bucket(s3.bucket()));
    RequestStates.of(exchange).respond(S3Response.status(204));
  }
}
