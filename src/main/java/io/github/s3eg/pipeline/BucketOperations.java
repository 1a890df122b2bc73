package io.github.s3eg.pipeline;

import io.github.s3eg.backend.BackendClients;
import io.github.s3eg.backend.BucketLeftovers;
import io.github.s3eg.multipart.MultipartState;
import io.github.s3eg.s3.ObjectHeaders;
import io.github.s3eg.s3.S3ErrorCode;
import io.github.s3eg.s3.S3Exception;
import io.github.s3eg.s3.S3Request;
import io.github.s3eg.s3.S3Response;
import io.github.s3eg.s3.xml.XmlReader;
import io.github.s3eg.s3.xml.XmlWriter;
import java.io.IOException;
import java.util.List;
import org.apache.camel.Exchange;
import software.amazon.awssdk.services.s3.model.Bucket;
import software.amazon.awssdk.services.s3.model.CreateBucketConfiguration;
import software.amazon.awssdk.services.s3.model.CreateBucketRequest;
import software.amazon.awssdk.services.s3.model.DeleteBucketRequest;
import software.amazon.awssdk.services.s3.model.HeadBucketRequest;

/**
 * Service- and bucket-level verbs: ListBuckets, CreateBucket, DeleteBucket, HeadBucket and
 * GetBucketLocation. ListBuckets, CreateBucket and DeleteBucket go through camel-aws2-s3 (see the
 * routes); HeadBucket and GetBucketLocation look the bucket up with the gateway's own {@code
 * backend:headBucket} step, because the component turns a missing bucket into a header instead of
 * an error and has no location operation.
 */
public final class BucketOperations {

  /** The owner S3 clients see in listings; the gateway hides the backend account. */
  static final String OWNER_ID = "s3-encryption-gateway";

  private final BackendClients backend;
  private final String region;
  private final BucketLeftovers leftovers;
  private MultipartState multipartState;

  public BucketOperations(BackendClients backend, String region) {
    this.backend = backend;
    this.region = region;
    this.leftovers = new BucketLeftovers(backend.s3());
  }

  /** A deleted bucket's multipart state (cached indexes and part counts) is forgotten here. */
  public void forgetMultipartStateIn(MultipartState state) {
    this.multipartState = state;
  }

  @SuppressWarnings("unchecked")
  public void listBucketsResponse(Exchange exchange) {
    List<Bucket> buckets = exchange.getIn().getBody(List.class);
    Authentication auth = RequestStates.of(exchange).authentication();
    XmlWriter xml = new XmlWriter().root("ListAllMyBucketsResult");
    xml.start("Owner").element("ID", OWNER_ID).element("DisplayName", OWNER_ID).end();
    xml.start("Buckets");
    for (Bucket b : buckets) {
      if (!auth.principal().canSee(b.name())) {
        continue;
      }
      xml.start("Bucket")
          .element("Name", b.name())
          .element("CreationDate", ObjectHeaders.xmlDate(b.creationDate()))
          .end();
    }
    xml.end();
    RequestStates.of(exchange).respond(S3Response.xml(200, xml.toBytes()));
  }

