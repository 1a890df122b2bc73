package io.github.s3eg.pipeline;

import io.github.s3eg.backend.ContentMd5;
import io.github.s3eg.backend.ReservedKeys;
import io.github.s3eg.crypto.CryptoException;
import io.github.s3eg.crypto.EncryptedPart;
import io.github.s3eg.crypto.MultipartIndex;
import io.github.s3eg.crypto.MultipartLayout;
import io.github.s3eg.crypto.ObjectDecryptor;
import io.github.s3eg.crypto.ObjectEncryptor;
import io.github.s3eg.crypto.ObjectMetadata;
import io.github.s3eg.crypto.OpenedObject;
import io.github.s3eg.crypto.PartChecksumMarker;
import io.github.s3eg.multipart.MultipartChecksums;
import io.github.s3eg.multipart.MultipartIndexes;
import io.github.s3eg.multipart.MultipartState;
import io.github.s3eg.ops.GatewayMetrics;
import io.github.s3eg.pipeline.BackendCall.GatewayRecord;
import io.github.s3eg.pipeline.BackendCall.RecordName;
import io.github.s3eg.pipeline.BackendCall.RecordNames;
import io.github.s3eg.s3.ListingEncoding;
import io.github.s3eg.s3.ObjectHeaders;
import io.github.s3eg.s3.S3ErrorCode;
import io.github.s3eg.s3.S3Exception;
import io.github.s3eg.s3.S3Request;
import io.github.s3eg.s3.S3Response;
import io.github.s3eg.s3.checksum.CompleteChecks;
import io.github.s3eg.s3.checksum.CompletedChecksum;
import io.github.s3eg.s3.checksum.ObjectChecksum;
import io.github.s3eg.s3.checksum.PartChecksum;
import io.github.s3eg.s3.checksum.UploadChecksum;
import io.github.s3eg.s3.xml.XmlWriter;
import io.github.s3eg.versions.NewVersionSettings;
import io.github.s3eg.versions.NewVersions;
import io.github.s3eg.versions.WriteRequirements;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.function.UnaryOperator;
import org.apache.camel.Exchange;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import software.amazon.awssdk.core.ResponseInputStream;
import software.amazon.awssdk.services.s3.model.AbortMultipartUploadRequest;
import software.amazon.awssdk.services.s3.model.CompleteMultipartUploadRequest;
import software.amazon.awssdk.services.s3.model.CompleteMultipartUploadResponse;
import software.amazon.awssdk.services.s3.model.CompletedPart;
import software.amazon.awssdk.services.s3.model.CreateMultipartUploadRequest;
import software.amazon.awssdk.services.s3.model.CreateMultipartUploadResponse;
import software.amazon.awssdk.services.s3.model.GetObjectRequest;
import software.amazon.awssdk.services.s3.model.GetObjectResponse;
import software.amazon.awssdk.services.s3.model.ListMultipartUploadsRequest;
import software.amazon.awssdk.services.s3.model.ListMultipartUploadsResponse;
import software.amazon.awssdk.services.s3.model.ListObjectsV2Request;
import software.amazon.awssdk.services.s3.model.ListPartsRequest;
import software.amazon.awssdk.services.s3.model.ListPartsResponse;
import software.amazon.awssdk.services.s3.model.MultipartUpload;
import software.amazon.awssdk.services.s3.model.Part;
import software.amazon.awssdk.services.s3.model.UploadPartRequest;
import software.amazon.awssdk.services.s3.model.UploadPartResponse;

/**
 * The multipart upload operations as route steps around their backend calls, encrypted part by part
 * (format version 4, docs/object-format.md §12):
 *
 * <ul>
 *   <li>Create: a fresh data key wrapped for the bucket and key, stored as the upload's metadata
 *       and in its upload record (so every gateway instance can encrypt its parts), with the
 *       checksum algorithm and type the client chose; without its record the upload is aborted.
 *   <li>{@code openUpload}: the upload's data key from its record (this instance's copy, or read).
 *   <li>UploadPart: each part is its own authenticated stream under a fresh random header, bound to
 *       its part number and size. The part's ETag is its plaintext MD5. When the upload chose a
 *       checksum algorithm, the part's checksum (the client's, verified, or computed) is recorded
 *       by a marker bound to the stored part (docs/object-format.md §12.7).
 *   <li>Complete: the stored parts (and part checksums) are listed; the gateway writes the object's
 *       sealed index, then the backend completes with its own part ETags, then the checksum record
 *       goes beside the index and the upload record and markers go. The object's ETag is S3's
 *       MD5-of-MD5s. An upload begun by an earlier release (format version 3) gets its index after
 *       Complete, under the key's one name.
 * </ul>
 */
public final class MultipartSteps {

  private static final Logger LOG = LoggerFactory.getLogger(MultipartSteps.class);

  private final ObjectEncryptor encryptor;
  private final ObjectDecryptor decryptor;
  private final MultipartState records;
  private final GatewayMetrics metrics;

  public MultipartSteps(
      ObjectEncryptor encryptor,
      ObjectDecryptor decryptor,
      MultipartState records,
      GatewayMetrics metrics) {
    this.encryptor = encryptor;
    this.decryptor = decryptor;
    this.records = records;
    this.metrics = metrics;
  }

  /** What one multipart request learns on the way through its steps. */
  static final class Work {
    /** The upload's record: its wrapped data key, and the checksum it chose. */
    Map<String, String> uploadEntries;

