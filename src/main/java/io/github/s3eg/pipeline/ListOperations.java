package io.github.s3eg.pipeline;

import io.github.s3eg.backend.BackendClients;
import io.github.s3eg.backend.ReservedKeys;
import io.github.s3eg.crypto.MultipartLayout;
import io.github.s3eg.crypto.SegmentLayout;
import io.github.s3eg.multipart.MultipartState;
import io.github.s3eg.s3.ObjectHeaders;
import io.github.s3eg.s3.S3ErrorCode;
import io.github.s3eg.s3.S3Exception;
import io.github.s3eg.s3.S3Request;
import io.github.s3eg.s3.S3Response;
import io.github.s3eg.s3.xml.XmlWriter;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.function.UnaryOperator;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.camel.Exchange;
import software.amazon.awssdk.services.s3.model.CommonPrefix;
import software.amazon.awssdk.services.s3.model.ListObjectsRequest;
import software.amazon.awssdk.services.s3.model.ListObjectsResponse;
import software.amazon.awssdk.services.s3.model.ListObjectsV2Request;
import software.amazon.awssdk.services.s3.model.ListObjectsV2Response;
import software.amazon.awssdk.services.s3.model.S3Object;

/**
 * ListObjects (v1) and ListObjectsV2. camel-aws2-s3 has no ListObjectsV2 and would hide the paging
 * fields, so these call the backend client and write S3's XML themselves. Exactly one backend
 * request per client request: no HEAD per listed key.
 */
public final class ListOperations {

  private static final int MAX_KEYS = 1000;

  private final BackendClients backend;
  private final SegmentLayout layout;

  /** {@code layout}: the configured object layout, to report plaintext sizes by arithmetic. */
  public ListOperations(BackendClients backend, SegmentLayout layout) {
    this.backend = backend;
    this.layout = layout;
  }

  /**
   * The plaintext size of a listed object, from its stored size alone (no HEAD per key): exact for
   * objects written with the configured segment size; anything else (a plaintext object, another
   * layout) is listed with its stored size.
   */
  long plaintextSize(long storedSize) {
    try {
      return layout.plaintextSize(storedSize);
    } catch (RuntimeException e) {
      return storedSize;
    }
  }

  /**
   * The plaintext size of a listed object from its size and ETag alone (no HEAD per key): an ETag
   * ending in {@code -N} marks an object completed from N parts (format version 3, see {@link
   * MultipartLayout#listedPlaintextSize}), any other a single-PUT object.
   */
  long listedSize(String bucket, S3Object o) {
    Matcher m = o.eTag() == null ? null : PART_COUNT.matcher(o.eTag());
    int parts = 0;
    if (m != null && m.find()) {
      parts = Integer.parseInt(m.group(1));
    } else if (partCounts != null) {
      parts = partCounts.partCount(bucket, o.key());
    }
    if (parts > 0) {
      try {
        return MultipartLayout.listedPlaintextSize(layout, o.size(), parts);
      } catch (RuntimeException notAGatewayMultipartObject) {
        return o.size();
      }
    }
    return plaintextSize(o.size());
  }

  private MultipartState partCounts;

  /**
   * For backends whose multipart ETags lack {@code -N} ({@code BACKEND_MULTIPART_ETAGS=false}):
   * part counts come from the gateway's own index records instead.
   */
  public void partCountsFrom(MultipartState state) {
    this.partCounts = state;
  }

  private static final Pattern PART_COUNT = Pattern.compile("-(\\d{1,5})\"?$");

  /** Entries a client sees: the gateway's own objects ({@link ReservedKeys}) are left out. */
  private static List<S3Object> visible(List<S3Object> contents) {
    return contents.stream().filter(o -> !ReservedKeys.isReserved(o.key())).toList();
  }

  private static List<CommonPrefix> visiblePrefixes(List<CommonPrefix> prefixes) {
    return prefixes.stream().filter(p -> !ReservedKeys.isReserved(p.prefix())).toList();
  }

  public void listObjectsV2(Exchange exchange) {
    S3Request s3 = ObjectOperations.request(exchange);
    boolean urlEncode = urlEncoding(s3);
    ListObjectsV2Request.Builder b =
        ListObjectsV2Request.builder()
            .bucket(s3.bucket())
            .prefix(s3.param("prefix"))
            .delimiter(emptyToNull(s3.param("delimiter")))
            .continuationToken(emptyToNull(s3.param("continuation-token")))
            .startAfter(emptyToNull(s3.param("start-after")))
            .maxKeys(maxKeys(s3))
            .fetchOwner("true".equals(s3.param("fetch-owner")));
    ListObjectsV2Response r = backend.s3().listObjectsV2(b.build());
    UnaryOperator<String> enc = urlEncode ? ListOperations::urlEncode : UnaryOperator.identity();

    XmlWriter xml = new XmlWriter().root("ListBucketResult");
    xml.element("Name", s3.bucket())
        .element("Prefix", enc.apply(nullToEmpty(s3.param("prefix"))))
        .element(
            "Delimiter", s3.param("delimiter") == null ? null : enc.apply(s3.param("delimiter")))
        .element("MaxKeys", maxKeys(s3))
        .element("EncodingType", urlEncode ? "url" : null)
        .element(
            "KeyCount", visible(r.contents()).size() + visiblePrefixes(r.commonPrefixes()).size())
        .element("IsTruncated", Boolean.TRUE.equals(r.isTruncated()))
        .element("ContinuationToken", s3.param("continuation-token"))
        .element("NextContinuationToken", r.nextContinuationToken())
        .element(
            "StartAfter",
            s3.param("start-after") == null ? null : enc.apply(s3.param("start-after")));
    writeContents(
        xml, s3.bucket(), visible(r.contents()), enc, "true".equals(s3.param("fetch-owner")));
    writePrefixes(xml, visiblePrefixes(r.commonPrefixes()), enc);
    RequestState.of(exchange).respond(S3Response.xml(200, xml.toBytes()));
  }

