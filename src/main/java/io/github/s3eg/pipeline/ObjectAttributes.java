package io.github.s3eg.pipeline;

import io.github.s3eg.backend.BackendClients;
import io.github.s3eg.crypto.CryptoException;
import io.github.s3eg.crypto.MultipartChecksumRecord;
import io.github.s3eg.crypto.MultipartIndex;
import io.github.s3eg.crypto.OpenedObject;
import io.github.s3eg.multipart.MultipartIndexes;
import io.github.s3eg.s3.ObjectHeaders;
import io.github.s3eg.s3.RequestedVersion;
import io.github.s3eg.s3.S3ErrorCode;
import io.github.s3eg.s3.S3Exception;
import io.github.s3eg.s3.S3Request;
import io.github.s3eg.s3.S3Response;
import io.github.s3eg.s3.body.ChecksumAlgorithm;
import io.github.s3eg.s3.checksum.ObjectChecksum;
import io.github.s3eg.s3.xml.XmlWriter;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.apache.camel.Exchange;
import software.amazon.awssdk.services.s3.model.HeadObjectRequest;
import software.amazon.awssdk.services.s3.model.HeadObjectResponse;

/**
 * GetObjectAttributes ({@code GET /bucket/key?attributes}, {@code x-amz-object-attributes}) from
 * the gateway's own view of the object, never the backend's: the ETag clients see, the plaintext
 * size, the client's checksum, the parts of a multipart object (their count; each part's plaintext
 * size and checksum when its upload chose an algorithm, as S3 lists parts only then), the storage
 * class. One backend HEAD, plus the index and checksum record of a multipart object.
 */
public final class ObjectAttributes {

  private static final Set<String> KNOWN =
      Set.of("etag", "checksum", "objectparts", "storageclass", "objectsize");

  private final BackendClients backend;
  private final DecryptObject decryption;

  public ObjectAttributes(BackendClients backend, DecryptObject decryption) {
    this.backend = backend;
    this.decryption = decryption;
  }

  public void getObjectAttributes(Exchange exchange) throws CryptoException {
    S3Request s3 = ObjectOperations.request(exchange);
    Set<String> wanted = requestedAttributes(s3);
    HeadObjectResponse r =
        backend
            .s3()
            .headObject(
                HeadObjectRequest.builder()
                    .bucket(s3.bucket())
                    .key(s3.key())
                    .versionId(RequestedVersion.of(s3))
                    .build());
    Optional<OpenedObject> opened = decryption.open(s3.bucket(), s3.key(), r.metadata());
    String etag;
    long size;
    MultipartIndex index = null;
    Optional<ObjectChecksum> checksum = Optional.empty();
    Optional<MultipartChecksumRecord> record = Optional.empty();
    if (opened.isPresent() && opened.get().isMultipart()) {
      MultipartIndexes.Loaded loaded =
          decryption
              .multipartIndexes()
              .load(opened.get(), s3.bucket(), s3.key(), r.contentLength());
      etag = loaded.etag();
      index = loaded.index();
      size = index.plaintextSize();
      if (wanted.contains("checksum") || wanted.contains("objectparts")) {
        record = decryption.multipartChecksumRecord(opened.get(), s3);
        checksum = record.map(ObjectChecksum::of);
      }
    } else {
      etag = ObjectOperations.etag(opened.orElse(null), r.eTag()).replace("\"", "");
      size = opened.isPresent() ? opened.get().plaintextSize(r.contentLength()) : r.contentLength();
      checksum = opened.flatMap(OpenedObject::checksum).map(ObjectChecksum::of);
    }
    XmlWriter xml = new XmlWriter().root("GetObjectAttributesResponse");
    if (wanted.contains("etag")) {
      xml.element("ETag", etag);
    }
    if (wanted.contains("checksum") && checksum.isPresent()) {
      // Without S3's "-N": the attribute is the checksum of the part checksums itself.
      xml.start("Checksum");
      checksum.get().writeXml(xml, checksum.get().base64());
      xml.end();
    }
    if (wanted.contains("objectparts") && index != null) {
      writeParts(xml, s3, index, record);
    }
    if (wanted.contains("storageclass")) {
      String storageClass = r.storageClassAsString();
      xml.element("StorageClass", storageClass == null ? "STANDARD" : storageClass);
    }
    if (wanted.contains("objectsize")) {
      xml.element("ObjectSize", size);
    }
    exchange.setProperty(
        S3Response.PROPERTY,
        S3Response.xml(200, xml.toBytes())
            .header("Last-Modified", ObjectHeaders.httpDate(r.lastModified()))
            .header("x-amz-version-id", r.versionId()));
  }

  private static void writeParts(
      XmlWriter xml, S3Request s3, MultipartIndex index, Optional<MultipartChecksumRecord> record) {
    int marker = intHeader(s3, "x-amz-part-number-marker", 0);
    int max = Math.min(intHeader(s3, "x-amz-max-parts", 1000), 1000);
    Map<Integer, byte[]> checksums = new HashMap<>();
    record.ifPresent(rec -> rec.parts().forEach(p -> checksums.put(p.partNumber(), p.checksum())));
    ChecksumAlgorithm algorithm =
        record.map(rec -> ChecksumAlgorithm.valueOf(rec.algorithm())).orElse(null);
    xml.start("ObjectParts").element("PartsCount", index.parts().size());
    int listed = 0;
    Integer last = null;
    boolean truncated = false;
    List<MultipartIndex.Part> page = new ArrayList<>();
    for (MultipartIndex.Part p : index.parts()) {
      if (p.number() <= marker) {
        continue;
      }
      if (listed == max) {
        truncated = true;
        break;
      }
      page.add(p);
      last = p.number();
      listed++;
    }
    xml.element("PartNumberMarker", marker)
        .element("NextPartNumberMarker", last == null ? marker : last)
        .element("MaxParts", max)
        .element("IsTruncated", truncated);
    // As S3 (general purpose buckets): the parts themselves only for an object with checksums.
    for (MultipartIndex.Part p : record.isPresent() ? page : List.<MultipartIndex.Part>of()) {
      xml.start("Part").element("PartNumber", p.number()).element("Size", p.plaintextSize());
      byte[] c = checksums.get(p.number());
      if (c != null) {
        xml.element(ObjectChecksum.elementName(algorithm), Base64.getEncoder().encodeToString(c));
      }
      xml.end();
    }
    xml.end();
  }

  private static Set<String> requestedAttributes(S3Request s3) {
    Set<String> wanted = new LinkedHashSet<>();
    // One header with a comma-separated list, or (the AWS SDKs) one header line per attribute.
    for (String header : s3.headers().getOrDefault("x-amz-object-attributes", List.of())) {
      for (String a : header.split(",")) {
        String name = a.trim().toLowerCase(Locale.ROOT);
        if (name.isEmpty()) {
          continue;
        }
        if (!KNOWN.contains(name)) {
          throw new S3Exception(S3ErrorCode.INVALID_ARGUMENT, "Invalid attribute name specified.");
        }
        wanted.add(name);
      }
    }
    if (wanted.isEmpty()) {
      throw new S3Exception(
          S3ErrorCode.INVALID_REQUEST,
          "The x-amz-object-attributes header specifying the attributes to be retrieved is either"
              + " missing or empty");
    }
    return wanted;
  }

  private static int intHeader(S3Request s3, String name, int absent) {
    String v = s3.header(name);
    if (v == null || v.isBlank()) {
      return absent;
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
}