    Optional<UploadChecksum> checksum = Optional.empty();
    Map<String, String> storedMetadata;
    String uploadId;
    List<MultipartOperations.RequestedPart> requested;
    final Map<Integer, Part> storedParts = new TreeMap<>();
    Integer nextPartMarker;
    boolean partsListed;
    boolean typeChecked;
    Map<Integer, List<PartChecksumMarker>> markers = Map.of();
    MultipartIndex index;
    byte[] sealedIndex;
    boolean legacy;
    Optional<ObjectChecksum> objectChecksum = Optional.empty();
    final List<CompletedChecksum.Part> partChecksums = new ArrayList<>();
    boolean staleRecordAsked;
    PartChecksum partChecksum;
    long partStarted;
    boolean recordAsked;
    String versionId;
  }

  private NewVersions newVersions;
  private WriteRequirements requirements;
  private long spoolLimit;

  /**
   * Completed objects get the lock settings and tags their upload asked for, and their records the
   * object's protection ({@code versions}); parts go with their ciphertext's MD5 where the bucket
   * needs it ({@code requirements}), spooled beyond {@code spoolLimit}.
   */
  public void followVersioning(
      NewVersions versions, WriteRequirements requirements, long spoolLimit) {
    this.newVersions = versions;
    this.requirements = requirements;
    this.spoolLimit = spoolLimit;
  }

  // ---- CreateMultipartUpload: POST /bucket/key?uploads

  CreateMultipartUploadRequest createRequest(RequestState state) throws CryptoException {
    S3Request s3 = state.request();
    ObjectHeaders headers = ObjectHeaders.fromRequest(s3);
    EncryptObject.rejectReservedMetadata(headers.userMetadata());
    Optional<UploadChecksum> checksum = UploadChecksum.fromCreate(s3);
    NewVersionSettings settings = NewVersionSettings.fromPut(s3);
    if (requirements != null) {
      requirements.requireObjectLockFor(s3.bucket(), settings.lock());
    }
    ObjectMetadata crypto = encryptor.beginMultipart(s3.bucket(), s3.key());
    Map<String, String> stored = new LinkedHashMap<>(headers.userMetadata());
    stored.putAll(crypto.toMap());
    Work work = state.multipart();
    work.uploadEntries = new LinkedHashMap<>(crypto.toMap());
    checksum.ifPresent(c -> work.uploadEntries.put(UploadChecksum.RECORD_ENTRY, c.encode()));
    // Kept for Complete: some backends drop them on Create (NewVersions applies them then).
    work.uploadEntries.putAll(settings.toRecord());
    work.checksum = checksum;
    work.storedMetadata = stored;
    CreateMultipartUploadRequest.Builder b =
        CreateMultipartUploadRequest.builder().bucket(s3.bucket()).key(s3.key());
    BackendHeaders.apply(headers, stored, b);
    settings.applyTo(b);
    state
        .acl()
        .applyToObject(
            b::acl, b::grantFullControl, b::grantRead, b::grantReadACP, b::grantWriteACP);
    return b.build();
  }

  /** The upload record the backend's new upload needs: its wrapped data key. */
  GatewayRecord uploadRecord(RequestState state, CreateMultipartUploadResponse created) {
    S3Request s3 = state.request();
    Work work = state.multipart();
    work.uploadId = created.uploadId();
    return new GatewayRecord(
        s3.bucket(),
        ReservedKeys.uploadRecord(s3.key(), work.uploadId),
        MultipartState.encode(work.uploadEntries));
  }

  /** Without its record no part could be encrypted: the upload is aborted, leaving nothing. */
  static AbortMultipartUploadRequest abortUnrecordedUpload(RequestState state) {
    S3Request s3 = state.request();
    return AbortMultipartUploadRequest.builder()
        .bucket(s3.bucket())
        .key(s3.key())
        .uploadId(state.multipart().uploadId)
        .build();
  }

  S3Response createResponse(RequestState state) {
    S3Request s3 = state.request();
    Work work = state.multipart();
    records.rememberRecord(s3.bucket(), s3.key(), work.uploadId, work.uploadEntries);
    ObjectOperations.auditKey(state, work.storedMetadata);
    XmlWriter xml =
        new XmlWriter()
            .root("InitiateMultipartUploadResult")
            .element("Bucket", s3.bucket())
            .element("Key", s3.key())
            .element("UploadId", work.uploadId);
    S3Response response = S3Response.xml(200, xml.toBytes());
    work.checksum.ifPresent(
        c ->
            response
                .header("x-amz-checksum-algorithm", c.algorithm().name())
                .header("x-amz-checksum-type", c.type().name()));
    return response;
  }

  // ---- openUpload: the upload's data key, from its record

  /**
   * One turn: the record from this instance's copy, else a read of it ({@code answer} is that
   * read's answer on the next turn; null when the record does not exist). Returns the read, or null
   * once the upload is open.
   */
  GetObjectRequest openUpload(RequestState state, Object answer)
      throws CryptoException, IOException {
    return openUpload(state, answer, false);
  }

