package io.github.s3eg.pipeline;

import io.github.s3eg.backend.ContentMd5;
import io.github.s3eg.crypto.Compression;
import io.github.s3eg.crypto.CryptoException;
import io.github.s3eg.crypto.EncryptionSession;
import io.github.s3eg.crypto.MultipartIndex;
import io.github.s3eg.crypto.ObjectEncryptor;
import io.github.s3eg.crypto.ObjectRebinder;
import io.github.s3eg.crypto.OpenedObject;
import io.github.s3eg.crypto.s3ec.S3ecObject;
import io.github.s3eg.multipart.MultipartIndexes;
import io.github.s3eg.multipart.MultipartState;
import io.github.s3eg.pipeline.BackendCall.GatewayRecord;
import io.github.s3eg.pipeline.CiphertextLocator.Located;
import io.github.s3eg.s3.AclHeaders;
import io.github.s3eg.s3.CopySource;
import io.github.s3eg.s3.ObjectHeaders;
import io.github.s3eg.s3.S3ErrorCode;
import io.github.s3eg.s3.S3Exception;
import io.github.s3eg.s3.S3Request;
import io.github.s3eg.s3.S3Response;
import io.github.s3eg.s3.xml.XmlWriter;
import io.github.s3eg.versions.NewVersionSettings;
import io.github.s3eg.versions.NewVersions;
import io.github.s3eg.versions.TagSet;
import io.github.s3eg.versions.WriteRequirements;
import java.io.IOException;
import java.io.InputStream;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import org.apache.camel.Exchange;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import software.amazon.awssdk.core.ResponseInputStream;
import software.amazon.awssdk.services.s3.model.AbortMultipartUploadRequest;
import software.amazon.awssdk.services.s3.model.CompleteMultipartUploadRequest;
import software.amazon.awssdk.services.s3.model.CompleteMultipartUploadResponse;
import software.amazon.awssdk.services.s3.model.CompletedPart;
import software.amazon.awssdk.services.s3.model.CopyObjectRequest;
import software.amazon.awssdk.services.s3.model.CopyObjectResponse;
import software.amazon.awssdk.services.s3.model.CreateMultipartUploadRequest;
import software.amazon.awssdk.services.s3.model.CreateMultipartUploadResponse;
import software.amazon.awssdk.services.s3.model.DeleteObjectRequest;
import software.amazon.awssdk.services.s3.model.GetObjectRequest;
import software.amazon.awssdk.services.s3.model.GetObjectResponse;
import software.amazon.awssdk.services.s3.model.GetObjectTaggingRequest;
import software.amazon.awssdk.services.s3.model.GetObjectTaggingResponse;
import software.amazon.awssdk.services.s3.model.HeadObjectRequest;
import software.amazon.awssdk.services.s3.model.HeadObjectResponse;
import software.amazon.awssdk.services.s3.model.MetadataDirective;
import software.amazon.awssdk.services.s3.model.PutObjectRequest;
import software.amazon.awssdk.services.s3.model.UploadPartCopyRequest;
import software.amazon.awssdk.services.s3.model.UploadPartCopyResponse;

/**
 * CopyObject ({@code PUT} with {@code x-amz-copy-source}) as route steps around its backend calls.
 * The source is read with a HEAD (and, for a multipart source, its part index), then copied one of
 * three ways ({@link Kind}):
 *
 * <ul>
 *   <li>{@code SERVER_SIDE}: a source encrypted with the configured algorithm; its data key is
 *       re-wrapped for the destination's bucket and key and the backend copies the body (no object
 *       bytes pass through the gateway);
 *   <li>{@code PARTWISE}: a multipart source, copied part by part on the backend (each part is
 *       bound to its number), with its own index for the new name;
 *   <li>{@code REENCRYPT}: a source encrypted with another algorithm, or a plaintext source (only
 *       readable with {@code ENCRYPTION_ALLOW_PLAINTEXT_READS=true}), read and encrypted again by
 *       streaming, under the current algorithm and compression.
 * </ul>
 *
 * <p>S3's metadata directive applies to the client's metadata: {@code COPY} keeps the source's
 * headers and metadata, {@code REPLACE} takes them from this request.
 */
public final class CopySteps {

  private static final Logger LOG = LoggerFactory.getLogger(CopySteps.class);

  /** How a copy is made. */
  public enum Kind {
    SERVER_SIDE,
    PARTWISE,
    REENCRYPT
  }

