package io.github.s3eg.pipeline;

import io.github.s3eg.backend.BackendClients;
import io.github.s3eg.backend.VisibleListing;
import io.github.s3eg.crypto.MultipartLayout;
import io.github.s3eg.crypto.SegmentLayout;
import io.github.s3eg.multipart.MultipartState;
import io.github.s3eg.s3.ContinuationToken;
import io.github.s3eg.s3.ListingEncoding;
import io.github.s3eg.s3.ObjectHeaders;
import io.github.s3eg.s3.S3ErrorCode;
import io.github.s3eg.s3.S3Exception;
import io.github.s3eg.s3.S3Request;
import io.github.s3eg.s3.S3Response;
import io.github.s3eg.s3.xml.XmlWriter;
import java.util.List;
import java.util.function.UnaryOperator;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.camel.Exchange;
import software.amazon.awssdk.services.s3.model.S3Object;

/**
 * ListObjects (v1) and ListObjectsV2. camel-aws2-s3 has no ListObjectsV2 and would hide the paging
 * fields, so these list through {@link VisibleListing} (which never shows or names the gateway's
 * own keys or the backend's bookkeeping) and write S3's XML themselves. Usually one backend request
 * per client request, never a HEAD per listed key; {@code encoding-type=url} is {@link
 * ListingEncoding}.
 */
public final class ListOperations {

  private static final int MAX_KEYS = 1000;

  private final software.amazon.awssdk.services.s3.S3Client backendS3;
  private VisibleListing listing;
  private final SegmentLayout layout;

  /** {@code layout}: the configured object layout, to report plaintext sizes by arithmetic. */
  public ListOperations(BackendClients backend, SegmentLayout layout) {
    this.backendS3 = backend.s3();
    this.listing = new VisibleListing(backend.s3());
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
    if (o.size() == null) {
      // A backend entry without a size (S3Proxy's filesystem store lists a key ending in '/' as a
      // directory): nothing to derive a plaintext size from; S3 lists such a folder marker as 0.
      return 0;
    }
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

  /**
   * With {@code ENCRYPTION_READ_S3EC=true}: S3 Encryption Client instruction files ({@code
   * key.instruction}) are left out of listings, as the S3EC's own clients never show them.
   */
  public void hideS3ecInstructionFiles() {
    this.listing = new VisibleListing(backendS3, S3ecReads::isInstructionFileKey);
  }

  public void listObjectsV2(Exchange exchange) {
    S3Request s3 = ObjectOperations.request(exchange);
    UnaryOperator<String> enc = ListingEncoding.of(s3);
    String token = emptyToNull(s3.param("continuation-token"));
    String startAfter = emptyToNull(s3.param("start-after"));
    String delimiter = emptyToNull(s3.param("delimiter"));
    int maxKeys = maxKeys(s3);
    VisibleListing.Page page =
        listing.list(
            s3.bucket(),
            s3.param("prefix"),
            delimiter,
            token != null ? ContinuationToken.lastEntry(token) : startAfter,
            maxKeys);

    XmlWriter xml = new XmlWriter().root("ListBucketResult");
    xml.element("Name", s3.bucket())
        .element("Prefix", enc.apply(nullToEmpty(s3.param("prefix"))))
        .element("Delimiter", enc.apply(delimiter))
        .element("MaxKeys", maxKeys)
        .element("EncodingType", ListingEncoding.requested(s3) ? "url" : null)
        .element("KeyCount", page.contents().size() + page.commonPrefixes().size())
        .element("IsTruncated", page.truncated())
        .element("ContinuationToken", token)
        .element(
            "NextContinuationToken",
            page.truncated() ? ContinuationToken.after(page.lastEntry()) : null)
        .element("StartAfter", enc.apply(startAfter));
    writeContents(xml, s3.bucket(), page.contents(), enc, "true".equals(s3.param("fetch-owner")));
    writePrefixes(xml, page.commonPrefixes(), enc);
    RequestStates.of(exchange).respond(S3Response.xml(200, xml.toBytes()));
  }

  public void listObjects(Exchange exchange) {
    S3Request s3 = ObjectOperations.request(exchange);
    UnaryOperator<String> enc = ListingEncoding.of(s3);
    String delimiter = emptyToNull(s3.param("delimiter"));
    int maxKeys = maxKeys(s3);
    VisibleListing.Page page =
        listing.list(s3.bucket(), s3.param("prefix"), delimiter, s3.param("marker"), maxKeys);

    XmlWriter xml = new XmlWriter().root("ListBucketResult");
    xml.element("Name", s3.bucket())
        .element("Prefix", enc.apply(nullToEmpty(s3.param("prefix"))))
        .element("Marker", enc.apply(nullToEmpty(s3.param("marker"))))
        // S3 names the next marker only under a delimiter; without one it is the last key.
        .element("NextMarker", delimiter == null ? null : enc.apply(page.lastEntry()))
        .element("MaxKeys", maxKeys)
        .element("Delimiter", enc.apply(delimiter))
        .element("EncodingType", ListingEncoding.requested(s3) ? "url" : null)
        .element("IsTruncated", page.truncated());
    writeContents(xml, s3.bucket(), page.contents(), enc, true);
    writePrefixes(xml, page.commonPrefixes(), enc);
    RequestStates.of(exchange).respond(S3Response.xml(200, xml.toBytes()));
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
    if (etag == null || etag.contains("-") || o.size() == null) {
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
      XmlWriter xml, List<String> prefixes, UnaryOperator<String> enc) {
    for (String p : prefixes) {
      xml.start("CommonPrefixes").element("Prefix", enc.apply(p)).end();
    }
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

  private static String emptyToNull(String s) {
    return s == null || s.isEmpty() ? null : s;
  }

  private static String nullToEmpty(String s) {
    return s == null ? "" : s;
  }
}
