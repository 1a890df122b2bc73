package io.github.s3eg.pipeline;

import io.github.s3eg.backend.BackendClients;
import io.github.s3eg.backend.ContentMd5;
import io.github.s3eg.backend.ReservedKeys;
import io.github.s3eg.backend.WriteCondition;
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
import io.github.s3eg.s3.CopySource;
import io.github.s3eg.s3.ListingEncoding;
import io.github.s3eg.s3.ObjectHeaders;
import io.github.s3eg.s3.S3ErrorCode;
import io.github.s3eg.s3.S3Exception;
import io.github.s3eg.s3.S3Request;
import io.github.s3eg.s3.S3Response;
import io.github.s3eg.s3.body.ChecksumAlgorithm;
import io.github.s3eg.s3.body.ClientChecksum;
import io.github.s3eg.s3.checksum.ChecksumComputingStream;
import io.github.s3eg.s3.checksum.CompleteChecks;
import io.github.s3eg.s3.checksum.CompletedChecksum;
import io.github.s3eg.s3.checksum.ObjectChecksum;
import io.github.s3eg.s3.checksum.PartChecksum;
import io.github.s3eg.s3.checksum.UploadChecksum;
import io.github.s3eg.s3.xml.XmlReader;
import io.github.s3eg.s3.xml.XmlWriter;
import io.github.s3eg.versions.NewVersionSettings;
import io.github.s3eg.versions.NewVersions;
import io.github.s3eg.versions.WriteRequirements;
import java.io.IOException;
import java.io.InputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Base64;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.UnaryOperator;
import org.apache.camel.Exchange;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import software.amazon.awssdk.services.s3.model.CompleteMultipartUploadResponse;
import software.amazon.awssdk.services.s3.model.CompletedPart;
import software.amazon.awssdk.services.s3.model.CreateMultipartUploadRequest;
import software.amazon.awssdk.services.s3.model.CreateMultipartUploadResponse;
import software.amazon.awssdk.services.s3.model.ListMultipartUploadsResponse;
import software.amazon.awssdk.services.s3.model.ListPartsResponse;
import software.amazon.awssdk.services.s3.model.MultipartUpload;
import software.amazon.awssdk.services.s3.model.Part;
import software.amazon.awssdk.services.s3.model.UploadPartRequest;
import software.amazon.awssdk.services.s3.model.UploadPartResponse;

/**
 * The multipart upload operations, encrypted part by part (format version 3, docs/object-format.md
 * §12):
 *
 * <ul>
 *   <li>Create: a fresh data key wrapped for the bucket and key, stored as the upload's metadata
 *       and in its upload record (so every gateway instance can encrypt its parts).
 *   <li>UploadPart / UploadPartCopy: each part is its own authenticated stream under a fresh random
 *       header, bound to its part number and size. The part's ETag is its plaintext MD5.
 *   <li>Complete: the gateway writes the object's sealed index, then the backend completes with its
 *       own part ETags, then the upload record goes. The object's ETag is S3's MD5-of-MD5s.
 * </ul>
 */
public final class MultipartOperations {

  private static final Logger LOG = LoggerFactory.getLogger(MultipartOperations.class);

  /** S3's smallest part, except the last. */
  static final long MIN_PART_SIZE = 5L * 1024 * 1024;

  /** S3's largest part. */
  static final long MAX_PART_SIZE = 5L * 1024 * 1024 * 1024;

  private static final String PART = "s3Part";
  private static final String PART_CHECKSUM = "s3PartChecksum";
  private static final String UPLOAD = "s3Upload";
  private static final String PART_SPOOL = "s3PartSpool";

  private final BackendClients backend;
  private final ObjectEncryptor encryptor;
  private final ObjectDecryptor decryptor;
  private final MultipartState state;
  private final PlaintextReader reader;
  private final ConditionalWrites conditions;
  private final GatewayMetrics metrics;
  private final MultipartChecksums checksums;
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