  public void listObjects(Exchange exchange) {
    S3Request s3 = ObjectOperations.request(exchange);
    boolean urlEncode = urlEncoding(s3);
    ListObjectsRequest.Builder b =
        ListObjectsRequest.builder()
            .bucket(s3.bucket())
            .prefix(s3.param("prefix"))
            .delimiter(emptyToNull(s3.param("delimiter")))
            .marker(emptyToNull(s3.param("marker")))
            .maxKeys(maxKeys(s3));
    ListObjectsResponse r = backend.s3().listObjects(b.build());
    UnaryOperator<String> enc = urlEncode ? ListOperations::urlEncode : UnaryOperator.identity();
    boolean truncated = Boolean.TRUE.equals(r.isTruncated());
    String nextMarker = r.nextMarker();
    if (truncated && nextMarker == null && s3.param("delimiter") != null) {
      // S3 returns NextMarker only with a delimiter; compute it from the last entry like S3 does.
      String lastKey =
          r.contents().isEmpty() ? null : r.contents().get(r.contents().size() - 1).key();
      String lastPrefix =
          r.commonPrefixes().isEmpty()
              ? null
              : r.commonPrefixes().get(r.commonPrefixes().size() - 1).prefix();
      nextMarker =
          lastKey == null
              ? lastPrefix
              : lastPrefix == null || lastKey.compareTo(lastPrefix) > 0 ? lastKey : lastPrefix;
    }

    XmlWriter xml = new XmlWriter().root("ListBucketResult");
    xml.element("Name", s3.bucket())
        .element("Prefix", enc.apply(nullToEmpty(s3.param("prefix"))))
        .element("Marker", enc.apply(nullToEmpty(s3.param("marker"))))
        .element(
            "NextMarker",
            nextMarker == null || s3.param("delimiter") == null ? null : enc.apply(nextMarker))
        .element("MaxKeys", maxKeys(s3))
        .element(
            "Delimiter", s3.param("delimiter") == null ? null : enc.apply(s3.param("delimiter")))
        .element("EncodingType", urlEncode ? "url" : null)
        .element("IsTruncated", truncated);
    writeContents(xml, s3.bucket(), visible(r.contents()), enc, true);
    writePrefixes(xml, visiblePrefixes(r.commonPrefixes()), enc);
    RequestState.of(exchange).respond(S3Response.xml(200, xml.toBytes()));
  }

  /**
   * The ETag in a listing. The plaintext MD5 of an encrypted object lives in its metadata, which a
   * listing does not carry, and its backend ETag is the MD5 of the ciphertext; so an encrypted
   * object is listed with that ETag marked as not-an-MD5 (the {@code -1} suffix S3 uses for
   * multipart objects), and clients do not compare it with a local MD5. HEAD and GET give the
   * plaintext MD5.
   */
  String listedEtag(S3Object o) {
    String etag = o.eTag();
    if (etag == null || etag.contains("-")) {
      return etag;
    }
    try {
      layout.plaintextSize(o.size());
    } catch (RuntimeException notEncryptedByThisLayout) {
      return etag;
    }
    return "\"" + etag.replace("\"", "") + "-1\"";
  }

  private void writeContents(
      XmlWriter xml,
      String bucket,
      List<S3Object> contents,
      UnaryOperator<String> enc,
      boolean owner) {
    for (S3Object o : contents) {
      xml.start("Contents")
          .element("Key", enc.apply(o.key()))
          .element("LastModified", ObjectHeaders.xmlDate(o.lastModified()))
          .element("ETag", listedEtag(o))
          .element("Size", listedSize(bucket, o))
          .element(
              "StorageClass",
              o.storageClassAsString() == null ? "STANDARD" : o.storageClassAsString());
      if (owner) {
        xml.start("Owner")
            .element("ID", BucketOperations.OWNER_ID)
            .element("DisplayName", BucketOperations.OWNER_ID)
            .end();
      }
      xml.end();
    }
  }

  private static void writePrefixes(
      XmlWriter xml, List<CommonPrefix> prefixes, UnaryOperator<String> enc) {
    for (CommonPrefix p : prefixes) {
      xml.start("CommonPrefixes").element("Prefix", enc.apply(p.prefix())).end();
    }
  }

  private static boolean urlEncoding(S3Request s3) {
    String type = s3.param("encoding-type");
    if (type == null) {
      return false;
    }
    if (!type.equals("url")) {
      throw new S3Exception(
              S3ErrorCode.INVALID_ARGUMENT, "Invalid Encoding Method specified in Request")
          .with("ArgumentName", "encoding-type");
    }
    return true;
  }

  private static int maxKeys(S3Request s3) {
    String v = s3.param("max-keys");
    if (v == null || v.isEmpty()) {
      return MAX_KEYS;
    }
    try {
      int n = Integer.parseInt(v);
      if (n < 0) {
        throw new NumberFormatException();
      }
      return Math.min(n, MAX_KEYS);
    } catch (NumberFormatException e) {
      throw new S3Exception(
              S3ErrorCode.INVALID_ARGUMENT,
              "Provided max-keys not an integer or within integer range")
          .with("ArgumentName", "max-keys");
    }
  }

  /** S3's {@code encoding-type=url}: form encoding, which every SDK decodes. */
  static String urlEncode(String s) {
    return URLEncoder.encode(s, StandardCharsets.UTF_8);
  }

  private static String emptyToNull(String s) {
    return s == null || s.isEmpty() ? null : s;
  }

  private static String nullToEmpty(String s) {
    return s == null ? "" : s;
  }
}