  /** What a copy learns on the way through its steps. */
  static final class Work {
    CopySource source;
    boolean replace;
    StoredObject sourceObject;
    ObjectKey sourceKey;
    CiphertextLocator sourceLocator;
    Located.Described sourceDescribed;
    ObjectHeaders headers;
    Kind kind;
    // PARTWISE
    OpenedObject target;
    Map<String, String> targetMetadata;
    String uploadId;
    final List<CompletedPart> parts = new ArrayList<>();
    byte[] targetIndex;
    // REENCRYPT
    Optional<String> sourceEtagEntry = Optional.empty();
    Object putAnswer;
    boolean plaintextMismatch;
    Instant lastModified;
    // the new version: the lock settings and tags it gets, its ACL, its id and metadata
    NewVersionSettings settings = NewVersionSettings.NONE;
    AclHeaders acl = AclHeaders.NONE;
    String versionId;
    Map<String, String> writtenMetadata = Map.of();
    boolean tagsAsked;
    boolean headAsked;

    /** Read from routes: {@code ${exchangeProperty.s3eg.copy.kind}}. */
    public Kind kind() {
      return kind;
    }
  }

  private final DecryptObject keys;
  private final ObjectRebinder rebinder;
  private final ObjectEncryptor encryptor;
  private final CompressionPolicy compression;
  private final long spoolLimit;
  private final MultipartState multipart;
  private final io.github.s3eg.backend.BackendClients backend;
  private NewVersions newVersions;
  private WriteRequirements requirements;

  /**
   * Copies get the lock settings and tags they ask for, and are spooled for their ciphertext's MD5
   * where the bucket needs it ({@code requirements}).
   */
  public void followVersioning(NewVersions versions, WriteRequirements requirements) {
    this.newVersions = versions;
    this.requirements = requirements;
  }

  public CopySteps(
      DecryptObject keys,
      ObjectRebinder rebinder,
      ObjectEncryptor encryptor,
      CompressionPolicy compression,
      long spoolLimit,
      MultipartState multipart,
      io.github.s3eg.backend.BackendClients backend) {
    this.backend = backend;
    this.keys = keys;
    this.rebinder = rebinder;
    this.encryptor = encryptor;
    this.compression = compression;
    this.spoolLimit = spoolLimit;
    this.multipart = multipart;
  }

  // ---- the source

  static HeadObjectRequest sourceRequest(RequestState state) {
    S3Request s3 = state.request();
    Work work = state.copy();
    work.source = CopySource.of(s3);
    work.replace = replaceDirective(s3);
    boolean newSettings =
        s3.header(ObjectHeaders.STORAGE_CLASS) != null
            || s3.header(ObjectHeaders.WEBSITE_REDIRECT_LOCATION) != null;
    // (Copying an older version over its key is how a version is restored: allowed.)
    if (!work.replace
        && !newSettings
        && work.source.versionId() == null
        && work.source.bucket().equals(s3.bucket())
        && work.source.key().equals(s3.key())) {
      throw new S3Exception(
          S3ErrorCode.INVALID_REQUEST,
          "This copy request is illegal because it is trying to copy an object to itself without changing the object's metadata, storage class, website redirect location or encryption attributes.");
    }
    return HeadObjectRequest.builder()
        .bucket(work.source.bucket())
        .key(work.source.key())
        .versionId(work.source.versionId())
        .build();
  }

  /**
   * The source's HEAD failed. A HEAD answer has no body, so its 404 cannot say whether the key or
   * its whole bucket is missing; S3 answers a copy from a missing bucket with NoSuchBucket, so the
   * bucket is looked up once (see {@link ObjectHead}). Always throws.
   */
  void copySourceMissing(RequestState state, Exception caught) throws Exception {
    if (caught == null) {
      throw new IllegalStateException("'copySourceMissing' outside a doCatch");
    }
    Work work = state.copy();
    if (work.source != null
        && caught instanceof software.amazon.awssdk.services.s3.model.S3Exception missing
        && missing.statusCode() == 404) {
      ObjectHead.of(backend.s3(), work.source.bucket(), work.source.key(), missing);
    }
    throw caught;
  }