  MultipartOperations(
      BackendClients backend,
      ObjectEncryptor encryptor,
      ObjectDecryptor decryptor,
      MultipartState state,
      PlaintextReader reader,
      ConditionalWrites conditions,
      GatewayMetrics metrics,
      MultipartChecksums checksums) {
    this.backend = backend;
    this.encryptor = encryptor;
    this.decryptor = decryptor;
    this.state = state;
    this.reader = reader;
    this.conditions = conditions;
    this.metrics = metrics;
    this.checksums = checksums;
  }

  /** The bean the routes name, with its collaborators. */
  public static MultipartOperations create(
      BackendClients backend,
      ObjectEncryptor encryptor,
      ObjectDecryptor decryptor,
      DecryptObject decryption,
      MultipartState state,
      MultipartIndexes indexes,
      ConditionalWrites conditions,
      GatewayMetrics metrics,
      MultipartChecksums checksums) {
    return new MultipartOperations(
        backend,
        encryptor,
        decryptor,
        state,
        new PlaintextReader(backend, decryption, indexes),
        conditions,
        metrics,
        checksums);
  }

  // ---- CreateMultipartUpload: POST /bucket/key?uploads

  public void createMultipartUpload(Exchange exchange) throws CryptoException {
    S3Request s3 = ObjectOperations.request(exchange);
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
    CreateMultipartUploadRequest.Builder b =
        CreateMultipartUploadRequest.builder().bucket(s3.bucket()).key(s3.key());
    BackendHeaders.apply(headers, stored, b);
    settings.applyTo(b);
    ObjectOperations.acl(exchange)
        .applyToObject(
            b::acl, b::grantFullControl, b::grantRead, b::grantReadACP, b::grantWriteACP);
    CreateMultipartUploadResponse r = backend.uploads().createMultipartUpload(b.build());
    try {
      Map<String, String> record = new LinkedHashMap<>(crypto.toMap());
      checksum.ifPresent(c -> record.put(UploadChecksum.RECORD_ENTRY, c.encode()));
      // Kept for Complete: some backends drop them on Create (NewVersions applies them then).
      record.putAll(settings.toRecord());
      state.writeUploadRecord(s3.bucket(), s3.key(), r.uploadId(), record);
    } catch (RuntimeException e) {
      // Without its record no part could be encrypted: leave no upload behind.
      abortQuietly(s3.bucket(), s3.key(), r.uploadId());
      throw e;
    }
    ObjectOperations.auditKey(exchange, stored);
    XmlWriter xml =
        new XmlWriter()
            .root("InitiateMultipartUploadResult")
            .element("Bucket", s3.bucket())
            .element("Key", s3.key())
            .element("UploadId", r.uploadId());
    S3Response response = S3Response.xml(200, xml.toBytes());
    checksum.ifPresent(
        c ->
            response
                .header("x-amz-checksum-algorithm", c.algorithm().name())
                .header("x-amz-checksum-type", c.type().name()));
    exchange.setProperty(S3Response.PROPERTY, response);
  }

  // ---- UploadPart: PUT /bucket/key?partNumber=N&uploadId=ID