  /**
   * As {@link #openUpload(RequestState, Object)}; with {@code missingIsNothing} (Abort) an upload
   * without a record, or with one that does not open, is left unopened instead of refused: nothing
   * was written for it that needs its key.
   */
  GetObjectRequest openUpload(RequestState state, Object answer, boolean missingIsNothing)
      throws CryptoException, IOException {
    S3Request s3 = state.request();
    String uploadId = uploadId(s3);
    Work work = state.multipart();
    Map<String, String> entries;
    if (!work.recordAsked) {
      entries = records.cachedRecord(s3.bucket(), s3.key(), uploadId).orElse(null);
      if (entries == null) {
        work.recordAsked = true;
        return GetObjectRequest.builder()
            .bucket(s3.bucket())
            .key(ReservedKeys.uploadRecord(s3.key(), uploadId))
            .build();
      }
    } else if (answer instanceof ResponseInputStream<?> in) {
      @SuppressWarnings("unchecked")
      ResponseInputStream<GetObjectResponse> record = (ResponseInputStream<GetObjectResponse>) in;
      byte[] bytes = record.readNBytes(CiphertextLocator.MAX_RECORD_BYTES);
      state.release(record);
      entries = MultipartState.decode(bytes);
      records.rememberRecord(s3.bucket(), s3.key(), uploadId, entries);
    } else if (missingIsNothing) {
      return null;
    } else {
      throw new S3Exception(
              S3ErrorCode.NO_SUCH_UPLOAD,
              "The specified upload does not exist. The upload ID may be invalid,"
                  + " or the upload may have been aborted or completed.")
          .with("UploadId", uploadId);
    }
    OpenedObject upload;
    try {
      upload = decryptor.open(s3.bucket(), s3.key(), entries);
    } catch (CryptoException e) {
      if (missingIsNothing) {
        return null;
      }
      throw e;
    }
    if (!upload.isMultipart()) {
      if (missingIsNothing) {
        return null;
      }
      throw new S3Exception(
          S3ErrorCode.INTERNAL_ERROR, "The upload record is not a multipart record.");
    }
    work.uploadEntries = entries;
    work.checksum = UploadChecksum.fromRecord(entries);
    state.provideUpload(upload);
    return null;
  }

  // ---- UploadPart: PUT /bucket/key?partNumber=N&uploadId=ID

  /** Encrypts the verified plaintext body as the part; the request for the backend. */
  UploadPartRequest encryptPart(RequestState state) throws IOException {
    S3Request s3 = state.request();
    int partNumber = MultipartOperations.partNumber(s3);
    long length = state.body().length();
    if (length > MultipartOperations.MAX_PART_SIZE) {
      throw new S3Exception(
          S3ErrorCode.ENTITY_TOO_LARGE, "Your proposed upload exceeds the maximum allowed size.");
    }
    Work work = state.multipart();
    PartChecksum checksum =
        PartChecksum.of(work.checksum, state.body().checksum().orElse(null), state.body().stream());
    EncryptedPart part = state.upload().encryptPart(partNumber, length, checksum.stream());
    work.partChecksum = checksum;
    String md5 = null;
    EncryptedUpload.Part upload;
    if (requirements != null
        && requirements.partNeedsMd5(
            s3.bucket(), !NewVersionSettings.fromRecord(work.uploadEntries).lock().isEmpty())) {
      // Object Lock without checksum trailers: the part's ciphertext MD5 goes with it.
      UploadSpool spool = UploadSpool.fill(part.stream(), spoolLimit);
      state.onDone(spool::close);
      md5 = ContentMd5.encode(spool.md5());
      upload = new EncryptedUpload.Part(partNumber, part, spool.open());
    } else {
      upload = new EncryptedUpload.Part(partNumber, part);
    }
    state.provideCiphertext(upload);
    work.partStarted = System.nanoTime();
    return UploadPartRequest.builder()
        .bucket(s3.bucket())
        .key(s3.key())
        .uploadId(uploadId(s3))
        .partNumber(partNumber)
        .contentMD5(md5)
        .build();
  }

  /**
   * The part is stored. When its upload chose a checksum algorithm, the marker that records the
   * part's checksum until Complete, bound to the stored part by its backend ETag; else null.
   */
  GatewayRecord partChecksumMarker(RequestState state, UploadPartResponse stored) {
    EncryptedPart part = storedPart(state, "partChecksumMarker");
    S3Request s3 = state.request();
    PartChecksum checksum = state.multipart().partChecksum;
    Optional<ObjectChecksum> value = checksum == null ? Optional.empty() : checksum.value();
    if (value.isEmpty() || !checksum.recorded()) {
      return null;
    }
    return new GatewayRecord(
        s3.bucket(),
        MultipartChecksums.markerKey(
            s3.key(),
            uploadId(s3),
            state.upload(),
            ((EncryptedUpload.Part) state.ciphertext()).partNumber(),
            stored.eTag(),
            value.get().algorithm().name(),
            value.get().value()),
        MultipartChecksums.markerBody());
  }

  private static EncryptedPart storedPart(RequestState state, String step) {
    if (!(state.ciphertext() instanceof EncryptedUpload.Part encrypted)) {
      throw new MissingStepException(Fact.CIPHERTEXT, "step '" + step + "'");
    }
    EncryptedPart part = encrypted.part();
    if (!part.isComplete()) {
      throw new S3Exception(S3ErrorCode.INCOMPLETE_BODY, "The part ended before its length.");
    }
    return part;
  }

  /** The part went through: its ETag is its plaintext MD5 (and its checksum, if it has one). */
  S3Response uploadPartResponse(RequestState state) {
    EncryptedPart part = storedPart(state, "uploadPartResponse");
    metrics.recordEncryption(
        "encrypt",
        "multipart",
        part.ciphertextSize(),
        System.nanoTime() - state.multipart().partStarted,
        true);
    S3Response response = S3Response.status(200).header("ETag", "\"" + part.plaintextEtag() + "\"");
    PartChecksum checksum = state.multipart().partChecksum;
    if (checksum != null) {
      checksum.value().ifPresent(v -> v.writeValueTo(response));
    }
    return response;
  }