  void resolveSourceKey(RequestState state, HeadObjectResponse head) throws CryptoException {
    Work work = state.copy();
    if (work.source == null || head == null) {
      throw new MissingStepException(Fact.STORED_OBJECT, "step 'resolveSourceKey'");
    }
    work.sourceObject = StoredObject.of(work.source.bucket(), work.source.key(), head);
    work.sourceKey =
        keys.resolve(work.source.bucket(), work.source.key(), work.sourceObject.metadata());
    state.provide(Fact.SOURCE_KEY);
  }

  /** One turn of finding the source's size and ETag (a multipart source: its part index). */
  GetObjectRequest locateSource(RequestState state, Object answer) throws Exception {
    Work work = state.copy();
    if (work.sourceLocator == null) {
      work.sourceLocator =
          new CiphertextLocator(
              work.sourceKey, work.sourceObject, null, false, multipart, state::release, false);
    } else if (work.sourceLocator.next() != null) {
      @SuppressWarnings("unchecked")
      ResponseInputStream<GetObjectResponse> in = (ResponseInputStream<GetObjectResponse>) answer;
      work.sourceLocator.accept(in);
    }
    if (work.sourceLocator.next() == null) {
      work.sourceDescribed = (Located.Described) work.sourceLocator.located();
      state.provide(Fact.SOURCE_LOCATED);
    }
    return work.sourceLocator.next();
  }

  // ---- planCopy

  /** The source conditions, the destination's headers, and how the copy is made. */
  void planCopy(RequestState state) {
    S3Request s3 = state.request();
    Work work = state.copy();
    StoredObject src = work.sourceObject;
    checkCopyConditions(s3, work.sourceDescribed.etag(), src.lastModified());
    if (work.replace) {
      work.headers = ObjectHeaders.fromRequest(s3);
      EncryptObject.rejectReservedMetadata(work.headers.userMetadata());
    } else {
      work.headers = src.headers().withSettingsOf(s3);
    }
    work.settings = NewVersionSettings.fromCopy(s3);
    if (newVersions != null) {
      newVersions.features().requireObjectLockFor(s3.bucket(), work.settings.lock());
    }
    work.acl = state.acl(); // S3 gives a copy the default ACL unless the request asks for one
    if (work.sourceKey.s3ecOrNull() != null) {
      // An S3 Encryption Client object becomes a gateway object: read, verified, encrypted.
      work.kind = Kind.REENCRYPT;
      state.provide(Fact.COPY_PLANNED);
      return;
    }
    Optional<OpenedObject> opened = work.sourceKey.opened();
    if (opened.isPresent() && opened.get().isMultipart()) {
      work.kind = Kind.PARTWISE;
    } else if (opened.isEmpty() || opened.get().algorithm() != encryptor.algorithm()) {
      work.kind = Kind.REENCRYPT;
    } else {
      work.kind = Kind.SERVER_SIDE;
    }
    state.provide(Fact.COPY_PLANNED);
  }

  // ---- the source's tags

  /**
   * A copy gets the source's tags unless it names its own (S3's COPY tagging directive): the
   * gateway reads them, so that each way of copying gives them (Ceph RGW 16.2 drops them under the
   * REPLACE metadata directive the gateway's server-side copy needs). One turn: the first returns
   * the read of the source's tags (null when the copy names its own); the second takes its answer
   * (null on a backend without tagging: none).
   */
  static GetObjectTaggingRequest sourceTags(RequestState state, Object answer) {
    Work work = state.copy();
    if (!work.tagsAsked && work.settings.tags().isEmpty()) {
      work.tagsAsked = true;
      return GetObjectTaggingRequest.builder()
          .bucket(work.source.bucket())
          .key(work.source.key())
          .versionId(work.source.versionId())
          .build();
    }
    if (answer instanceof GetObjectTaggingResponse r) {
      TagSet tags = TagSet.of(r.tagSet());
      if (!tags.isEmpty()) {
        work.settings = work.settings.withTagsIfNone(tags);
      }
    }
    state.provide(Fact.SOURCE_TAGS);
    return null;
  }

  // ---- SERVER_SIDE