  /** Replaces the verified plaintext body with the encrypted part (a route step of its own). */
  public void encryptPart(Exchange exchange) throws CryptoException, IOException {
    S3Request s3 = ObjectOperations.request(exchange);
    int partNumber = partNumber(s3);
    long length = exchange.getProperty(ObjectOperations.BODY_LENGTH, Long.class);
    if (length > MAX_PART_SIZE) {
      throw new S3Exception(
          S3ErrorCode.ENTITY_TOO_LARGE, "Your proposed upload exceeds the maximum allowed size.");
    }
    Map<String, String> record = uploadRecord(s3);
    OpenedObject upload = openUpload(s3, record);
    InputStream plaintext = exchange.getIn().getBody(InputStream.class);
    PartChecksum checksum =
        PartChecksum.of(
            UploadChecksum.fromRecord(record),
            exchange.getProperty(ReadRequestBody.CLIENT_CHECKSUM, ClientChecksum.class),
            plaintext);
    EncryptedPart part = upload.encryptPart(partNumber, length, checksum.stream());
    exchange.setProperty(PART, part);
    exchange.setProperty(PART_CHECKSUM, checksum);
    exchange.setProperty(UPLOAD, upload);
    exchange.setProperty(ObjectOperations.BODY_LENGTH, part.ciphertextSize());
    exchange.getIn().setBody(part.stream());
    if (requirements != null
        && requirements.partNeedsMd5(
            s3.bucket(), !NewVersionSettings.fromRecord(record).lock().isEmpty())) {
      // Object Lock without checksum trailers: the part's ciphertext MD5 goes with it.
      UploadSpool spool = UploadSpool.fill(part.stream(), spoolLimit);
      exchange.getExchangeExtension().addOnCompletion(new EncryptObject.SpoolCleanup(spool));
      exchange.setProperty(PART_SPOOL, spool);
    }
  }

  /** Streams the encrypted part to the backend; answers with the plaintext MD5 as ETag. */
  public void uploadPart(Exchange exchange) throws IOException {
    S3Request s3 = ObjectOperations.request(exchange);
    EncryptedPart part = exchange.getProperty(PART, EncryptedPart.class);
    PartChecksum checksum = exchange.getProperty(PART_CHECKSUM, PartChecksum.class);
    UploadSpool spool = exchange.getProperty(PART_SPOOL, UploadSpool.class);
    long started = System.nanoTime();
    UploadPartResponse stored =
        backend
            .uploads()
            .uploadPart(
                UploadPartRequest.builder()
                    .bucket(s3.bucket())
                    .key(s3.key())
                    .uploadId(s3.param("uploadId"))
                    .partNumber(partNumber(s3))
                    .contentLength(part.ciphertextSize())
                    .contentMD5(spool == null ? null : ContentMd5.encode(spool.md5()))
                    .build(),
                ObjectOperations.oneShot(
                    spool == null ? part.stream() : spool.open(), part.ciphertextSize(), null));
    if (!part.isComplete()) {
      throw new S3Exception(S3ErrorCode.INCOMPLETE_BODY, "The part ended before its length.");
    }
    metrics.recordEncryption(
        "encrypt", "multipart", part.ciphertextSize(), System.nanoTime() - started, true);
    S3Response response = S3Response.status(200).header("ETag", "\"" + part.plaintextEtag() + "\"");
    Optional<ObjectChecksum> value = checksum == null ? Optional.empty() : checksum.value();
    if (value.isPresent() && checksum.recorded()) {
      // Kept until Complete, bound to the stored part by its backend ETag.
      checksums.recordPart(
          s3.bucket(),
          s3.key(),
          s3.param("uploadId"),
          exchange.getProperty(UPLOAD, OpenedObject.class),
          partNumber(s3),
          stored.eTag(),
          value.get().algorithm().name(),
          value.get().value());
    }
    value.ifPresent(v -> v.writeValueTo(response));
    exchange.setProperty(S3Response.PROPERTY, response);
  }

  // ---- UploadPartCopy: PUT ...?partNumber&uploadId with x-amz-copy-source

