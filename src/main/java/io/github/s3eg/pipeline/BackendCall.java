package io.github.s3eg.pipeline;

import io.github.s3eg.backend.BackendClients;
import io.github.s3eg.backend.DirectObjectReads;
import io.github.s3eg.backend.ReservedKeys;
import io.github.s3eg.versions.BucketFeatures;
import io.github.s3eg.versions.TransientRecords;
import java.io.InputStream;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Function;
import software.amazon.awssdk.core.ResponseInputStream;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.model.AbortMultipartUploadRequest;
import software.amazon.awssdk.services.s3.model.CompleteMultipartUploadRequest;
import software.amazon.awssdk.services.s3.model.CopyObjectRequest;
import software.amazon.awssdk.services.s3.model.CreateMultipartUploadRequest;
import software.amazon.awssdk.services.s3.model.Delete;
import software.amazon.awssdk.services.s3.model.DeleteObjectRequest;
import software.amazon.awssdk.services.s3.model.DeleteObjectsRequest;
import software.amazon.awssdk.services.s3.model.GetBucketVersioningRequest;
import software.amazon.awssdk.services.s3.model.GetObjectLockConfigurationRequest;
import software.amazon.awssdk.services.s3.model.GetObjectRequest;
import software.amazon.awssdk.services.s3.model.GetObjectResponse;
import software.amazon.awssdk.services.s3.model.GetObjectTaggingRequest;
import software.amazon.awssdk.services.s3.model.HeadBucketRequest;
import software.amazon.awssdk.services.s3.model.HeadObjectRequest;
import software.amazon.awssdk.services.s3.model.ListMultipartUploadsRequest;
import software.amazon.awssdk.services.s3.model.ListObjectsRequest;
import software.amazon.awssdk.services.s3.model.ListObjectsV2Request;
import software.amazon.awssdk.services.s3.model.ListPartsRequest;
import software.amazon.awssdk.services.s3.model.NoSuchKeyException;
import software.amazon.awssdk.services.s3.model.ObjectIdentifier;
import software.amazon.awssdk.services.s3.model.PutObjectRequest;
import software.amazon.awssdk.services.s3.model.PutObjectResponse;
import software.amazon.awssdk.services.s3.model.UploadPartCopyRequest;
import software.amazon.awssdk.services.s3.model.UploadPartRequest;

/**
 * The backend requests a route can make ({@code backend:getObject}, {@code backend:putObject}, …):
 * each takes the typed SDK request the step before it left in the body and leaves the SDK answer
 * there. The writes that carry a body take it from the request's state, never from the message:
 * {@code putObject} and {@code uploadPart} send only the ciphertext {@code encrypt} or {@code
 * encryptPart} made, {@code putRecord} only the gateway's own small records under {@code .s3eg/}.
 * Uploads go through the client that never retries (a live stream cannot be sent twice).
 */