  /** The data key re-wrapped for the destination; the backend copies the body unchanged. */
  CopyObjectRequest rewrapRequest(RequestState state) throws CryptoException {
    S3Request s3 = state.request();
    Work work = state.copy();
    Map<String, String> metadata = new LinkedHashMap<>(work.headers.userMetadata());
    metadata.putAll(
        rebinder.rebind(
            work.source.bucket(),
            work.source.key(),
            work.sourceObject.metadata(),
            s3.bucket(),
            s3.key()));
    CopyObjectRequest.Builder b =
        CopyObjectRequest.builder()
            .sourceBucket(work.source.bucket())
            .sourceKey(work.source.key())
            .destinationBucket(s3.bucket())
            .destinationKey(s3.key())
            .sourceVersionId(work.source.versionId())
            // The wrapped key was made for exactly this source version.
            .copySourceIfMatch(work.sourceObject.eTag())
            .metadataDirective(MetadataDirective.REPLACE);
    BackendHeaders.apply(work.headers, metadata, b);
    work.settings.applyTo(b);
    work.acl.applyToObject(
        b::acl, b::grantFullControl, b::grantRead, b::grantReadACP, b::grantWriteACP);
    state.writeCondition().applyTo(b);
    work.writtenMetadata = metadata;
    return b.build();
  }

  static void serverSideCopied(RequestState state, CopyObjectResponse copied) {
    state.copy().lastModified = copied.copyObjectResult().lastModified();
    state.copy().versionId = copied.versionId();
  }

  // ---- PARTWISE

  /**
   * A multipart source is copied part by part on the backend (UploadPartCopy of each stored part,
   * same part numbers, since each part is bound to its number): no byte passes through the gateway,
   * objects above 5 GiB copy like any other, and the copy is again a multipart object (format
   * version 4) with its own index (MAC'd for the new name, written before the backend completes the
   * copy) and the source's ETag.
   */
  CreateMultipartUploadRequest partwiseStart(RequestState state) throws CryptoException {
    S3Request s3 = state.request();
    Work work = state.copy();
    // An upload of its own (a fresh upload header): its records are its alone.
    Map<String, String> crypto =
        rebinder.rebindAsNewUpload(
            work.source.bucket(),
            work.source.key(),
            work.sourceObject.metadata(),
            s3.bucket(),
            s3.key());
    work.target = keys.resolve(s3.bucket(), s3.key(), crypto).opened().orElseThrow();
    work.targetMetadata = new LinkedHashMap<>(work.headers.userMetadata());
    work.targetMetadata.putAll(crypto);
    work.writtenMetadata = work.targetMetadata;
    CreateMultipartUploadRequest.Builder b =
        CreateMultipartUploadRequest.builder().bucket(s3.bucket()).key(s3.key());
    work.settings.applyTo(b);
    BackendHeaders.apply(work.headers, work.targetMetadata, b);
    work.acl.applyToObject(
        b::acl, b::grantFullControl, b::grantRead, b::grantReadACP, b::grantWriteACP);
    return b.build();
  }

  /**
   * One turn of the part copies: {@code answer} is the Create's or the last part copy's answer.
   * Returns the next part's copy, or null when every part is copied.
   */
  static UploadPartCopyRequest partwiseNext(RequestState state, Object answer) {
    S3Request s3 = state.request();
    Work work = state.copy();
    MultipartIndex index = work.sourceDescribed.index();
    if (answer instanceof CreateMultipartUploadResponse created) {
      work.uploadId = created.uploadId();
    } else if (answer instanceof UploadPartCopyResponse copied) {
      int number = index.parts().get(work.parts.size()).number();
      work.parts.add(
          CompletedPart.builder().partNumber(number).eTag(copied.copyPartResult().eTag()).build());
    }
    int i = work.parts.size();
    if (i >= index.parts().size()) {
      return null;
    }
    String range = "bytes=" + index.ciphertextStart(i) + "-" + (index.ciphertextStart(i + 1) - 1);
    return UploadPartCopyRequest.builder()
        .sourceBucket(work.source.bucket())
        .sourceKey(work.source.key())
        .sourceVersionId(work.source.versionId())
        .copySourceIfMatch(work.sourceObject.eTag())
        .copySourceRange(range)
        .destinationBucket(s3.bucket())
        .destinationKey(s3.key())
        .uploadId(work.uploadId)
        .partNumber(index.parts().get(i).number())
        .build();
  }

  /**
   * The copy's own part index, sealed for its name, written before the backend completes the copy
   * (under the name of its upload): the completed copy never lacks it.
   */
  GatewayRecord partwiseIndex(RequestState state) {
    S3Request s3 = state.request();
    Work work = state.copy();
    work.targetIndex =
        work.target.sealIndex(
            work.sourceDescribed.index().forUpload(work.target.header()), s3.bucket(), s3.key());
    return new GatewayRecord(
        s3.bucket(), MultipartIndexes.nameOf(work.target, s3.key()), work.targetIndex);
  }