  /** Reads the source range through the gateway (decrypting) and stores it as an encrypted part. */
  public void uploadPartCopy(Exchange exchange) throws CryptoException, IOException {
    S3Request s3 = ObjectOperations.request(exchange);
    int partNumber = partNumber(s3);
    CopySource source = CopySource.of(s3);
    Map<String, String> record = uploadRecord(s3);
    OpenedObject upload = openUpload(s3, record);
    Optional<UploadChecksum> checksum = UploadChecksum.fromRecord(record);
    PlaintextReader.Described d =
        reader.describe(source.bucket(), source.key(), source.versionId());
    CopyOperation.checkCopyConditions(s3, d.etag(), d.head().lastModified());
    String range = s3.header("x-amz-copy-source-range");
    if (range != null && !range.trim().matches("bytes=\\d{1,18}-\\d{1,18}")) {
      throw new S3Exception(
              S3ErrorCode.INVALID_ARGUMENT,
              "The x-amz-copy-source-range value must be of the form bytes=first-last.")
          .with("ArgumentName", "x-amz-copy-source-range");
    }
    if (range != null) {
      String[] ab = range.trim().substring(6).split("-");
      if (Long.parseLong(ab[1]) >= d.size() || Long.parseLong(ab[0]) > Long.parseLong(ab[1])) {
        throw new S3Exception(
            S3ErrorCode.INVALID_RANGE, "The x-amz-copy-source-range is outside the source.");
      }
    }
    PlaintextReader.Source src = reader.open(source.bucket(), source.key(), d, range);
    try {
      if (src.length() > MAX_PART_SIZE) {
        throw new S3Exception(
            S3ErrorCode.ENTITY_TOO_LARGE, "A part copy cannot exceed 5 GiB; give a range.");
      }
      // The upload's checksum of the copied range is computed here, as S3 does for a part copy.
      ChecksumComputingStream computed =
          checksum.map(c -> new ChecksumComputingStream(src.stream(), c.algorithm())).orElse(null);
      EncryptedPart part =
          upload.encryptPart(partNumber, src.length(), computed != null ? computed : src.stream());
      UploadPartResponse r =
          backend
              .uploads()
              .uploadPart(
                  UploadPartRequest.builder()
                      .bucket(s3.bucket())
                      .key(s3.key())
                      .uploadId(s3.param("uploadId"))
                      .partNumber(partNumber)
                      .contentLength(part.ciphertextSize())
                      .build(),
                  ObjectOperations.oneShot(part.stream(), part.ciphertextSize(), null));
      if (r == null || !part.isComplete()) {
        throw new S3Exception(S3ErrorCode.INTERNAL_ERROR, "The part copy ended early.");
      }
      XmlWriter xml =
          new XmlWriter()
              .root("CopyPartResult")
              .element("LastModified", ObjectHeaders.xmlDate(java.time.Instant.now()))
              .element("ETag", "\"" + part.plaintextEtag() + "\"");
      if (computed != null) {
        byte[] value = computed.value();
        checksums.recordPart(
            s3.bucket(),
            s3.key(),
            s3.param("uploadId"),
            upload,
            partNumber,
            r.eTag(),
            checksum.get().algorithm().name(),
            value);
        xml.element(
            ObjectChecksum.elementName(checksum.get().algorithm()),
            Base64.getEncoder().encodeToString(value));
      }
      exchange.setProperty(
          S3Response.PROPERTY,
          S3Response.xml(200, xml.toBytes())
              .header(
                  "x-amz-copy-source-version-id",
                  io.github.s3eg.s3.RequestedVersion.pin(d.head().versionId())));
    } finally {
      src.release().run();
    }
  }

  // ---- CompleteMultipartUpload: POST /bucket/key?uploadId=ID