enum BackendCall {
  GET_OBJECT(
      "getObject",
      GetObjectRequest.class,
      (c, r, s, t) -> {
        GetObjectRequest get = (GetObjectRequest) r;
        return DirectObjectReads.handles(get)
            ? c.reads(get.bucket()).getObject(get)
            : c.s3().getObject(get);
      }),
  HEAD_OBJECT(
      "headObject",
      HeadObjectRequest.class,
      (c, r, s, t) -> {
        HeadObjectRequest head = (HeadObjectRequest) r;
        return DirectObjectReads.handles(head)
            ? c.reads(head.bucket()).headObject(head)
            : c.s3().headObject(head);
      }),
  PUT_OBJECT(
      "putObject",
      PutObjectRequest.class,
      (c, r, s, t) -> {
        if (!(s.ciphertext() instanceof EncryptedUpload.Whole upload)) {
          throw new MissingStepException(Fact.CIPHERTEXT, "'backend:putObject'");
        }
        PutObjectRequest put =
            ((PutObjectRequest) r).toBuilder().contentLength(upload.length()).build();
        return c.uploads()
            .putObject(put, oneShot(upload.stream(), upload.length(), put.contentType()));
      }),
  PUT_RECORD(
      "putRecord",
      GatewayRecord.class,
      (c, r, s, t) -> {
        GatewayRecord record = (GatewayRecord) r;
        return c.s3()
            .putObject(
                PutObjectRequest.builder()
                    .bucket(record.bucket())
                    .key(record.key())
                    .contentType("application/octet-stream")
                    // Object Lock buckets refuse uploads without an integrity checksum.
                    .contentMD5(io.github.s3eg.backend.ContentMd5.of(record.bytes()))
                    .build(),
                RequestBody.fromBytes(record.bytes()));
      }),
  DELETE_RECORD(
      "deleteRecord",
      RecordName.class,
      (c, r, s, t) -> {
        RecordName name = (RecordName) r;
        if (keepsVersions(t, name.bucket())) {
          deleteInVersionedBucket(t, name.bucket(), name.key());
          return null;
        }
        return c.s3().deleteObject(d -> d.bucket(name.bucket()).key(name.key()));
      }),
  DELETE_RECORDS(
      "deleteRecords",
      RecordNames.class,
      (c, r, s, t) -> {
        RecordNames names = (RecordNames) r;
        if (keepsVersions(t, names.bucket())) {
          names.keys().forEach(k -> deleteInVersionedBucket(t, names.bucket(), k));
          return null;
        }
        if (names.keys().size() > 1 && c.acceptsChecksumHeaders()) {
          s.backendCalled("deleteRecords");
          return c.s3()
              .deleteObjects(
                  d ->
                      d.bucket(names.bucket())
                          .delete(
                              Delete.builder()
                                  .objects(
                                      names.keys().stream()
                                          .map(k -> ObjectIdentifier.builder().key(k).build())
                                          .toList())
                                  .quiet(true)
                                  .build()));
        }
        // One name, or a backend that refuses the checksum header DeleteObjects carries.
        Object last = null;
        for (String key : names.keys()) {
          s.backendCalled("deleteRecords");
          last = c.s3().deleteObject(d -> d.bucket(names.bucket()).key(key));
        }
        return last;
      }),
  COPY_OBJECT(
      "copyObject",
      CopyObjectRequest.class,
      (c, r, s, t) -> c.s3().copyObject((CopyObjectRequest) r)),
  DELETE_OBJECT(
      "deleteObject",
      DeleteObjectRequest.class,
      (c, r, s, t) -> c.s3().deleteObject((DeleteObjectRequest) r)),
  DELETE_OBJECTS(
      "deleteObjects",
      DeleteObjectsRequest.class,
      (c, r, s, t) -> c.s3().deleteObjects((DeleteObjectsRequest) r)),
  CREATE_MULTIPART_UPLOAD(
      "createMultipartUpload",
      CreateMultipartUploadRequest.class,
      (c, r, s, t) -> c.uploads().createMultipartUpload((CreateMultipartUploadRequest) r)),
  UPLOAD_PART(
      "uploadPart",
      UploadPartRequest.class,
      (c, r, s, t) -> {
        if (!(s.ciphertext() instanceof EncryptedUpload.Part part)) {
          throw new MissingStepException(Fact.CIPHERTEXT, "'backend:uploadPart'");
        }
        UploadPartRequest upload =
            ((UploadPartRequest) r).toBuilder().contentLength(part.length()).build();
        return c.uploads().uploadPart(upload, oneShot(part.stream(), part.length(), null));
      }),
  UPLOAD_PART_COPY(
      "uploadPartCopy",
      UploadPartCopyRequest.class,
      (c, r, s, t) -> c.uploads().uploadPartCopy((UploadPartCopyRequest) r)),
  COMPLETE_MULTIPART_UPLOAD(
      "completeMultipartUpload",
      CompleteMultipartUploadRequest.class,
      (c, r, s, t) -> c.uploads().completeMultipartUpload((CompleteMultipartUploadRequest) r)),
  ABORT_MULTIPART_UPLOAD(
      "abortMultipartUpload",
      AbortMultipartUploadRequest.class,
      (c, r, s, t) -> c.s3().abortMultipartUpload((AbortMultipartUploadRequest) r)),
  LIST_PARTS(
      "listParts", ListPartsRequest.class, (c, r, s, t) -> c.s3().listParts((ListPartsRequest) r)),
  LIST_MULTIPART_UPLOADS(
      "listMultipartUploads",
      ListMultipartUploadsRequest.class,
      (c, r, s, t) -> c.s3().listMultipartUploads((ListMultipartUploadsRequest) r)),
  LIST_OBJECTS(
      "listObjects",
      ListObjectsRequest.class,
      (c, r, s, t) -> c.s3().listObjects((ListObjectsRequest) r)),
  LIST_OBJECTS_V2(
      "listObjectsV2",
      ListObjectsV2Request.class,
      (c, r, s, t) -> c.s3().listObjectsV2((ListObjectsV2Request) r)),
  GET_OBJECT_TAGGING(
      "getObjectTagging",
      GetObjectTaggingRequest.class,
      (c, r, s, t) -> {
        try {
          return c.s3().getObjectTagging((GetObjectTaggingRequest) r);
        } catch (software.amazon.awssdk.services.s3.model.S3Exception e) {
          if (e.statusCode() == 501 || e.statusCode() == 400 || e.statusCode() == 405) {
            return null; // a backend without tagging: no tags
          }
          throw e;
        }
      }),
  GET_BUCKET_VERSIONING(
      "getBucketVersioning",
      GetBucketVersioningRequest.class,
      (c, r, s, t) -> {
        try {
          return c.s3().getBucketVersioning((GetBucketVersioningRequest) r);
        } catch (software.amazon.awssdk.services.s3.model.S3Exception e) {
          BucketFeatures.lacksFeature(e); // rethrows unless the backend lacks versioning
          return null;
        }
      }),
  GET_OBJECT_LOCK_CONFIGURATION(
      "getObjectLockConfiguration",
      GetObjectLockConfigurationRequest.class,
      (c, r, s, t) -> {
        try {
          return c.s3().getObjectLockConfiguration((GetObjectLockConfigurationRequest) r);
        } catch (software.amazon.awssdk.services.s3.model.S3Exception e) {
          // A bucket without Object Lock (ObjectLockConfigurationNotFoundError), or a backend
          // without it: null.
          BucketFeatures.lacksFeature(e);
          return null;
        }
      }),
  HEAD_BUCKET(
      "headBucket",
      HeadBucketRequest.class,
      (c, r, s, t) -> c.s3().headBucket((HeadBucketRequest) r)),
  /**
   * The object just stored, copied as it is stored (ciphertext, metadata) from the gateway's
   * backend to the endpoint's ({@code backend:mirrorObject?backend=mirror}): the same data key, the
   * same bytes. {@link BackendComponent} gives it both backends.
   */
  MIRROR_OBJECT(
      "mirrorObject",
      StoredName.class,
      (c, r, s, t) -> {
        throw new IllegalStateException("backend:mirrorObject needs the backend it copies from");
      });

