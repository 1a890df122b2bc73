package io.github.s3eg.pipeline;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import io.github.s3eg.crypto.CryptoException;
import io.github.s3eg.s3.ObjectHeaders;
import io.github.s3eg.s3.RequestedVersion;
import io.github.s3eg.s3.S3ErrorCode;
import io.github.s3eg.s3.S3Exception;
import io.github.s3eg.s3.S3Request;
import io.github.s3eg.s3.S3Response;
import io.github.s3eg.s3.xml.XmlWriter;
import io.github.s3eg.versions.VersionListing;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.Semaphore;
import java.util.function.UnaryOperator;
import org.apache.camel.Exchange;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import software.amazon.awssdk.services.s3.model.DeleteMarkerEntry;
import software.amazon.awssdk.services.s3.model.ObjectVersion;

/**
 * ListObjectVersions ({@code GET /bucket?versions}) with what clients see of each version: its
 * plaintext size and the ETag its PUT, HEAD and GET answer (the plaintext MD5, or a multipart
 * object's MD5 of part MD5s), never the backend's ciphertext values. A listing carries no metadata,
 * so each version is described by a HEAD of it (and a multipart one by its index): up to {@value
 * #PARALLEL} at a time, and kept per instance, since a version never changes (except the {@code
 * null} version of a suspended bucket, which is never kept). Delete markers and common prefixes
 * pass as they are; the gateway's own records never appear ({@link VersionListing}).
 */
public final class ListVersionsOperation {

  private static final Logger LOG = LoggerFactory.getLogger(ListVersionsOperation.class);

  static final int MAX_KEYS = 1000;
  static final int PARALLEL = 16;

  /** What a client sees of one version. */
  record Seen(String etag, long size) {}

  private record VersionName(String bucket, String key, String versionId) {}

  private final VersionListing listing;
  private final PlaintextReader reader;
  private final Cache<VersionName, Seen> seen =
      Caffeine.newBuilder().maximumSize(200_000).expireAfterAccess(Duration.ofHours(6)).build();

  ListVersionsOperation(VersionListing listing, PlaintextReader reader) {
    this.listing = listing;
    this.reader = reader;
  }

  /** The bean the routes name. */
  public static ListVersionsOperation create(
      VersionListing listing,
      io.github.s3eg.backend.BackendClients backend,
      DecryptObject decryption,
      io.github.s3eg.multipart.MultipartIndexes indexes) {
    return new ListVersionsOperation(listing, new PlaintextReader(backend, decryption, indexes));
  }

  public void listObjectVersions(Exchange exchange) {
    S3Request s3 = ObjectOperations.request(exchange);
    UnaryOperator<String> enc = encoding(s3);
    String prefix = emptyToNull(s3.param("prefix"));
    String delimiter = emptyToNull(s3.param("delimiter"));
    String keyMarker = emptyToNull(s3.param("key-marker"));
    String versionIdMarker = emptyToNull(s3.param("version-id-marker"));
    if (versionIdMarker != null && keyMarker == null) {
      throw new S3Exception(
              S3ErrorCode.INVALID_ARGUMENT,
              "A version-id marker cannot be specified without a key marker.")
          .with("ArgumentName", "version-id-marker");
    }
    RequestedVersion.check(versionIdMarker);
    int maxKeys = maxKeys(s3);
    VersionListing.Page page =
        listing.list(s3.bucket(), prefix, delimiter, keyMarker, versionIdMarker, maxKeys);
    Map<ObjectVersion, Seen> described = describe(s3.bucket(), page.entries());

    XmlWriter xml = new XmlWriter().root("ListVersionsResult");
    xml.element("Name", s3.bucket())
        .element("Prefix", enc.apply(prefix == null ? "" : prefix))
        .element("KeyMarker", enc.apply(keyMarker == null ? "" : keyMarker))
        .element("VersionIdMarker", versionIdMarker == null ? "" : versionIdMarker)
        .element("NextKeyMarker", page.truncated() ? enc.apply(page.nextKey()) : null)
        .element("NextVersionIdMarker", page.truncated() ? page.nextVersionId() : null)
        .element("MaxKeys", maxKeys)
        .element("Delimiter", delimiter == null ? null : enc.apply(delimiter))
        .element("EncodingType", s3.param("encoding-type") != null ? "url" : null)
        .element("IsTruncated", page.truncated());
    List<String> prefixes = new ArrayList<>();
    for (VersionListing.Entry e : page.entries()) {
      if (e.version() != null) {
        writeVersion(xml, e.version(), described.get(e.version()), enc);
      } else if (e.deleteMarker() != null) {
        writeDeleteMarker(xml, e.deleteMarker(), enc);
      } else {
        prefixes.add(e.commonPrefix());
      }
    }
    prefixes.forEach(p -> xml.start("CommonPrefixes").element("Prefix", enc.apply(p)).end());
    RequestStates.of(exchange).respond(S3Response.xml(200, xml.toBytes()));
  }