  public void completeMultipartUpload(Exchange exchange) throws CryptoException, IOException {
    S3Request s3 = ObjectOperations.request(exchange);
    String uploadId = s3.param("uploadId");
    List<RequestedPart> requested = requestedParts(exchange.getIn().getBody(InputStream.class));
    Map<String, String> record = uploadRecord(s3);
    OpenedObject upload = openUpload(s3, record);
    Optional<UploadChecksum> checksum = UploadChecksum.fromRecord(record);
    CompleteChecks.checkType(s3, checksum);
    Map<Integer, Part> stored = storedParts(s3.bucket(), s3.key(), uploadId);
    Map<Integer, List<PartChecksumMarker>> markers =
        checksum.isPresent()
            ? checksums.partMarkers(s3.bucket(), s3.key(), uploadId, upload)
            : Map.of();
    List<CompletedChecksum.Part> partChecksums = new ArrayList<>();

    List<CompletedPart> completed = new ArrayList<>(requested.size());
    List<MultipartIndex.Part> entries = new ArrayList<>(requested.size());
    MessageDigest md5s = md5();
    for (int i = 0; i < requested.size(); i++) {
      RequestedPart want = requested.get(i);
      Part have = stored.get(want.number());
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
      if (i < requested.size() - 1 && plaintextSize < MIN_PART_SIZE) {
        throw new S3Exception(
                S3ErrorCode.ENTITY_TOO_SMALL,
                "Your proposed upload is smaller than the minimum allowed object size.")
            .with("PartNumber", Integer.toString(want.number()));
      }
      if (checksum.isPresent()) {
        partChecksums.add(
            new CompletedChecksum.Part(
                want.number(),
                CompleteChecks.partChecksum(
                    checksum.get(),
                    want.number(),
                    want.checksums().get(checksum.get().algorithm()),
                    MultipartChecksums.recorded(markers, want.number(), have.eTag())),
                plaintextSize));
      }
      md5s.update(want.md5());
      completed.add(CompletedPart.builder().partNumber(want.number()).eTag(have.eTag()).build());
      entries.add(new MultipartIndex.Part(want.number(), plaintextSize));
    }
    MultipartIndex index =
        new MultipartIndex(upload.header(), md5s.digest(), entries, upload.layout());
    Optional<ObjectChecksum> objectChecksum =
        checksum.map(c -> CompletedChecksum.of(c, partChecksums));
    objectChecksum.ifPresent(c -> CompleteChecks.checkDeclared(s3, c));
    NewVersionSettings settings = NewVersionSettings.fromRecord(record);
    // Evaluated right before the backend's Complete that carries it: a failed condition leaves
    // the upload in progress, as on S3.
    WriteCondition condition = conditions.evaluate(s3);
    byte[] sealed = upload.sealIndex(index, s3.bucket(), s3.key());
    String indexName = MultipartIndexes.nameOf(upload, s3.key());
    boolean legacy = MultipartIndexes.isLegacy(upload);
    if (!legacy) {
      // The index first: a completed object never lacks it, so a missing one is refused as
      // tampering (format version 4). If Complete fails (or its condition does), it names an
      // object that does not exist (its name is this upload's); Abort removes it, a retried
      // Complete rewrites it.
      state.writeIndex(s3.bucket(), indexName, sealed);
    }
    CompleteMultipartUploadResponse r =
        backend
            .uploads()
            .completeMultipartUpload(
                c ->
                    condition.applyTo(
                        c.bucket(s3.bucket())
                            .key(s3.key())
                            .uploadId(uploadId)
                            .multipartUpload(m -> m.parts(completed))));
    try {
      if (legacy) {
        // An upload begun by an earlier release (format version 3): its object's index has the
        // key's one name, which the key's current object may still use until this Complete.
        state.writeIndex(s3.bucket(), indexName, sealed);
      }
      state.completed(s3.bucket(), s3.key(), sealed);
      if (objectChecksum.isPresent()) {
        checksums.writeRecord(
            s3.bucket(),
            s3.key(),
            upload,
            CompletedChecksum.record(upload.header(), objectChecksum.get(), partChecksums));
        checksums.deletePartMarkers(s3.bucket(), s3.key(), uploadId);
      } else {
        // An earlier object of this name may have left one (it would not verify, but it goes).
        checksums.deleteRecord(s3.bucket(), s3.key());
      }
      state.deleteUploadRecord(s3.bucket(), s3.key(), uploadId);
    } catch (RuntimeException e) {
      // The object is complete; a version 4 object has its index, only the record is left over.
      LOG.warn(
          "request {}: {} completed but its upload's bookkeeping was not finished: {}",
          s3.requestId(),
          s3.resource(),
          e.getMessage());
    }
    XmlWriter xml =
        new XmlWriter()
            .root("CompleteMultipartUploadResult")
            .element("Location", "/" + s3.bucket() + "/" + s3.key())
            .element("Bucket", s3.bucket())
            .element("Key", s3.key())
            .element("ETag", "\"" + index.etag() + "\"");
    objectChecksum.ifPresent(c -> c.writeXml(xml, c.shown()));
    if (r == null) {
      throw new S3Exception(S3ErrorCode.INTERNAL_ERROR, "The backend did not answer Complete.");
    }
    if (newVersions != null) {
      // The lock settings and tags the upload asked for, and the object's protection for its
      // index and checksum record.
      newVersions.settle(s3.bucket(), s3.key(), r.versionId(), record, settings);
    }
    exchange.setProperty(
        S3Response.PROPERTY,
        S3Response.xml(200, xml.toBytes()).header("x-amz-version-id", r.versionId()));
  }

