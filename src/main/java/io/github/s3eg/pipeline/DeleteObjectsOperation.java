package io.github.s3eg.pipeline;

import io.github.s3eg.backend.BackendClients;
import io.github.s3eg.backend.BackendKeys;
import io.github.s3eg.backend.ReservedKeys;
import io.github.s3eg.cache.ObjectCache;
import io.github.s3eg.multipart.MultipartState;
import io.github.s3eg.s3.RequestedVersion;
import io.github.s3eg.s3.S3ErrorCode;
import io.github.s3eg.s3.S3Exception;
import io.github.s3eg.s3.S3Request;
import io.github.s3eg.s3.S3Response;
import io.github.s3eg.s3.xml.XmlReader;
import io.github.s3eg.s3.xml.XmlWriter;
import io.github.s3eg.versions.GovernanceBypass;
import io.github.s3eg.versions.VersionDeletion;
import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.Semaphore;
import org.apache.camel.Exchange;
import software.amazon.awssdk.services.s3.model.Delete;
import software.amazon.awssdk.services.s3.model.DeleteObjectResponse;
import software.amazon.awssdk.services.s3.model.DeleteObjectsRequest;
import software.amazon.awssdk.services.s3.model.DeleteObjectsResponse;
import software.amazon.awssdk.services.s3.model.DeletedObject;
import software.amazon.awssdk.services.s3.model.ObjectIdentifier;
import software.amazon.awssdk.services.s3.model.S3Error;

/**
 * DeleteObjects ({@code POST ?delete}): reads the client's {@code <Delete>} document (at most 1,000
 * keys, as on S3), deletes through camel-aws2-s3, and answers S3's {@code DeleteResult} (only
 * errors in quiet mode).
 */
public final class DeleteObjectsOperation {

  static final int MAX_KEYS = 1000;

  /** Concurrent single deletes when the backend cannot take a batch. */
  static final int PARALLEL = 16;

  private final BackendClients backend;
  private final ObjectCache cache;
  private final MultipartState multipart;
  private final BackendKeys keys;
  private VersionDeletion versionDeletion;

  /** Deleting a version deletes that version's records too, found through {@code deletion}. */
  public void deleteVersionsWith(VersionDeletion deletion) {
    this.versionDeletion = deletion;
  }

  public DeleteObjectsOperation(
      BackendClients backend, ObjectCache cache, MultipartState multipart, BackendKeys keys) {
    this.backend = backend;
    this.cache = cache;
    this.multipart = multipart;
    this.keys = keys;
  }

  public void deleteObjects(Exchange exchange) throws IOException {
    S3Request s3 = ObjectOperations.request(exchange);
    InputStream body = RequestStates.of(exchange).body().stream();
    if (body == null) {
      throw new S3Exception(S3ErrorCode.MALFORMED_XML, "The XML you provided was empty.");
    }
    XmlReader.Element delete = XmlReader.parse(body);
    if (!delete.name().equals("Delete")) {
      throw new S3Exception(S3ErrorCode.MALFORMED_XML, "Expected a Delete document.");
    }
    List<XmlReader.Element> objects = delete.all("Object");
    if (objects.isEmpty() || objects.size() > MAX_KEYS) {
      throw new S3Exception(
          S3ErrorCode.MALFORMED_XML, "A Delete document names between 1 and 1000 objects.");
    }
    List<ObjectIdentifier> ids = new ArrayList<>(objects.size());
    for (XmlReader.Element o : objects) {
      String key = o.childText("Key");
      if (key == null || key.isEmpty()) {
        throw new S3Exception(
            S3ErrorCode.MALFORMED_XML, "Every Object in a Delete document needs a Key.");
      }
      keys.check(key); // the same rules as a request's own key
      String versionId = o.childText("VersionId");
      ids.add(
          ObjectIdentifier.builder()
              .key(key)
              .versionId(versionId == null ? null : RequestedVersion.check(versionId.trim()))
              .build());
    }
    RequestStates.of(exchange).auditDeletedKeys(ids.stream().map(ObjectIdentifier::key).toList());
    boolean quiet = "true".equalsIgnoreCase(delete.childText("Quiet"));
    boolean bypass = GovernanceBypass.requested(s3);
    // The records of each named version, found while its metadata can still be read.
    Map<ObjectIdentifier, VersionDeletion.Pending> pending = recordsOf(s3.bucket(), ids);
    // Every key's cached copy goes before the deletes and again after them, whatever their outcome
    // (see ObjectCache#invalidate).
    invalidate(s3.bucket(), ids);
    DeleteObjectsResponse r;
    try {
      r =
          backend.acceptsChecksumHeaders()
              ? backend
                  .s3()
                  .deleteObjects(
                      DeleteObjectsRequest.builder()
                          .bucket(s3.bucket())
                          .bypassGovernanceRetention(bypass ? Boolean.TRUE : null)
                          .delete(Delete.builder().objects(ids).quiet(false).build())
                          .build())
              : deleteOneByOne(s3.bucket(), ids, bypass);
    } finally {
      invalidate(s3.bucket(), ids);
    }
    deleteVersionRecords(s3.bucket(), r, pending, bypass);
    deleteIndexes(s3.bucket(), r);
    respond(exchange, r, quiet);
  }