  // ---- CompleteMultipartUpload: POST /bucket/key?uploadId=ID

  /**
   * One turn of listing the stored parts (1,000 a page): {@code answer} is the last page, null on
   * the first turn. Returns the next page's request, or null once all are listed.
   */
  ListPartsRequest listStoredParts(RequestState state, Object answer) throws IOException {
    S3Request s3 = state.request();
    Work work = state.multipart();
    if (!work.typeChecked) {
      // The client's checksum type against the upload's, before anything is listed.
      CompleteChecks.checkType(s3, work.checksum);
      work.typeChecked = true;
    }
    if (answer instanceof ListPartsResponse page) {
      page.parts().forEach(p -> work.storedParts.put(p.partNumber(), p));
      if (!Boolean.TRUE.equals(page.isTruncated()) || page.nextPartNumberMarker() == null) {
        work.partsListed = true;
        state.provide(Fact.PARTS_LISTED);
        return null;
      }
      work.nextPartMarker = page.nextPartNumberMarker();
    } else if (work.partsListed) {
      return null;
    }
    return ListPartsRequest.builder()
        .bucket(s3.bucket())
        .key(s3.key())
        .uploadId(uploadId(s3))
        .partNumberMarker(work.nextPartMarker)
        .maxParts(1000)
        .build();
  }

  /**
   * One turn of listing the part checksums an upload recorded (its markers), when it chose an
   * algorithm (Complete, ListParts; Abort lists them always, to delete them): {@code answer} is the
   * last page. Returns the next page's LIST, or null once listed.
   */
  ListObjectsV2Request listPartChecksums(RequestState state, Object answer) {
    S3Request s3 = state.request();
    Work work = state.multipart();
    RecordListing listing = state.listing();
    if (listing == null) {
      boolean abort = "AbortMultipartUpload".equals(state.operation());
      if (!abort && work.checksum.isEmpty()) {
        state.provide(Fact.RECORDS_LISTED);
        return null;
      }
      listing = new RecordListing(s3.bucket(), ReservedKeys.partChecksums(s3.key(), uploadId(s3)));
      state.startListing(listing);
      answer = null;
    }
    ListObjectsV2Request next = listing.next(answer);
    if (next == null) {
      if (state.has(Fact.UPLOAD_KEY)) {
        work.markers =
            MultipartChecksums.markers(listing.names(), s3.key(), uploadId(s3), state.upload());
      }
      state.provide(Fact.RECORDS_LISTED);
    }
    return next;
  }

  /**
   * Checks the client's part list against the stored parts and sizes, combines the part checksums
   * (when the upload chose an algorithm) and seals the object's part index. Returns the index to
   * store before the backend's Complete (format version 4: a completed object never lacks it), or
   * null for an upload begun as version 3, whose index is written after Complete.
   */
  GatewayRecord completeRequest(RequestState state) {
    S3Request s3 = state.request();
    Work work = state.multipart();
    if (!work.partsListed) {
      throw new MissingStepException(Fact.PARTS_LISTED, "step 'completeRequest'");
    }
    OpenedObject upload = state.upload();
    Optional<UploadChecksum> checksum = work.checksum;
    List<MultipartIndex.Part> entries = new ArrayList<>(work.requested.size());
    java.security.MessageDigest md5s = MultipartOperations.md5();
    for (int i = 0; i < work.requested.size(); i++) {
      MultipartOperations.RequestedPart want = work.requested.get(i);
      Part have = work.storedParts.get(want.number());
      if (have == null) {
        throw new S3Exception(
                S3ErrorCode.INVALID_PART,
                "One or more of the specified parts could not be found.  The part may not have"
                    + " been uploaded, or the specified entity tag may not match the part's"
                    + " entity tag.")
            .with("PartNumber", Integer.toString(want.number()));
      }
      long plaintextSize;
      try {
        plaintextSize = MultipartLayout.partPlaintextSize(upload.layout(), have.size());
      } catch (IllegalArgumentException e) {
        throw new S3Exception(
            S3ErrorCode.INVALID_PART, "Part " + want.number() + " was not stored by the gateway.");
      }
      if (i < work.requested.size() - 1 && plaintextSize < MultipartOperations.MIN_PART_SIZE) {
        throw new S3Exception(
                S3ErrorCode.ENTITY_TOO_SMALL,
                "Your proposed upload is smaller than the minimum allowed object size.")
            .with("PartNumber", Integer.toString(want.number()));
      }
      if (checksum.isPresent()) {
        work.partChecksums.add(
            new CompletedChecksum.Part(
                want.number(),
                CompleteChecks.partChecksum(
                    checksum.get(),
                    want.number(),
                    want.checksums().get(checksum.get().algorithm()),
                    MultipartChecksums.recorded(work.markers, want.number(), have.eTag())),
                plaintextSize));
      }
      md5s.update(want.md5());
      entries.add(new MultipartIndex.Part(want.number(), plaintextSize));
    }
    work.index = new MultipartIndex(upload.header(), md5s.digest(), entries, upload.layout());
    work.objectChecksum = checksum.map(c -> CompletedChecksum.of(c, work.partChecksums));
    work.objectChecksum.ifPresent(c -> CompleteChecks.checkDeclared(s3, c));
    work.sealedIndex = upload.sealIndex(work.index, s3.bucket(), s3.key());
    work.legacy = MultipartIndexes.isLegacy(upload);
    state.provide(Fact.COMPLETE_CHECKED);
    // If Complete fails, this index names an object that does not exist (its name is this
    // upload's); Abort removes it, a retried Complete rewrites it.
    return work.legacy
        ? null
        : new GatewayRecord(
            s3.bucket(), MultipartIndexes.nameOf(upload, s3.key()), work.sealedIndex);
  }