  private record RequestedPart(int number, byte[] md5, Map<ChecksumAlgorithm, String> checksums) {}

  private static List<RequestedPart> requestedParts(InputStream body) throws IOException {
    if (body == null) {
      throw new S3Exception(S3ErrorCode.MALFORMED_XML, "The XML you provided was empty.");
    }
    XmlReader.Element root = XmlReader.parse(body);
    if (!root.name().equals("CompleteMultipartUpload")) {
      throw new S3Exception(
          S3ErrorCode.MALFORMED_XML, "Expected a CompleteMultipartUpload document.");
    }
    List<XmlReader.Element> parts = root.all("Part");
    if (parts.isEmpty() || parts.size() > MultipartLayout.MAX_PART_NUMBER) {
      throw new S3Exception(
          S3ErrorCode.MALFORMED_XML, "A CompleteMultipartUpload names 1 to 10000 parts.");
    }
    List<RequestedPart> out = new ArrayList<>(parts.size());
    int previous = 0;
    for (XmlReader.Element p : parts) {
      int number;
      try {
        number = Integer.parseInt(String.valueOf(p.childText("PartNumber")).trim());
      } catch (NumberFormatException e) {
        throw new S3Exception(S3ErrorCode.MALFORMED_XML, "PartNumber must be a number.");
      }
      if (number < MultipartLayout.MIN_PART_NUMBER || number > MultipartLayout.MAX_PART_NUMBER) {
        throw new S3Exception(S3ErrorCode.INVALID_PART, "Part numbers are 1 to 10000.");
      }
      if (number <= previous) {
        throw new S3Exception(
            S3ErrorCode.INVALID_PART_ORDER,
            "The list of parts was not in ascending order. Parts must be ordered by part number.");
      }
      previous = number;
      Map<ChecksumAlgorithm, String> sums = new EnumMap<>(ChecksumAlgorithm.class);
      for (ChecksumAlgorithm a : ChecksumAlgorithm.values()) {
        String v = p.childText(ObjectChecksum.elementName(a));
        if (v != null && !v.isBlank()) {
          sums.put(a, v.trim());
        }
      }
      out.add(new RequestedPart(number, etagBytes(p.childText("ETag")), sums));
    }
    return out;
  }

  /** The MD5 a part's ETag names (the client's copy of what UploadPart returned). */
  private static byte[] etagBytes(String etag) {
    String hex = etag == null ? "" : etag.replace("\"", "").replace("&quot;", "").trim();
    try {
      if (hex.length() == 32) {
        return HexFormat.of().parseHex(hex);
      }
    } catch (IllegalArgumentException e) {
      // falls through
    }
    throw new S3Exception(
        S3ErrorCode.INVALID_PART, "One or more of the specified parts could not be found.");
  }

  private Map<Integer, Part> storedParts(String bucket, String key, String uploadId) {
    Map<Integer, Part> parts = new HashMap<>();
    Integer marker = null;
    while (true) {
      Integer from = marker;
      ListPartsResponse r =
          backend
              .s3()
              .listParts(
                  l ->
                      l.bucket(bucket)
                          .key(key)
                          .uploadId(uploadId)
                          .partNumberMarker(from)
                          .maxParts(1000));
      r.parts().forEach(p -> parts.put(p.partNumber(), p));
      if (!Boolean.TRUE.equals(r.isTruncated()) || r.nextPartNumberMarker() == null) {
        return parts;
      }
      marker = r.nextPartNumberMarker();
    }
  }