  /** The records of every version the request names ({@link VersionDeletion}), in parallel. */
  private Map<ObjectIdentifier, VersionDeletion.Pending> recordsOf(
      String bucket, List<ObjectIdentifier> ids) {
    Map<ObjectIdentifier, VersionDeletion.Pending> out = new ConcurrentHashMap<>();
    if (versionDeletion == null) {
      return out;
    }
    Semaphore slots = new Semaphore(PARALLEL);
    try (var executor = Executors.newVirtualThreadPerTaskExecutor()) {
      List<Future<?>> lookups = new ArrayList<>();
      for (ObjectIdentifier id : ids) {
        if (id.versionId() == null) {
          continue;
        }
        slots.acquireUninterruptibly();
        lookups.add(
            executor.submit(
                () -> {
                  try {
                    out.put(id, versionDeletion.recordsOf(bucket, id.key(), id.versionId()));
                  } finally {
                    slots.release();
                  }
                }));
      }
      for (Future<?> f : lookups) {
        try {
          f.get();
        } catch (ExecutionException e) {
          // That version's records are not known: the version stays too (it is not deleted).
          throw e.getCause() instanceof RuntimeException re ? re : new IllegalStateException(e);
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
          throw new IllegalStateException(e);
        }
      }
    }
    return out;
  }

  /** Deletes the records of every version that the backend deleted. */
  private void deleteVersionRecords(
      String bucket,
      DeleteObjectsResponse r,
      Map<ObjectIdentifier, VersionDeletion.Pending> pending,
      boolean bypass) {
    for (DeletedObject d : r.deleted()) {
      if (d.versionId() == null) {
        continue;
      }
      VersionDeletion.Pending p =
          pending.get(ObjectIdentifier.builder().key(d.key()).versionId(d.versionId()).build());
      if (p != null) {
        versionDeletion.deleteRecords(bucket, d.key(), p, bypass);
      }
    }
  }

  private void invalidate(String bucket, List<ObjectIdentifier> ids) {
    for (ObjectIdentifier id : ids) {
      cache.invalidate(bucket, id.key());
    }
  }