  /** What a call does with the clients, the typed request and the request's state. */
  @FunctionalInterface
  interface Invocation {
    Object invoke(
        BackendClients clients, Object request, RequestState state, TransientRecords versions);
  }

  private static final Map<String, BackendCall> BY_NAME =
      java.util.Arrays.stream(values())
          .collect(java.util.stream.Collectors.toMap(c -> c.name, Function.identity()));

  private final String name;
  private final Class<?> requestType;
  private final Invocation invocation;

  BackendCall(String name, Class<?> requestType, Invocation invocation) {
    this.name = name;
    this.requestType = requestType;
    this.invocation = invocation;
  }

  /** The call an endpoint names ({@code backend:NAME}), or null. */
  static BackendCall named(String name) {
    return BY_NAME.get(name);
  }

  String callName() {
    return name;
  }

  /**
   * True for a call that may send several requests and counts each itself ({@code deleteRecords} on
   * a backend that takes no DeleteObjects); the others are one request each.
   */
  boolean countsItsRequests() {
    return this == DELETE_RECORDS;
  }

  /**
   * Runs the call with {@code request} (the message body).
   *
   * @param missingIsEmpty answer null instead of failing when the object does not exist ({@code
   *     getObject} of a record that may be absent)
   */
  Object call(
      BackendClients clients,
      Object request,
      RequestState state,
      boolean missingIsEmpty,
      TransientRecords versions) {
    if (!requestType.isInstance(request)) {
      throw new IllegalStateException(
          "backend:"
              + name
              + " needs a "
              + requestType.getSimpleName()
              + " from the step before it, not "
              + (request == null ? "nothing" : request.getClass().getSimpleName()));
    }
    try {
      return invocation.invoke(clients, request, state, versions);
    } catch (NoSuchKeyException missing) {
      if (missingIsEmpty) {
        return null;
      }
      throw missing;
    }
  }

