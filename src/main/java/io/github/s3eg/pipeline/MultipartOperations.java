package io.github.s3eg.pipeline;

import io.github.s3eg.backend.BackendClients;
import io.github.s3eg.crypto.CryptoException;
import io.github.s3eg.crypto.EncryptedPart;
import io.github.s3eg.crypto.MultipartLayout;
import io.github.s3eg.crypto.ObjectDecryptor;
import io.github.s3eg.crypto.ObjectEncryptor;
import io.github.s3eg.crypto.OpenedObject;
import io.github.s3eg.multipart.MultipartChecksums;
import io.github.s3eg.multipart.MultipartState;
import io.github.s3eg.ops.GatewayMetrics;
import io.github.s3eg.s3.CopySource;
import io.github.s3eg.s3.ObjectHeaders;
import io.github.s3eg.s3.S3ErrorCode;
import io.github.s3eg.s3.S3Exception;
import io.github.s3eg.s3.S3Request;
import io.github.s3eg.s3.S3Response;
import io.github.s3eg.s3.body.ChecksumAlgorithm;
import io.github.s3eg.s3.checksum.ChecksumComputingStream;
import io.github.s3eg.s3.checksum.ObjectChecksum;
import io.github.s3eg.s3.checksum.UploadChecksum;
import io.github.s3eg.s3.xml.XmlReader;
import io.github.s3eg.s3.xml.XmlWriter;
import java.io.IOException;
import java.io.InputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Base64;
import java.util.EnumMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.apache.camel.Exchange;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import software.amazon.awssdk.services.s3.model.UploadPartRequest;
import software.amazon.awssdk.services.s3.model.UploadPartResponse;

/**
 * UploadPartCopy, the multipart operation whose backend requests are not route steps yet (it reads
 * its source through {@link PlaintextReader}), and what the multipart steps ({@link
 * MultipartSteps}) share: the client's Complete document, part numbers, query parameters.
 */
public final class MultipartOperations {

  private static final Logger LOG = LoggerFactory.getLogger(MultipartOperations.class);

  /** S3's smallest part, except the last. */
  static final long MIN_PART_SIZE = 5L * 1024 * 1024;

  /** S3's largest part. */
  static final long MAX_PART_SIZE = 5L * 1024 * 1024 * 1024;

  private final BackendClients backend;
  private final ObjectEncryptor encryptor;
  private final ObjectDecryptor decryptor;
  private final MultipartState state;
  private final PlaintextReader reader;
  private final GatewayMetrics metrics;
  private final MultipartChecksums checksums;

  MultipartOperations(
      BackendClients backend,
      ObjectEncryptor encryptor,
      ObjectDecryptor decryptor,
      MultipartState state,
      PlaintextReader reader,
      GatewayMetrics metrics,
      MultipartChecksums checksums) {
    this.backend = backend;
    this.encryptor = encryptor;
    this.decryptor = decryptor;
    this.state = state;
    this.reader = reader;
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
      io.github.s3eg.multipart.MultipartIndexes indexes,
      GatewayMetrics metrics,
      MultipartChecksums checksums) {
    return new MultipartOperations(
        backend,
        encryptor,
        decryptor,
        state,
        new PlaintextReader(backend, decryption, indexes),
        metrics,
        checksums);
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
      RequestStates.of(exchange)
          .respond(
              S3Response.xml(200, xml.toBytes())
                  .header(
                      "x-amz-copy-source-version-id",
                      io.github.s3eg.s3.RequestedVersion.pin(d.head().versionId())));
    } finally {
      src.release().run();
    }
  }

  /** A part the client's Complete names: its number, its ETag's MD5, and any checksums it gave. */
  record RequestedPart(int number, byte[] md5, Map<ChecksumAlgorithm, String> checksums) {}

  static List<RequestedPart> requestedParts(InputStream body) throws IOException {
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

  // ---- helpers

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
      throw new S3Exception(S3ErrorCode.INTERNAL_ERROR, "The upload record is not a v2 record.");
    }
    return upload;
  }

  static int partNumber(S3Request s3) {
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

  static Integer intParam(S3Request s3, String name) {
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

  static MessageDigest md5() {
    try {
      return MessageDigest.getInstance("MD5");
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  static String emptyToNull(String s) {
    return s == null || s.isEmpty() ? null : s;
  }

  static String nullToEmpty(String s) {
    return s == null ? "" : s;
  }
}