  /**
   * Reads the optional CreateBucketConfiguration body (LocationConstraint) into the SDK request.
   */
  public void createBucketRequest(Exchange exchange) throws IOException {
    S3Request s3 = ObjectOperations.request(exchange);
    if (s3.bucket().contains("_")) {
      // Requests may address a legacy bucket named with '_'; S3 creates none (and the backend
      // client refuses to, which would otherwise surface as a 500).
      throw new S3Exception(S3ErrorCode.INVALID_BUCKET_NAME, "The specified bucket is not valid.")
          .with("BucketName", s3.bucket());
    }
    CreateBucketRequest.Builder b = CreateBucketRequest.builder().bucket(s3.bucket());
    String objectLock = s3.header("x-amz-bucket-object-lock-enabled");
    if (objectLock != null && objectLock.trim().equalsIgnoreCase("true")) {
      // The backend creates the bucket versioned and able to lock (versions.yaml does the rest).
      b.objectLockEnabledForBucket(true);
    }
    java.io.InputStream body = RequestStates.of(exchange).body().stream();

    if (body != null) {
      byte[] bytes = body.readNBytes(XmlReader.MAX_BYTES + 1);
      if (bytes.length > 0) {
        XmlReader.Element config = XmlReader.parse(bytes);
        if (!config.name().equals("CreateBucketConfiguration")) {
          throw new S3Exception(S3ErrorCode.MALFORMED_XML, "Expected CreateBucketConfiguration");
        }
        String location = config.childText("LocationConstraint");
        if (location != null && !location.isBlank() && !location.equals(region)) {
          b.createBucketConfiguration(
              CreateBucketConfiguration.builder().locationConstraint(location).build());
        }
      }
    }
    ObjectOperations.acl(exchange)
        .applyToBucket(
            b::acl,
            b::grantFullControl,
            b::grantRead,
            b::grantReadACP,
            b::grantWrite,
            b::grantWriteACP);
    // Forwarded with ownershipControls; rejectUnsupported refuses it otherwise.
    b.objectOwnership(s3.header("x-amz-object-ownership"));
    exchange.getIn().setBody(b.build());
  }

  private io.github.s3eg.versions.BucketFeatures features;

  /** A bucket created with Object Lock is checked to have it ({@code features}). */
  public void checkObjectLockWith(io.github.s3eg.versions.BucketFeatures features) {
    this.features = features;
  }

  public void createBucketResponse(Exchange exchange) {
    S3Request s3 = ObjectOperations.request(exchange);
    String objectLock = s3.header("x-amz-bucket-object-lock-enabled");
    if (features != null && objectLock != null && objectLock.trim().equalsIgnoreCase("true")) {
      features.forget(s3.bucket());
      if (!features.objectLockEnabled(s3.bucket())) {
        // A backend that ignored the request (S3Proxy 2.9) made a bucket that can never lock
        // anything: it goes again, and the client learns that it cannot have one here.
        backend.s3().deleteBucket(d -> d.bucket(s3.bucket()));
        throw new S3Exception(
                S3ErrorCode.NOT_IMPLEMENTED, "The storage backend does not support Object Lock.")
            .with("Header", "x-amz-bucket-object-lock-enabled");
      }
    }
    RequestStates.of(exchange)
        .respond(S3Response.status(200).header("Location", "/" + s3.bucket()));
  }

  /**
   * BucketNotEmpty while a client object remains; otherwise the gateway's records and abandoned
   * multipart uploads go first ({@link BucketLeftovers}), so that they never block the deletion.
   */
  public void deleteBucketRequest(Exchange exchange) {
    S3Request s3 = ObjectOperations.request(exchange);
    leftovers.clear(s3.bucket());
    exchange.getIn().setBody(DeleteBucketRequest.builder().bucket(s3.bucket()).build());
  }

  public void deleteBucketResponse(Exchange exchange) {
    S3Request s3 = ObjectOperations.request(exchange);
    if (multipartState != null) {
      multipartState.forgetBucket(s3.bucket());
    }
    RequestStates.of(exchange).respond(S3Response.status(204));
  }

  /** HeadBucket and GetBucketLocation look the bucket up with a {@code backend:headBucket}. */
  static HeadBucketRequest headBucketRequest(RequestState state) {
    return HeadBucketRequest.builder().bucket(state.request().bucket()).build();
  }

  /** After {@code backend:headBucket}: the bucket exists. */
  S3Response headBucketResponse() {
    return S3Response.status(200).header("x-amz-bucket-region", region);
  }

  /** After {@code backend:headBucket}: the gateway's region as the bucket's location. */
  S3Response bucketLocationResponse() {
    // S3 answers an empty constraint for us-east-1.
    byte[] doc =
        new XmlWriter()
            .root("LocationConstraint")
            .text(region.equals("us-east-1") ? "" : region)
            .toBytes();
    return S3Response.xml(200, doc);
  }
}