  private static boolean keepsVersions(TransientRecords versions, String bucket) {
    return versions != null && versions.keepsVersions(bucket);
  }

  /**
   * In a bucket that keeps versions, a plain DELETE only hides a record behind a delete marker. The
   * records that belong to one upload (its record, its part checksum markers, an aborted upload's
   * index) go with every version of their name; a key's checksum record may belong to an older
   * version of the object, which still needs it, and stays. These requests are not steps
   * (docs/customizing.md, "Not yet here").
   */
  private static void deleteInVersionedBucket(
      TransientRecords versions, String bucket, String key) {
    if (key.startsWith(ReservedKeys.PREFIX + "sums/")) {
      return;
    }
    versions.deleteEveryVersion(bucket, key);
  }

  /**
   * {@code mirrorObject}: the stored object {@code name} read from {@code source} and written, with
   * its length, content headers and metadata, to {@code target} under the same bucket and key.
   */
  static PutObjectResponse mirror(BackendClients source, BackendClients target, StoredName name) {
    try (ResponseInputStream<GetObjectResponse> stored =
        source.s3().getObject(g -> g.bucket(name.bucket()).key(name.key()))) {
      GetObjectResponse head = stored.response();
      PutObjectRequest put =
          PutObjectRequest.builder()
              .bucket(name.bucket())
              .key(name.key())
              .contentLength(head.contentLength())
              .contentType(head.contentType())
              .contentEncoding(head.contentEncoding())
              .contentDisposition(head.contentDisposition())
              .contentLanguage(head.contentLanguage())
              .cacheControl(head.cacheControl())
              .expires(head.expires())
              .metadata(head.metadata())
              .build();
      return target
          .uploads()
          .putObject(put, oneShot(stored, head.contentLength(), head.contentType()));
    } catch (java.io.IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }

  /**
   * A client's object the gateway has just stored (after {@code backend:putObject}), for {@code
   * backend:mirrorObject}.
   */
  record StoredName(String bucket, String key) {}

  /**
   * A request body the SDK can read once. A second read (a retry) fails loudly instead of sending a
   * partial or empty body.
   */
  static RequestBody oneShot(InputStream body, long length, String contentType) {
    AtomicBoolean used = new AtomicBoolean();
    return RequestBody.fromContentProvider(
        () -> {
          if (used.getAndSet(true)) {
            throw new IllegalStateException("a streamed request body cannot be sent twice");
          }
          return body;
        },
        length,
        contentType == null ? "binary/octet-stream" : contentType);
  }

  /**
   * One of the gateway's own small objects under {@link ReservedKeys#PREFIX} (an upload record, a
   * part index), for {@code backend:putRecord}. Never a client's data: the key must be reserved.
   */
  record GatewayRecord(String bucket, String key, byte[] bytes) {
    GatewayRecord {
      if (!ReservedKeys.isReserved(key)) {
        throw new IllegalArgumentException("not a gateway record: " + key);
      }
    }
  }

  /** The name of one of the gateway's own records, for {@code backend:deleteRecord}. */
  record RecordName(String bucket, String key) {
    RecordName {
      if (!ReservedKeys.isReserved(key)) {
        throw new IllegalArgumentException("not a gateway record: " + key);
      }
    }
  }

  /**
   * Up to 1,000 of the gateway's own records in one bucket, for {@code backend:deleteRecords}: one
   * DeleteObjects, or one DELETE each on a backend that refuses DeleteObjects' checksum header.
   */
  record RecordNames(String bucket, java.util.List<String> keys) {
    RecordNames {
      keys = java.util.List.copyOf(keys);
      if (keys.isEmpty() || keys.size() > 1000) {
        throw new IllegalArgumentException("1 to 1000 records at a time, not " + keys.size());
      }
      for (String key : keys) {
        if (!ReservedKeys.isReserved(key)) {
          throw new IllegalArgumentException("not a gateway record: " + key);
        }
      }
    }
  }
}