  /** The backend's Complete of the copy, once every part is copied and its index is stored. */
  static CompleteMultipartUploadRequest partwiseComplete(RequestState state) {
    S3Request s3 = state.request();
    Work work = state.copy();
    if (work.targetIndex == null) {
      throw new MissingStepException(Fact.RECORDED, "step 'partwiseCopyComplete'");
    }
    state.require(Fact.RECORDED, "partwiseCopyComplete");
    CompleteMultipartUploadRequest.Builder b =
        CompleteMultipartUploadRequest.builder()
            .bucket(s3.bucket())
            .key(s3.key())
            .uploadId(work.uploadId)
            .multipartUpload(m -> m.parts(work.parts));
    state.writeCondition().applyTo(b);
    return b.build();
  }

  /** The copy is complete: this instance keeps its index for reads and listings. */
  void partwiseCopied(RequestState state, Object completed) {
    S3Request s3 = state.request();
    Work work = state.copy();
    multipart.completed(s3.bucket(), s3.key(), work.targetIndex);
    work.lastModified = Instant.now();
    if (completed instanceof CompleteMultipartUploadResponse r) {
      work.versionId = r.versionId();
    }
  }

  /** A failed part-by-part copy leaves no upload behind (null when none was created). */
  static AbortMultipartUploadRequest partwiseAbort(RequestState state) {
    S3Request s3 = state.request();
    Work work = state.copy();
    return work.uploadId == null
        ? null
        : AbortMultipartUploadRequest.builder()
            .bucket(s3.bucket())
            .key(s3.key())
            .uploadId(work.uploadId)
            .build();
  }

  // ---- REENCRYPT

  /** The source's body, exactly the version whose metadata was opened. */
  static GetObjectRequest reencryptRead(RequestState state) {
    Work work = state.copy();
    return GetObjectRequest.builder()
        .bucket(work.source.bucket())
        .key(work.source.key())
        .versionId(work.source.versionId())
        .ifMatch(work.sourceObject.eTag())
        .build();
  }

  /**
   * A copy is a new write, so it gets the current settings: the configured algorithm, and
   * compression if the policy chooses it for the destination's content type and size. The source is
   * decrypted and encrypted again as it streams ({@code backend:putObject} sends it); memory stays
   * bounded whatever the size (a compressed copy is spooled as ciphertext for its length).
   */
  PutObjectRequest reencrypt(RequestState state, ResponseInputStream<GetObjectResponse> in)
      throws CryptoException, IOException {
    S3Request s3 = state.request();
    Work work = state.copy();
    S3ecObject s3ec = work.sourceKey.s3ecOrNull();
    Optional<OpenedObject> opened = s3ec != null ? Optional.empty() : work.sourceKey.opened();
    long size = work.sourceDescribed.plaintextSize();
    ObjectHeaders headers = work.headers;
    boolean spool =
        requirements != null
            && requirements.of(s3.bucket(), !work.settings.lock().isEmpty()).ciphertextMd5();
    Optional<Compression> chosen =
        compression.choose(headers.contentType(), headers.contentEncoding(), size);
    EncryptionSession session =
        chosen.isPresent()
            ? encryptor.begin(s3.bucket(), s3.key(), chosen.get(), compression.level())
            : encryptor.begin(s3.bucket(), s3.key());
    InputStream plaintext;
    if (s3ec != null) {
      // Its one GCM message is verified whole before the upload starts: a tampered source never
      // leaves a partial copy.
      long stored = work.sourceObject.storedSize();
      try {
        plaintext = s3ec.readVerified(in, stored, 0, size - 1, spoolLimit);
      } catch (IOException | CryptoException | RuntimeException e) {
        in.abort();
        throw e;
      }
      state.onDone(plaintext::close);
    } else {
      plaintext = opened.isPresent() ? opened.get().decrypt(in) : in;
    }
    Map<String, String> metadata = new LinkedHashMap<>(headers.userMetadata());
    EncryptedUpload.Whole upload;
    if (session.isCompressed() || spool) {
      UploadSpool spooled = UploadSpool.fill(session.encrypt(plaintext), spoolLimit);
      state.onDone(spooled::close);
      metadata.putAll(session.completeMetadata());
      keepChecksum(opened, session, metadata);
      upload =
          new EncryptedUpload.Whole(
              spooled.open(),
              spooled.length(),
              headers,
              metadata,
              session,
              false,
              Optional.empty(),
              ContentMd5.encode(spooled.md5()));
    } else {
      metadata.putAll(session.metadata());
      keepChecksum(opened, session, metadata);
      work.sourceEtagEntry = opened.flatMap(OpenedObject::plaintextEtag);
      work.sourceEtagEntry.ifPresent(
          md5 ->
              metadata.putAll(session.sealedTrailerMetadata(HexFormat.of().parseHex(md5), size)));
      upload =
          new EncryptedUpload.Whole(
              session.encrypt(plaintext),
              session.ciphertextSize(size),
              headers,
              metadata,
              session,
              work.sourceEtagEntry.isEmpty(),
              Optional.empty(),
              null);
    }
    work.writtenMetadata = metadata;
    state.provideCiphertext(upload);
    return ObjectOperations.putObjectRequest(
        s3, upload, state.writeCondition(), work.acl, work.settings);
  }