  /** The backend's Complete, with its own part ETags, once the object's index is stored. */
  CompleteMultipartUploadRequest completeUpload(RequestState state) {
    S3Request s3 = state.request();
    Work work = state.multipart();
    if (work.sealedIndex == null) {
      throw new MissingStepException(Fact.COMPLETE_CHECKED, "step 'completeUpload'");
    }
    if (!work.legacy) {
      // Never a completed version 4 object without its index.
      state.require(Fact.RECORDED, "completeUpload");
    }
    List<CompletedPart> completed = new ArrayList<>(work.requested.size());
    for (MultipartOperations.RequestedPart want : work.requested) {
      completed.add(
          CompletedPart.builder()
              .partNumber(want.number())
              .eTag(work.storedParts.get(want.number()).eTag())
              .build());
    }
    CompleteMultipartUploadRequest.Builder b =
        CompleteMultipartUploadRequest.builder()
            .bucket(s3.bucket())
            .key(s3.key())
            .uploadId(uploadId(s3))
            .multipartUpload(m -> m.parts(completed));
    state.writeCondition().applyTo(b);
    return b.build();
  }

  /**
   * After the backend accepted Complete: this instance keeps the index for reads and listings. An
   * upload begun by an earlier release (format version 3) gets its index only now, under the key's
   * one name, which the key's previous object used until this Complete; else null.
   */
  GatewayRecord completedIndex(RequestState state, Object completed) {
    state.require(Fact.STORED, "completedIndex");
    S3Request s3 = state.request();
    Work work = state.multipart();
    if (completed instanceof CompleteMultipartUploadResponse r) {
      work.versionId = r.versionId();
    }
    records.completed(s3.bucket(), s3.key(), work.sealedIndex);
    return work.legacy
        ? new GatewayRecord(
            s3.bucket(), MultipartIndexes.nameOf(state.upload(), s3.key()), work.sealedIndex)
        : null;
  }

  /** The object's checksum record, beside its index, when its upload chose an algorithm. */
  static GatewayRecord checksumRecord(RequestState state) {
    state.require(Fact.STORED, "checksumRecord");
    S3Request s3 = state.request();
    Work work = state.multipart();
    if (work.objectChecksum.isEmpty()) {
      return null;
    }
    OpenedObject upload = state.upload();
    return new GatewayRecord(
        s3.bucket(),
        ReservedKeys.checksums(s3.key()),
        MultipartChecksums.sealedRecord(
            s3.bucket(),
            s3.key(),
            upload,
            CompletedChecksum.record(
                upload.header(), work.objectChecksum.get(), work.partChecksums)));
  }

  /**
   * One turn of deleting an upload's part checksum markers (1,000 at a time) once it is completed
   * or aborted; for a completed upload without checksums, the checksum record an earlier object of
   * the key may have left (it would not verify, but it goes). Null when done.
   */
  static RecordNames partChecksumDeletes(RequestState state) {
    S3Request s3 = state.request();
    Work work = state.multipart();
    RecordListing listing = state.listing();
    if (listing != null) {
      return listing.nextBatch();
    }
    if ("CompleteMultipartUpload".equals(state.operation()) && !work.staleRecordAsked) {
      work.staleRecordAsked = true;
      return new RecordNames(s3.bucket(), List.of(ReservedKeys.checksums(s3.key())));
    }
    return null;
  }

  /** The upload record goes once the upload is completed or aborted. */
  RecordName uploadRecordName(RequestState state) {
    S3Request s3 = state.request();
    String uploadId = uploadId(s3);
    records.forgetRecord(s3.bucket(), s3.key(), uploadId);
    return new RecordName(s3.bucket(), ReservedKeys.uploadRecord(s3.key(), uploadId));
  }

  /**
   * The object is complete (a version 4 object has its index); only some of the upload's own
   * records are left over (or, for Abort, its part checksums): logged, not failed.
   */
  static void bookkeepingNotFinished(RequestState state, Exception failure) {
    LOG.warn(
        "request {}: {} ({}): the upload's bookkeeping was not finished: {}",
        state.requestId(),
        state.request().resource(),
        state.operation(),
        failure == null ? "?" : failure.getMessage());
  }

  /**
   * The lock settings and tags the upload asked for, and the object's protection for its index and
   * checksum record (backend requests inside the step, only for an upload that asked for settings
   * or a bucket with Object Lock: docs/customizing.md).
   */
  void settleUpload(RequestState state) {
    S3Request s3 = state.request();
    Work work = state.multipart();
    if (newVersions != null) {
      newVersions.settle(
          s3.bucket(),
          s3.key(),
          work.versionId,
          work.uploadEntries,
          NewVersionSettings.fromRecord(work.uploadEntries));
    }
  }