  // ---- AbortMultipartUpload: DELETE /bucket/key?uploadId=ID

  public void abortMultipartUpload(Exchange exchange) {
    S3Request s3 = ObjectOperations.request(exchange);
    String uploadId = s3.param("uploadId");
    backend.s3().abortMultipartUpload(a -> a.bucket(s3.bucket()).key(s3.key()).uploadId(uploadId));
    // An index written by a Complete that failed goes too (it can name no object now).
    try {
      OpenedObject upload = openUpload(s3, uploadRecord(s3));
      if (!MultipartIndexes.isLegacy(upload)) {
        state.deleteIndex(s3.bucket(), s3.key(), MultipartIndexes.nameOf(upload, s3.key()));
      }
    } catch (S3Exception | CryptoException noRecord) {
      // No record (never created here, or already finished): nothing was written for it.
    }
    state.deleteUploadRecord(s3.bucket(), s3.key(), uploadId);
    checksums.deletePartMarkers(s3.bucket(), s3.key(), uploadId);
    exchange.setProperty(S3Response.PROPERTY, S3Response.status(204));
  }

  private void abortQuietly(String bucket, String key, String uploadId) {
    try {
      backend.s3().abortMultipartUpload(a -> a.bucket(bucket).key(key).uploadId(uploadId));
    } catch (RuntimeException e) {
      LOG.warn("could not abort upload {} of {}/{}: {}", uploadId, bucket, key, e.getMessage());
    }
  }

  // ---- ListParts: GET /bucket/key?uploadId=ID

