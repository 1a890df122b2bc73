package io.github.s3eg.pipeline;

import io.github.s3eg.crypto.MultipartChecksumRecord;
import io.github.s3eg.crypto.MultipartIndex;
import io.github.s3eg.crypto.OpenedObject;
import io.github.s3eg.pipeline.CiphertextLocator.Located;
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
import software.amazon.awssdk.services.s3.model.HeadObjectRequest;

/**
 * GetObjectAttributes ({@code GET /bucket/key?attributes}, {@code x-amz-object-attributes}) from
 * the gateway's own view of the object, never the backend's: the ETag clients see, the plaintext
 * size, the client's checksum, the parts of a multipart object (their count; each part's plaintext
 * size and checksum when its upload chose an algorithm, as S3 lists parts only then), the storage
 * class. Its steps: {@code objectAttributesRequest} (the attributes asked for, checked before
 * anything reaches the backend; the backend HEAD), then as HeadObject {@code resolveKey} and {@code
 * locateCiphertext} (a multipart object's index, and its checksum record when the checksum or the
 * parts are asked for), then {@code objectAttributesResponse}.
 */
public final class ObjectAttributes {

  private static final Set<String> KNOWN =
      Set.of("etag", "checksum", "objectparts", "storageclass", "objectsize");

  /** The backend HEAD, once the attributes asked for are known to be valid. */
  static HeadObjectRequest request(RequestState state) {
    S3Request s3 = state.request();
    requestedAttributes(s3);
    return HeadObjectRequest.builder()
        .bucket(s3.bucket())
        .key(s3.key())
        .versionId(RequestedVersion.of(s3))
        .build();
  }

  /** Whether a multipart object's checksum record is needed to answer {@code s3}. */
  static boolean needsChecksumRecord(S3Request s3) {
    Set<String> wanted = requestedAttributes(s3);
    return wanted.contains("checksum") || wanted.contains("objectparts");
  }

  static S3Response response(RequestState state) {
    S3Request s3 = state.request();
    Set<String> wanted = requestedAttributes(s3);
    StoredObject stored = state.storedObject();
    if (!(state.located() instanceof Located.Described described)) {
      throw new IllegalStateException("GetObjectAttributes located a body to read");
    }
    OpenedObject opened = state.key().openedOrNull();
    MultipartIndex index = described.index();
    Optional<MultipartChecksumRecord> record =
        Optional.ofNullable(state.multipartChecksumRecordOrNull());
    Optional<ObjectChecksum> checksum;
    if (index != null) {
      checksum = record.map(ObjectChecksum::of);
    } else {
      checksum =
          Optional.ofNullable(opened).flatMap(OpenedObject::checksum).map(ObjectChecksum::of);
    }
    XmlWriter xml = new XmlWriter().root("GetObjectAttributesResponse");
    if (wanted.contains("etag")) {
      xml.element("ETag", described.etag().replace("\"", ""));
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
      String storageClass = stored.storageClass();
      xml.element("StorageClass", storageClass == null ? "STANDARD" : storageClass);
    }
    if (wanted.contains("objectsize")) {
      xml.element("ObjectSize", described.plaintextSize());
    }
    return S3Response.xml(200, xml.toBytes())
        .header("Last-Modified", ObjectHeaders.httpDate(stored.lastModified()))
        .header("x-amz-version-id", stored.versionId());
  }

  // ---- the steps

  static Step requestStep() {
    return Step.named("objectAttributesRequest")
        .callsBackend()
        .does((state, exchange) -> exchange.getIn().setBody(request(state)));
  }

  static Step responseStep() {
    return Step.named("objectAttributesResponse")
        .requires(Fact.CIPHERTEXT_LOCATED, Fact.STORED_OBJECT)
        .provides(Fact.RESPONSE)
        .does((state, exchange) -> state.respond(response(state)));
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