  /**
   * Deletes the multipart indexes and checksum records of the deleted keys (most have none; the
   * indexes are found by one walk over the bucket's index names, see MultipartState#indexesOf; a
   * delete of a missing checksum record succeeds). A failure here leaves orphaned records that no
   * object accepts, so it is logged, not reported to the client.
   */
  private void deleteIndexes(String bucket, DeleteObjectsResponse r) {
    try {
      // A version named, or a delete marker made: the versions (and so their records) stay, or
      // go with deleteVersionRecords.
      List<String> deletedKeys =
          r.deleted().stream()
              .filter(
                  d ->
                      d.versionId() == null
                          && !Boolean.TRUE.equals(d.deleteMarker())
                          && RequestedVersion.pin(d.deleteMarkerVersionId()) == null)
              .map(DeletedObject::key)
              .toList();
      if (deletedKeys.isEmpty()) {
        return;
      }
      List<ObjectIdentifier> indexes =
          java.util.stream.Stream.concat(
                  multipart.indexesOf(bucket, deletedKeys).stream(),
                  deletedKeys.stream().map(ReservedKeys::checksums))
              .map(name -> ObjectIdentifier.builder().key(name).build())
              .toList();
      if (indexes.isEmpty()) {
        return;
      }
      if (backend.acceptsChecksumHeaders()) {
        backend
            .s3()
            .deleteObjects(
                DeleteObjectsRequest.builder()
                    .bucket(bucket)
                    .delete(Delete.builder().objects(indexes).quiet(true).build())
                    .build());
      } else {
        deleteOneByOne(bucket, indexes, false);
      }
    } catch (RuntimeException e) {
      org.slf4j.LoggerFactory.getLogger(DeleteObjectsOperation.class)
          .warn("could not delete multipart indexes in {}: {}", bucket, e.getMessage());
    }
  }

  /**
   * DeleteObjects as individual deletes, for backends that refuse the checksum header the SDK puts
   * on a batch delete. Same per-key outcome; {@link #PARALLEL} deletes at a time.
   */
  private DeleteObjectsResponse deleteOneByOne(
      String bucket, List<ObjectIdentifier> ids, boolean bypass) {
    List<DeletedObject> deleted = java.util.Collections.synchronizedList(new ArrayList<>());
    List<S3Error> errors = java.util.Collections.synchronizedList(new ArrayList<>());
    java.util.concurrent.Semaphore slots = new java.util.concurrent.Semaphore(PARALLEL);
    try (var executor = java.util.concurrent.Executors.newVirtualThreadPerTaskExecutor()) {
      for (ObjectIdentifier id : ids) {
        slots.acquireUninterruptibly();
        executor.submit(
            () -> {
              try {
                DeleteObjectResponse one =
                    backend
                        .s3()
                        .deleteObject(
                            b ->
                                b.bucket(bucket)
                                    .key(id.key())
                                    .versionId(id.versionId())
                                    .bypassGovernanceRetention(bypass ? Boolean.TRUE : null));
                boolean marker = Boolean.TRUE.equals(one.deleteMarker());
                deleted.add(
                    DeletedObject.builder()
                        .key(id.key())
                        .versionId(id.versionId())
                        .deleteMarker(marker ? Boolean.TRUE : null)
                        .deleteMarkerVersionId(
                            marker && id.versionId() == null ? one.versionId() : null)
                        .build());
              } catch (RuntimeException e) {
                io.github.s3eg.s3.S3Exception mapped =
                    io.github.s3eg.backend.BackendErrors.map(e, bucket, id.key());
                if (mapped != null && mapped.errorCode() == S3ErrorCode.NO_SUCH_BUCKET) {
                  throw e;
                }
                errors.add(
                    S3Error.builder()
                        .key(id.key())
                        .code(mapped == null ? "InternalError" : mapped.errorCode().code())
                        .message(
                            mapped == null
                                ? "We encountered an internal error."
                                : mapped.getMessage())
                        .build());
              } finally {
                slots.release();
              }
            });
      }
    }
    List<DeletedObject> ordered = new ArrayList<>(deleted);
    ordered.sort(java.util.Comparator.comparing(DeletedObject::key));
    return DeleteObjectsResponse.builder().deleted(ordered).errors(errors).build();
  }

  private static void respond(Exchange exchange, DeleteObjectsResponse r, boolean quiet) {
    XmlWriter xml = new XmlWriter().root("DeleteResult");
    if (!quiet) {
      for (DeletedObject d : r.deleted()) {
        xml.start("Deleted")
            .element("Key", d.key())
            .element("VersionId", d.versionId())
            .element("DeleteMarker", d.deleteMarker())
            .element("DeleteMarkerVersionId", d.deleteMarkerVersionId())
            .end();
      }
    }
    for (S3Error e : r.errors()) {
      xml.start("Error")
          .element("Key", e.key())
          .element("Code", e.code())
          .element("Message", e.message())
          .end();
    }
    RequestStates.of(exchange).respond(S3Response.xml(200, xml.toBytes()));
  }
}