  /** The source's authenticated client checksum goes with the plaintext, sealed anew. */
  private static void keepChecksum(
      Optional<OpenedObject> opened, EncryptionSession session, Map<String, String> metadata) {
    opened
        .flatMap(OpenedObject::checksum)
        .ifPresent(
            c -> metadata.putAll(session.sealedChecksumMetadata(c.algorithm(), c.checksum())));
  }

  /**
   * The source's authenticated MD5 must describe the plaintext that was copied: otherwise the copy
   * is removed (the request for that), never kept with an ETag that claims it. Null when it does.
   */
  static DeleteObjectRequest checkCopiedPlaintext(RequestState state) {
    S3Request s3 = state.request();
    Work work = state.copy();
    EncryptedUpload.Whole upload = (EncryptedUpload.Whole) state.ciphertext();
    work.lastModified = Instant.now();
    String written =
        work.putAnswer instanceof software.amazon.awssdk.services.s3.model.PutObjectResponse put
            ? put.versionId()
            : null;
    work.versionId = written;
    if (work.sourceEtagEntry.isPresent()
        && !work.sourceEtagEntry.get().equals(upload.session().plaintextEtag())) {
      work.plaintextMismatch = true;
      // In a versioned bucket: that version, not a delete marker over it.
      return DeleteObjectRequest.builder()
          .bucket(s3.bucket())
          .key(s3.key())
          .versionId(written)
          .build();
    }
    return null;
  }

  static void copiedPlaintextMismatch(RequestState state) {
    Work work = state.copy();
    LOG.error(
        "request {}: the plaintext of {}/{} does not match its recorded MD5; copy removed",
        state.requestId(),
        work.source.bucket(),
        work.source.key());
    throw new S3Exception(
        S3ErrorCode.INTERNAL_ERROR, "The source object's recorded checksum does not match it.");
  }

  /** The self-copy that records the ETag entry when the source had none; else null. */
  static CopyObjectRequest recordCopiedEtag(
      RequestState state, software.amazon.awssdk.services.s3.model.PutObjectResponse stored) {
    EncryptedUpload.Whole upload = (EncryptedUpload.Whole) state.ciphertext();
    return upload.etagAfterUpload()
        ? ObjectOperations.recordEtagRequest(
            state.request(), upload, stored.eTag(), state.copy().acl)
        : null;
  }

  // ---- the copy's version

  /**
   * One turn of settling the new version: its id (a backend that names none in its answer, as Ceph
   * RGW 16.2's CopyObject, is asked with a HEAD of the key, in a bucket that keeps versions), then
   * its lock settings and tags, and its records protected like it. {@code answer} is the HEAD's on
   * the second turn. Returns the HEAD to send, or null once settled.
   */
  HeadObjectRequest copyVersion(RequestState state, Object answer) {
    S3Request s3 = state.request();
    Work work = state.copy();
    if (newVersions == null) {
      state.provide(Fact.VERSION_SETTLED);
      return null;
    }
    if (work.headAsked && answer instanceof HeadObjectResponse latest) {
      String pinned = io.github.s3eg.s3.RequestedVersion.pin(latest.versionId());
      String wrapped = work.writtenMetadata.get(io.github.s3eg.crypto.ObjectMetadata.DEK);
      if (pinned == null) {
        work.versionId = null;
      } else if (java.util.Objects.equals(
          latest.metadata().get(io.github.s3eg.crypto.ObjectMetadata.DEK), wrapped)) {
        work.versionId = latest.versionId();
      } else {
        // A concurrent writer's version is the latest: look among the newest (not steps).
        work.versionId = newVersions.locate(s3.bucket(), s3.key(), work.writtenMetadata);
      }
    } else if (!work.headAsked
        && work.versionId == null
        && newVersions.features().keepsVersions(s3.bucket())) {
      work.headAsked = true;
      return HeadObjectRequest.builder().bucket(s3.bucket()).key(s3.key()).build();
    }
    newVersions.settle(s3.bucket(), s3.key(), work.versionId, work.writtenMetadata, work.settings);
    state.provide(Fact.VERSION_SETTLED);
    return null;
  }