  public void listParts(Exchange exchange) throws CryptoException {
    S3Request s3 = ObjectOperations.request(exchange);
    String uploadId = s3.param("uploadId");
    UnaryOperator<String> enc = ListingEncoding.of(s3);
    Map<String, String> record = uploadRecord(s3);
    OpenedObject upload = openUpload(s3, record);
    Optional<UploadChecksum> checksum = UploadChecksum.fromRecord(record);
    Map<Integer, List<PartChecksumMarker>> markers =
        checksum.isPresent()
            ? checksums.partMarkers(s3.bucket(), s3.key(), uploadId, upload)
            : Map.of();
    Integer marker = intParam(s3, "part-number-marker");
    Integer max = intParam(s3, "max-parts");
    ListPartsResponse r =
        backend
            .s3()
            .listParts(
                l ->
                    l.bucket(s3.bucket())
                        .key(s3.key())
                        .uploadId(uploadId)
                        .partNumberMarker(marker)
                        .maxParts(max == null ? 1000 : Math.min(max, 1000)));
    XmlWriter xml =
        new XmlWriter()
            .root("ListPartsResult")
            .element("Bucket", s3.bucket())
            .element("EncodingType", ListingEncoding.requested(s3) ? "url" : null)
            .element("Key", enc.apply(s3.key()))
            .element("UploadId", uploadId)
            .element("PartNumberMarker", marker == null ? 0 : marker)
            .element("NextPartNumberMarker", r.nextPartNumberMarker())
            .element("MaxParts", max == null ? 1000 : max)
            .element("IsTruncated", Boolean.TRUE.equals(r.isTruncated()))
            .element("StorageClass", "STANDARD");
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
      MultipartChecksums.recorded(markers, p.partNumber(), p.eTag())
          .ifPresent(
              c ->
                  xml.element(
                      ObjectChecksum.elementName(checksum.get().algorithm()),
                      Base64.getEncoder().encodeToString(c)));
      xml.end();
    }
    exchange.setProperty(S3Response.PROPERTY, S3Response.xml(200, xml.toBytes()));
  }

  // ---- ListMultipartUploads: GET /bucket?uploads

  public void listMultipartUploads(Exchange exchange) {
    S3Request s3 = ObjectOperations.request(exchange);
    UnaryOperator<String> enc = ListingEncoding.of(s3);
    Integer max = intParam(s3, "max-uploads");
    String prefix = emptyToNull(s3.param("prefix"));
    String delimiter = emptyToNull(s3.param("delimiter"));
    String keyMarker = emptyToNull(s3.param("key-marker"));
    // The backend is asked without encoding-type: S3Proxy would encode only the prefix, and the
    // SDK would then decode keys that were never encoded.
    ListMultipartUploadsResponse r =
        backend
            .s3()
            .listMultipartUploads(
                l ->
                    l.bucket(s3.bucket())
                        .prefix(prefix)
                        .delimiter(delimiter)
                        .keyMarker(keyMarker)
                        .uploadIdMarker(emptyToNull(s3.param("upload-id-marker")))
                        .maxUploads(max));
    XmlWriter xml =
        new XmlWriter()
            .root("ListMultipartUploadsResult")
            .element("Bucket", s3.bucket())
            .element("KeyMarker", enc.apply(nullToEmpty(keyMarker)))
            .element("UploadIdMarker", nullToEmpty(s3.param("upload-id-marker")))
            .element("NextKeyMarker", enc.apply(r.nextKeyMarker()))
            .element("NextUploadIdMarker", r.nextUploadIdMarker())
            .element("Prefix", enc.apply(nullToEmpty(prefix)))
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
    exchange.setProperty(S3Response.PROPERTY, S3Response.xml(200, xml.toBytes()));
  }

  // ---- helpers

  private OpenedObject openUpload(S3Request s3) throws CryptoException {
    return openUpload(s3, uploadRecord(s3));
  }

  /** The record of the request's upload (NoSuchUpload without one). */
  private Map<String, String> uploadRecord(S3Request s3) {
    String uploadId = s3.param("uploadId");
    if (uploadId == null || uploadId.isEmpty()) {
      throw new S3Exception(S3ErrorCode.NO_SUCH_UPLOAD, "The specified upload does not exist.");
    }
    return state.uploadRecord(s3.bucket(), s3.key(), uploadId);
  }

  private OpenedObject openUpload(S3Request s3, Map<String, String> record) throws CryptoException {
    OpenedObject upload = decryptor.open(s3.bucket(), s3.key(), record);
    if (!upload.isMultipart()) {
      throw new S3Exception(
          S3ErrorCode.INTERNAL_ERROR, "The upload record is not a multipart record.");
    }
    return upload;
  }

  private static int partNumber(S3Request s3) {
    String value = s3.param("partNumber");
    try {
      int n = Integer.parseInt(value == null ? "" : value.trim());
      if (n >= MultipartLayout.MIN_PART_NUMBER && n <= MultipartLayout.MAX_PART_NUMBER) {
        return n;
      }
    } catch (NumberFormatException e) {
      // falls through
    }
    throw new S3Exception(
            S3ErrorCode.INVALID_ARGUMENT,
            "Part number must be an integer between 1 and 10000, inclusive")
        .with("ArgumentName", "partNumber")
        .with("ArgumentValue", String.valueOf(value));
  }

  private static Integer intParam(S3Request s3, String name) {
    String v = s3.param(name);
    if (v == null || v.isEmpty()) {
      return null;
    }
    try {
      int n = Integer.parseInt(v.trim());
      if (n >= 0) {
        return n;
      }
    } catch (NumberFormatException e) {
      // falls through
    }
    throw new S3Exception(S3ErrorCode.INVALID_ARGUMENT, name + " must be a non-negative integer.")
        .with("ArgumentName", name);
  }

  private static MessageDigest md5() {
    try {
      return MessageDigest.getInstance("MD5");
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  private static String emptyToNull(String s) {
    return s == null || s.isEmpty() ? null : s;
  }

  private static String nullToEmpty(String s) {
    return s == null ? "" : s;
  }
}