  static S3Response completeResponse(RequestState state) {
    state.require(Fact.STORED, "completeResponse");
    S3Request s3 = state.request();
    Work work = state.multipart();
    XmlWriter xml =
        new XmlWriter()
            .root("CompleteMultipartUploadResult")
            .element("Location", "/" + s3.bucket() + "/" + s3.key())
            .element("Bucket", s3.bucket())
            .element("Key", s3.key())
            .element("ETag", "\"" + work.index.etag() + "\"");
    work.objectChecksum.ifPresent(c -> c.writeXml(xml, c.shown()));
    return S3Response.xml(200, xml.toBytes()).header("x-amz-version-id", work.versionId);
  }

  // ---- AbortMultipartUpload: DELETE /bucket/key?uploadId=ID

  static AbortMultipartUploadRequest abortRequest(RequestState state) {
    S3Request s3 = state.request();
    return AbortMultipartUploadRequest.builder()
        .bucket(s3.bucket())
        .key(s3.key())
        .uploadId(uploadId(s3))
        .build();
  }

  /**
   * The index a failed Complete of this upload may have written (format version 4: its name is this
   * upload's, so it can name no object now); null when the upload's record did not open, or for an
   * upload begun as version 3 (its index is written only after Complete).
   */
  static RecordName abortedIndex(RequestState state) {
    if (!state.has(Fact.UPLOAD_KEY)) {
      return null;
    }
    OpenedObject upload = state.upload();
    if (MultipartIndexes.isLegacy(upload)) {
      return null;
    }
    S3Request s3 = state.request();
    return new RecordName(s3.bucket(), MultipartIndexes.nameOf(upload, s3.key()));
  }

  // ---- ListParts: GET /bucket/key?uploadId=ID

  static ListPartsRequest listPartsRequest(RequestState state) {
    S3Request s3 = state.request();
    Integer marker = MultipartOperations.intParam(s3, "part-number-marker");
    Integer max = MultipartOperations.intParam(s3, "max-parts");
    return ListPartsRequest.builder()
        .bucket(s3.bucket())
        .key(s3.key())
        .uploadId(uploadId(s3))
        .partNumberMarker(marker)
        .maxParts(max == null ? 1000 : Math.min(max, 1000))
        .build();
  }

  static S3Response listPartsResponse(RequestState state, ListPartsResponse r) {
    S3Request s3 = state.request();
    OpenedObject upload = state.upload();
    Integer marker = MultipartOperations.intParam(s3, "part-number-marker");
    Integer max = MultipartOperations.intParam(s3, "max-parts");
    UnaryOperator<String> enc = ListingEncoding.of(s3);
    XmlWriter xml =
        new XmlWriter()
            .root("ListPartsResult")
            .element("Bucket", s3.bucket())
            .element("EncodingType", ListingEncoding.requested(s3) ? "url" : null)
            .element("Key", enc.apply(s3.key()))
            .element("UploadId", uploadId(s3))
            .element("PartNumberMarker", marker == null ? 0 : marker)
            .element("NextPartNumberMarker", r.nextPartNumberMarker())
            .element("MaxParts", max == null ? 1000 : max)
            .element("IsTruncated", Boolean.TRUE.equals(r.isTruncated()))
            .element("StorageClass", "STANDARD");
    Work work = state.multipart();
    Optional<UploadChecksum> checksum = work.checksum;
    checksum.ifPresent(
        c ->
            xml.element("ChecksumAlgorithm", c.algorithm().name())
                .element("ChecksumType", c.type().name()));
    for (Part p : r.parts()) {
      long size;
      try {
        size = MultipartLayout.partPlaintextSize(upload.layout(), p.size());
      } catch (IllegalArgumentException e) {
        size = p.size();
      }
      // The plaintext MD5 of a stored part is known only to the UploadPart that sent it; the
      // backend's ETag is listed marked as not-an-MD5, as in object listings.
      xml.start("Part")
          .element("PartNumber", p.partNumber())
          .element("LastModified", ObjectHeaders.xmlDate(p.lastModified()))
          .element("ETag", p.eTag())
          .element("Size", size);
      MultipartChecksums.recorded(work.markers, p.partNumber(), p.eTag())
          .ifPresent(
              c ->
                  xml.element(
                      ObjectChecksum.elementName(checksum.get().algorithm()),
                      Base64.getEncoder().encodeToString(c)));
      xml.end();
    }
    return S3Response.xml(200, xml.toBytes());
  }

  // ---- ListMultipartUploads: GET /bucket?uploads

  static ListMultipartUploadsRequest listUploadsRequest(RequestState state) {
    S3Request s3 = state.request();
    return ListMultipartUploadsRequest.builder()
        .bucket(s3.bucket())
        // Asked without encoding-type: S3Proxy would encode only the prefix, and the SDK would
        // then decode keys that were never encoded.
        .prefix(MultipartOperations.emptyToNull(s3.param("prefix")))
        .delimiter(MultipartOperations.emptyToNull(s3.param("delimiter")))
        .keyMarker(MultipartOperations.emptyToNull(s3.param("key-marker")))
        .uploadIdMarker(MultipartOperations.emptyToNull(s3.param("upload-id-marker")))
        .maxUploads(MultipartOperations.intParam(s3, "max-uploads"))
        .build();
  }