  // ---- the answer

  static S3Response copyObjectResponse(RequestState state) {
    Work work = state.copy();
    if (work.plaintextMismatch) {
      // Also when a route edit took 'copiedPlaintextMismatch' out: never answer success.
      copiedPlaintextMismatch(state);
    }
    Instant lastModified = work.lastModified == null ? Instant.now() : work.lastModified;
    XmlWriter xml =
        new XmlWriter()
            .root("CopyObjectResult")
            .element("LastModified", ObjectHeaders.xmlDate(lastModified))
            .element("ETag", work.sourceDescribed.etag());
    return S3Response.xml(200, xml.toBytes())
        .header("x-amz-version-id", work.versionId)
        .header(
            "x-amz-copy-source-version-id",
            io.github.s3eg.s3.RequestedVersion.pin(work.sourceObject.versionId()));
  }

  // ---- helpers

  private static void applyHeaders(
      ObjectHeaders headers, Map<String, String> metadata, CopyObjectRequest.Builder b) {
    BackendHeaders.apply(headers, metadata, b);
  }

  private static boolean replaceDirective(S3Request s3) {
    String directive = s3.header("x-amz-metadata-directive");
    if (directive == null || directive.trim().equalsIgnoreCase("COPY")) {
      return false;
    }
    if (directive.trim().toUpperCase(Locale.ROOT).equals("REPLACE")) {
      return true;
    }
    throw new S3Exception(S3ErrorCode.INVALID_ARGUMENT, "Unknown metadata directive.")
        .with("ArgumentName", "x-amz-metadata-directive");
  }

  /** {@code x-amz-copy-source-if-*}, against the source's plaintext ETag; S3 answers 412. */
  static void checkCopyConditions(S3Request s3, String etag, Instant lastModified) {
    CopyOperation.checkCopyConditions(s3, etag, lastModified);
  }

  // ---- the steps