  private static void writeVersion(
      XmlWriter xml, ObjectVersion v, Seen seen, UnaryOperator<String> enc) {
    xml.start("Version")
        .element("Key", enc.apply(v.key()))
        .element("VersionId", v.versionId())
        .element("IsLatest", Boolean.TRUE.equals(v.isLatest()))
        .element("LastModified", ObjectHeaders.xmlDate(v.lastModified()))
        .element("ETag", seen.etag())
        .element("Size", seen.size())
        .element(
            "StorageClass",
            v.storageClassAsString() == null ? "STANDARD" : v.storageClassAsString());
    owner(xml);
    xml.end();
  }

  private static void writeDeleteMarker(
      XmlWriter xml, DeleteMarkerEntry m, UnaryOperator<String> enc) {
    xml.start("DeleteMarker")
        .element("Key", enc.apply(m.key()))
        .element("VersionId", m.versionId())
        .element("IsLatest", Boolean.TRUE.equals(m.isLatest()))
        .element("LastModified", ObjectHeaders.xmlDate(m.lastModified()));
    owner(xml);
    xml.end();
  }

  private static void owner(XmlWriter xml) {
    xml.start("Owner")
        .element("ID", BucketOperations.OWNER_ID)
        .element("DisplayName", BucketOperations.OWNER_ID)
        .end();
  }

  /** Each listed version as clients see it, {@value #PARALLEL} HEADs at a time. */
  private Map<ObjectVersion, Seen> describe(String bucket, List<VersionListing.Entry> entries) {
    Map<ObjectVersion, Seen> out = new ConcurrentHashMap<>();
    Semaphore slots = new Semaphore(PARALLEL);
    try (var executor = Executors.newVirtualThreadPerTaskExecutor()) {
      for (VersionListing.Entry e : entries) {
        ObjectVersion v = e.version();
        if (v == null) {
          continue;
        }
        VersionName name = new VersionName(bucket, v.key(), v.versionId());
        Seen cached = seen.getIfPresent(name);
        if (cached != null) {
          out.put(v, cached);
          continue;
        }
        slots.acquireUninterruptibly();
        executor.submit(
            () -> {
              try {
                Seen s = describe(bucket, v);
                if (RequestedVersion.pin(v.versionId()) != null) {
                  seen.put(name, s);
                }
                out.put(v, s);
              } finally {
                slots.release();
              }
            });
      }
    }
    return out;
  }

  private Seen describe(String bucket, ObjectVersion v) {
    try {
      PlaintextReader.Described d =
          reader.describe(bucket, v.key(), RequestedVersion.pin(v.versionId()));
      return new Seen(d.etag(), d.size());
    } catch (CryptoException | RuntimeException e) {
      // Listed as the backend stores it: what the gateway cannot open it cannot describe (the
      // same version answers GET and HEAD with its error).
      LOG.warn(
          "listing {}/{} version {}: cannot describe it ({}); listed with its stored size and ETag",
          bucket,
          v.key(),
          v.versionId(),
          e.getMessage());
      return new Seen(v.eTag(), v.size() == null ? 0 : v.size());
    }
  }

  private static UnaryOperator<String> encoding(S3Request s3) {
    String type = s3.param("encoding-type");
    if (type == null) {
      return UnaryOperator.identity();
    }
    if (!type.equals("url")) {
      throw new S3Exception(
              S3ErrorCode.INVALID_ARGUMENT, "Invalid Encoding Method specified in Request")
          .with("ArgumentName", "encoding-type");
    }
    return ListVersionsOperation::urlEncode;
  }

  /** As S3 encodes listing elements: form encoding, with {@code /} kept as it is. */
  static String urlEncode(String value) {
    return value == null
        ? null
        : URLEncoder.encode(value, StandardCharsets.UTF_8).replace("%2F", "/");
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
}