  static S3Response listUploadsResponse(RequestState state, ListMultipartUploadsResponse r) {
    S3Request s3 = state.request();
    Integer max = MultipartOperations.intParam(s3, "max-uploads");
    UnaryOperator<String> enc = ListingEncoding.of(s3);
    String prefix = MultipartOperations.emptyToNull(s3.param("prefix"));
    String delimiter = MultipartOperations.emptyToNull(s3.param("delimiter"));
    String keyMarker = MultipartOperations.emptyToNull(s3.param("key-marker"));
    XmlWriter xml =
        new XmlWriter()
            .root("ListMultipartUploadsResult")
            .element("Bucket", s3.bucket())
            .element("KeyMarker", enc.apply(MultipartOperations.nullToEmpty(keyMarker)))
            .element(
                "UploadIdMarker", MultipartOperations.nullToEmpty(s3.param("upload-id-marker")))
            .element("NextKeyMarker", enc.apply(r.nextKeyMarker()))
            .element("NextUploadIdMarker", r.nextUploadIdMarker())
            .element("Prefix", enc.apply(MultipartOperations.nullToEmpty(prefix)))
            .element("Delimiter", enc.apply(delimiter))
            .element("MaxUploads", max == null ? 1000 : max)
            .element("EncodingType", ListingEncoding.requested(s3) ? "url" : null)
            .element("IsTruncated", Boolean.TRUE.equals(r.isTruncated()));
    for (MultipartUpload u : r.uploads()) {
      if (ReservedKeys.isReserved(u.key())) {
        continue;
      }
      xml.start("Upload")
          .element("Key", enc.apply(u.key()))
          .element("UploadId", u.uploadId())
          .start("Initiator")
          .element("ID", BucketOperations.OWNER_ID)
          .element("DisplayName", BucketOperations.OWNER_ID)
          .end()
          .start("Owner")
          .element("ID", BucketOperations.OWNER_ID)
          .element("DisplayName", BucketOperations.OWNER_ID)
          .end()
          .element(
              "StorageClass",
              u.storageClassAsString() == null ? "STANDARD" : u.storageClassAsString())
          .element("Initiated", ObjectHeaders.xmlDate(u.initiated()))
          .end();
    }
    r.commonPrefixes()
        .forEach(p -> xml.start("CommonPrefixes").element("Prefix", enc.apply(p.prefix())).end());
    return S3Response.xml(200, xml.toBytes());
  }

  private static String uploadId(S3Request s3) {
    String uploadId = s3.param("uploadId");
    if (uploadId == null || uploadId.isEmpty()) {
      throw new S3Exception(S3ErrorCode.NO_SUCH_UPLOAD, "The specified upload does not exist.");
    }
    return uploadId;
  }

  /** The client's CompleteMultipartUpload document: parsed before anything reaches the backend. */
  static void readCompleteDocument(RequestState state) throws IOException {
    state.multipart().requested = MultipartOperations.requestedParts(state.body().stream());
    state.provide(Fact.PARTS_REQUESTED);
  }

  // ---- the steps