  void addTo(java.util.function.Consumer<Step> add) {
    add.accept(
        Step.named("copySourceRequest")
            .callsBackend()
            .does((state, exchange) -> exchange.getIn().setBody(sourceRequest(state))));
    add.accept(
        Step.named("copySourceMissing")
            .callsBackend()
            .alwaysFails() // the answer is the source's 404, or NoSuchBucket
            .does(
                (state, exchange) -> {
                  Exception caught =
                      exchange.getProperty(Exchange.EXCEPTION_CAUGHT, Exception.class);
                  copySourceMissing(state, caught);
                }));
    add.accept(
        Step.named("resolveSourceKey")
            .callsBackend()
            .provides(Fact.SOURCE_KEY)
            .does(
                (state, exchange) ->
                    resolveSourceKey(state, exchange.getIn().getBody(HeadObjectResponse.class))));
    add.accept(
        Step.named("locateSource")
            .callsBackend()
            .requires(Fact.SOURCE_KEY)
            .provides(Fact.SOURCE_LOCATED)
            .does(
                (state, exchange) ->
                    exchange.getIn().setBody(locateSource(state, exchange.getIn().getBody()))));
    add.accept(
        Step.named("planCopy")
            .callsBackend()
            // The destination's If-None-Match / If-Match ('checkWriteConditions'): the backend
            // write of the copy (CopyObject, the partwise Complete, the re-encrypted PUT) carries
            // it.
            .requires(
                Fact.SOURCE_LOCATED,
                Fact.CACHE_INVALIDATED,
                Fact.WRITE_CHECKED,
                Fact.BUCKET_FEATURES)
            .provides(Fact.COPY_PLANNED)
            .does((state, exchange) -> planCopy(state)));
    add.accept(
        Step.named("sourceTags")
            .callsBackend()
            .requires(Fact.COPY_PLANNED)
            .provides(Fact.SOURCE_TAGS)
            .does(
                (state, exchange) ->
                    exchange.getIn().setBody(sourceTags(state, exchange.getIn().getBody()))));
    add.accept(
        Step.named("copyVersion")
            .callsBackend()
            .requires(Fact.COPY_PLANNED, Fact.STORED)
            .provides(Fact.VERSION_SETTLED)
            .does(
                (state, exchange) ->
                    exchange.getIn().setBody(copyVersion(state, exchange.getIn().getBody()))));
    add.accept(
        Step.named("rewrapRequest")
            .callsBackend()
            .requires(Fact.COPY_PLANNED, Fact.SOURCE_TAGS)
            .does((state, exchange) -> exchange.getIn().setBody(rewrapRequest(state))));
    add.accept(
        Step.named("serverSideCopied")
            .requires(Fact.STORED)
            .does(
                (state, exchange) ->
                    serverSideCopied(state, exchange.getIn().getBody(CopyObjectResponse.class))));
    add.accept(
        Step.named("partwiseCopyStart")
            .callsBackend()
            .requires(Fact.COPY_PLANNED, Fact.SOURCE_TAGS)
            .does((state, exchange) -> exchange.getIn().setBody(partwiseStart(state))));
    add.accept(
        Step.named("partwiseCopyNext")
            .callsBackend()
            .requires(Fact.COPY_PLANNED)
            .does(
                (state, exchange) ->
                    exchange.getIn().setBody(partwiseNext(state, exchange.getIn().getBody()))));
    add.accept(
        Step.named("partwiseCopyComplete")
            .callsBackend()
            .requires(Fact.COPY_PLANNED, Fact.RECORDED)
            .does((state, exchange) -> exchange.getIn().setBody(partwiseComplete(state))));
    add.accept(
        Step.named("partwiseCopyIndex")
            .callsBackend()
            .requires(Fact.COPY_PLANNED)
            .does((state, exchange) -> exchange.getIn().setBody(partwiseIndex(state))));
    add.accept(
        Step.named("partwiseCopied")
            .requires(Fact.STORED)
            .does((state, exchange) -> partwiseCopied(state, exchange.getIn().getBody())));
    add.accept(
        Step.named("partwiseCopyAbort")
            .callsBackend()
            .does((state, exchange) -> exchange.getIn().setBody(partwiseAbort(state))));
    add.accept(
        Step.named("reencryptRead")
            .callsBackend()
            .requires(Fact.COPY_PLANNED)
            .does((state, exchange) -> exchange.getIn().setBody(reencryptRead(state))));
    add.accept(
        Step.named("reencrypt")
            .callsBackend()
            .requires(Fact.COPY_PLANNED, Fact.SOURCE_TAGS)
            .provides(Fact.CIPHERTEXT)
            .does(
                (state, exchange) -> {
                  @SuppressWarnings("unchecked")
                  ResponseInputStream<GetObjectResponse> in =
                      exchange.getIn().getBody(ResponseInputStream.class);
                  exchange.getIn().setBody(reencrypt(state, in));
                }));
    add.accept(
        Step.named("checkCopiedPlaintext")
            .callsBackend()
            .requires(Fact.STORED, Fact.CIPHERTEXT)
            .does(
                (state, exchange) -> {
                  Object stored = exchange.getIn().getBody();
                  state.copy().putAnswer = stored;
                  exchange.getIn().setBody(checkCopiedPlaintext(state));
                }));
    add.accept(
        Step.named("copiedPlaintextMismatch")
            .alwaysFails()
            .does((state, exchange) -> copiedPlaintextMismatch(state)));
    add.accept(
        Step.named("recordCopiedEtag")
            .callsBackend()
            .requires(Fact.STORED, Fact.CIPHERTEXT)
            .does(
                (state, exchange) ->
                    exchange
                        .getIn()
                        .setBody(
                            recordCopiedEtag(
                                state,
                                (software.amazon.awssdk.services.s3.model.PutObjectResponse)
                                    state.copy().putAnswer))));
    add.accept(
        Step.named("copyObjectResponse")
            .requires(Fact.COPY_PLANNED, Fact.STORED, Fact.VERSION_SETTLED)
            .provides(Fact.RESPONSE)
            .does((state, exchange) -> state.respond(copyObjectResponse(state))));
  }
}