  /** Registers the steps. */
  void addTo(java.util.function.Consumer<Step> add) {
    add.accept(
        Step.named("createMultipartUploadRequest")
            .callsBackend()
            .requires(Fact.BUCKET_FEATURES)
            .does((state, exchange) -> exchange.getIn().setBody(createRequest(state))));
    add.accept(
        Step.named("uploadRecord")
            .callsBackend()
            .does(
                (state, exchange) ->
                    exchange
                        .getIn()
                        .setBody(
                            uploadRecord(
                                state,
                                exchange.getIn().getBody(CreateMultipartUploadResponse.class)))));
    add.accept(
        Step.named("abortUnrecordedUpload")
            .callsBackend()
            .does((state, exchange) -> exchange.getIn().setBody(abortUnrecordedUpload(state))));
    add.accept(
        Step.named("createMultipartUploadResponse")
            .callsBackend()
            .requires(Fact.RECORDED)
            .provides(Fact.RESPONSE)
            .does((state, exchange) -> state.respond(createResponse(state))));
    add.accept(
        Step.named("openUpload")
            .callsBackend()
            .provides(Fact.UPLOAD_KEY)
            .does(
                (state, exchange) ->
                    exchange.getIn().setBody(openUpload(state, exchange.getIn().getBody()))));
    add.accept(
        Step.named("encryptPart")
            .callsBackend()
            .requires(Fact.REQUEST_BODY, Fact.UPLOAD_KEY, Fact.BUCKET_FEATURES)
            .provides(Fact.CIPHERTEXT)
            .does((state, exchange) -> exchange.getIn().setBody(encryptPart(state))));
    add.accept(
        Step.named("partChecksumMarker")
            .callsBackend()
            .requires(Fact.CIPHERTEXT, Fact.STORED, Fact.UPLOAD_KEY)
            .provides(Fact.PART_CHECKSUM_NOTED)
            .does(
                (state, exchange) -> {
                  exchange
                      .getIn()
                      .setBody(
                          partChecksumMarker(
                              state, exchange.getIn().getBody(UploadPartResponse.class)));
                  state.provide(Fact.PART_CHECKSUM_NOTED);
                }));
    add.accept(
        Step.named("uploadPartResponse")
            .requires(Fact.CIPHERTEXT, Fact.STORED, Fact.PART_CHECKSUM_NOTED)
            .provides(Fact.RESPONSE)
            .does((state, exchange) -> state.respond(uploadPartResponse(state))));
    add.accept(
        Step.named("readCompleteDocument")
            .requires(Fact.REQUEST_BODY)
            .provides(Fact.PARTS_REQUESTED)
            .does((state, exchange) -> readCompleteDocument(state)));
    add.accept(
        Step.named("listStoredParts")
            .callsBackend()
            .requires(Fact.UPLOAD_KEY)
            .provides(Fact.PARTS_LISTED)
            .does(
                (state, exchange) ->
                    exchange.getIn().setBody(listStoredParts(state, exchange.getIn().getBody()))));
    add.accept(
        Step.named("listPartChecksums")
            .callsBackend()
            .provides(Fact.RECORDS_LISTED)
            .does(
                (state, exchange) ->
                    exchange
                        .getIn()
                        .setBody(listPartChecksums(state, exchange.getIn().getBody()))));
    add.accept(
        Step.named("completeRequest")
            .callsBackend()
            .requires(
                Fact.PARTS_REQUESTED,
                Fact.PARTS_LISTED,
                Fact.RECORDS_LISTED,
                Fact.UPLOAD_KEY,
                Fact.CACHE_INVALIDATED,
                // checked right before the index and the backend's Complete that carries it: a
                // failed condition leaves the upload in progress, as on S3, and no index
                Fact.WRITE_CHECKED)
            .provides(Fact.COMPLETE_CHECKED)
            .does((state, exchange) -> exchange.getIn().setBody(completeRequest(state))));
    add.accept(
        Step.named("completeUpload")
            .callsBackend()
            .requires(Fact.COMPLETE_CHECKED, Fact.CACHE_INVALIDATED, Fact.WRITE_CHECKED)
            .does((state, exchange) -> exchange.getIn().setBody(completeUpload(state))));
    add.accept(
        Step.named("completedIndex")
            .callsBackend()
            .requires(Fact.STORED, Fact.COMPLETE_CHECKED)
            .does(
                (state, exchange) ->
                    exchange.getIn().setBody(completedIndex(state, exchange.getIn().getBody()))));
    add.accept(
        Step.named("settleUpload")
            .callsBackend()
            .requires(Fact.STORED, Fact.COMPLETE_CHECKED, Fact.BUCKET_FEATURES)
            .provides(Fact.VERSION_SETTLED)
            .does(
                (state, exchange) -> {
                  settleUpload(state);
                  state.provide(Fact.VERSION_SETTLED);
                }));
    add.accept(
        Step.named("checksumRecord")
            .callsBackend()
            .requires(Fact.STORED, Fact.COMPLETE_CHECKED)
            .does((state, exchange) -> exchange.getIn().setBody(checksumRecord(state))));
    add.accept(
        Step.named("partChecksumDeletes")
            .callsBackend()
            .does((state, exchange) -> exchange.getIn().setBody(partChecksumDeletes(state))));
    add.accept(
        Step.named("uploadRecordName")
            .callsBackend()
            .does((state, exchange) -> exchange.getIn().setBody(uploadRecordName(state))));
    add.accept(
        Step.named("bookkeepingNotFinished")
            .does(
                (state, exchange) ->
                    bookkeepingNotFinished(
                        state, exchange.getProperty(Exchange.EXCEPTION_CAUGHT, Exception.class))));
    add.accept(
        Step.named("completeResponse")
            .requires(Fact.STORED, Fact.VERSION_SETTLED)
            .provides(Fact.RESPONSE)
            .does((state, exchange) -> state.respond(completeResponse(state))));
    add.accept(
        Step.named("abortMultipartUploadRequest")
            .callsBackend()
            .does((state, exchange) -> exchange.getIn().setBody(abortRequest(state))));
    add.accept(
        Step.named("openAbortedUpload")
            .callsBackend()
            .provides(Fact.ABORTED_UPLOAD_READ)
            .does(
                (state, exchange) -> {
                  Object read = openUpload(state, exchange.getIn().getBody(), true);
                  exchange.getIn().setBody(read);
                  if (read == null) {
                    state.provide(Fact.ABORTED_UPLOAD_READ); // found, or known to be gone
                  }
                }));
    add.accept(
        Step.named("abortedIndex")
            .callsBackend()
            .requires(Fact.ABORTED_UPLOAD_READ)
            .provides(Fact.INDEXES_DELETED)
            .does(
                (state, exchange) -> {
                  exchange.getIn().setBody(abortedIndex(state));
                  state.provide(Fact.INDEXES_DELETED);
                }));
    add.accept(
        Step.named("abortMultipartUploadResponse")
            .callsBackend()
            .requires(Fact.INDEXES_DELETED)
            .provides(Fact.RESPONSE)
            .does((state, exchange) -> state.respond(S3Response.status(204))));
    add.accept(
        Step.named("listPartsRequest")
            .callsBackend()
            .requires(Fact.UPLOAD_KEY)
            .does((state, exchange) -> exchange.getIn().setBody(listPartsRequest(state))));
    add.accept(
        Step.named("listPartsResponse")
            .callsBackend()
            .requires(Fact.UPLOAD_KEY, Fact.RECORDS_LISTED)
            .provides(Fact.RESPONSE)
            .does(
                (state, exchange) ->
                    state.respond(
                        listPartsResponse(
                            state, exchange.getIn().getBody(ListPartsResponse.class)))));
    add.accept(
        Step.named("listMultipartUploadsRequest")
            .callsBackend()
            .does((state, exchange) -> exchange.getIn().setBody(listUploadsRequest(state))));
    add.accept(
        Step.named("listMultipartUploadsResponse")
            .callsBackend()
            .provides(Fact.RESPONSE)
            .does(
                (state, exchange) ->
                    state.respond(
                        listUploadsResponse(
                            state, exchange.getIn().getBody(ListMultipartUploadsResponse.class)))));
  }
}
