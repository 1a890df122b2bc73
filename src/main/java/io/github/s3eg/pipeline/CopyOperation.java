package io.github.s3eg.pipeline;

import io.github.s3eg.backend.BackendClients;
import io.github.s3eg.crypto.CryptoException;
import io.github.s3eg.crypto.MultipartIndex;
import io.github.s3eg.crypto.ObjectEncryptor;
import io.github.s3eg.crypto.ObjectRebinder;
import io.github.s3eg.crypto.OpenedObject;
import io.github.s3eg.multipart.MultipartIndexes;
import io.github.s3eg.multipart.MultipartState;
import io.github.s3eg.multipart.PartwiseCopy;
import io.github.s3eg.s3.ObjectHeaders;
import io.github.s3eg.s3.Preconditions;
import io.github.s3eg.s3.S3ErrorCode;
import io.github.s3eg.s3.S3Exception;
import io.github.s3eg.s3.S3Request;
import io.github.s3eg.s3.S3RequestParser;
import io.github.s3eg.s3.S3Response;
import io.github.s3eg.s3.xml.XmlWriter;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import org.apache.camel.Exchange;
import software.amazon.awssdk.services.s3.model.CopyObjectRequest;
import software.amazon.awssdk.services.s3.model.CopyObjectResponse;
import software.amazon.awssdk.services.s3.model.HeadObjectResponse;
import software.amazon.awssdk.services.s3.model.MetadataDirective;

/**
 * CopyObject ({@code PUT} with {@code x-amz-copy-source}). For a source encrypted with the
 * configured algorithm the data key is re-wrapped for the destination's bucket and key and the body
 * is copied server-side at the backend: no object bytes pass through the gateway (a compressed
 * source stays compressed, an uncompressed one uncompressed). A source encrypted with another
 * algorithm, or a plaintext source (only readable with {@code
 * ENCRYPTION_ALLOW_PLAINTEXT_READS=true}), is re-encrypted by streaming ({@link ReencryptingCopy}).
 * S3's metadata directive applies to the client's metadata: {@code COPY} keeps the source's headers
 * and metadata, {@code REPLACE} takes them from this request.
 */
public final class CopyOperation {

  /** The source named by {@code x-amz-copy-source}. */
  public record CopySource(String bucket, String key) {

    public static CopySource parse(String header) {
      String value = header.trim();
      if (value.contains("?versionId=")) {
        throw new S3Exception(
            S3ErrorCode.NOT_IMPLEMENTED, "Copying a specific object version is not supported");
      }
      String decoded = S3RequestParser.parseQuery("x=" + value.replace("+", "%2B")).get("x");
      if (decoded.startsWith("/")) {
        decoded = decoded.substring(1);
      }
      int slash = decoded.indexOf('/');
      if (slash <= 0 || slash == decoded.length() - 1) {
        throw new S3Exception(
                S3ErrorCode.INVALID_ARGUMENT,
                "Copy Source must mention the source bucket and key: sourcebucket/sourcekey")
            .with("ArgumentName", "x-amz-copy-source");
      }
      String key = decoded.substring(slash + 1);
      if (io.github.s3eg.backend.ReservedKeys.isReserved(key)) {
        throw new S3Exception(
            S3ErrorCode.ACCESS_DENIED,
            "Keys under "
                + io.github.s3eg.backend.ReservedKeys.PREFIX
                + " are reserved by the gateway.");
      }
      return new CopySource(decoded.substring(0, slash), key);
    }
  }

  private final BackendClients backend;
  private final DecryptObject decryption;
  private MultipartIndexes multipartIndexes;
  private MultipartState multipartState;
  private final ObjectRebinder rebinder;
  private final ReencryptingCopy reencryption;

  public CopyOperation(
      BackendClients backend,
      DecryptObject decryption,
      ObjectRebinder rebinder,
      ObjectEncryptor encryptor,
      CompressionPolicy compression,
      long spoolLimit,
      ObjectOperations objects) {
    this.backend = backend;
    this.decryption = decryption;
    this.rebinder = rebinder;
    this.reencryption = new ReencryptingCopy(backend, encryptor, compression, spoolLimit, objects);
  }

  /** Enables copying multipart sources (their indexes are read and written through these). */
  public void copyMultipartWith(MultipartIndexes indexes, MultipartState state) {
    this.multipartIndexes = indexes;
    this.multipartState = state;
  }

  public void copyObject(Exchange exchange) throws CryptoException {
    S3Request s3 = ObjectOperations.request(exchange);
    CopySource source = CopySource.parse(s3.header("x-amz-copy-source"));
    boolean replace = replaceDirective(s3);
    if (!replace && source.bucket().equals(s3.bucket()) && source.key().equals(s3.key())) {
      throw new S3Exception(
          S3ErrorCode.INVALID_REQUEST,
          "This copy request is illegal because it is trying to copy an object to itself without changing the object's metadata, storage class, website redirect location or encryption attributes.");
    }
    HeadObjectResponse src =
        backend.s3().headObject(h -> h.bucket(source.bucket()).key(source.key()));
    Optional<OpenedObject> opened = decryption.resolve(source.bucket(), source.key(), src.metadata()).opened();
    String etag = ObjectOperations.etag(opened.orElse(null), src.eTag());

    ObjectHeaders headers;
    if (replace) {
      headers = ObjectHeaders.fromRequest(s3);
      EncryptObject.rejectReservedMetadata(headers.userMetadata());
    } else {
      headers =
          ObjectOperations.clientHeaders(
              src.contentType(),
              src.contentEncoding(),
              src.contentDisposition(),
              src.contentLanguage(),
              src.cacheControl(),
              src.expiresString(),
              src.metadata());
    }
    Instant lastModified;
    if (opened.isPresent() && opened.get().isMultipart()) {
      MultipartIndexes.Loaded loaded =
          multipartIndexes.load(
              opened.get(), source.bucket(), source.key(), src.contentLength(), src.eTag());
      etag = "\"" + loaded.etag() + "\"";
      checkCopyConditions(s3, etag, src.lastModified());
      lastModified = copyMultipart(s3, source, src, headers, loaded.index());
    } else if (reencryption.needed(opened)) {
      checkCopyConditions(s3, etag, src.lastModified());
      reencryption.copy(
          s3, source.bucket(), source.key(), src.eTag(), src.contentLength(), opened, headers);
      lastModified = Instant.now();
    } else {
      checkCopyConditions(s3, etag, src.lastModified());
      lastModified = copyServerSide(s3, source, src, headers);
    }
    XmlWriter xml =
        new XmlWriter()
            .root("CopyObjectResult")
            .element("LastModified", ObjectHeaders.xmlDate(lastModified))
            .element("ETag", etag);
    RequestState.of(exchange).respond(S3Response.xml(200, xml.toBytes()));
  }

  /** Re-wraps the data key for the destination; the backend copies the body unchanged. */
  private Instant copyServerSide(
      S3Request s3, CopySource source, HeadObjectResponse src, ObjectHeaders headers)
      throws CryptoException {
    Map<String, String> metadata = new LinkedHashMap<>(headers.userMetadata());
    metadata.putAll(
        rebinder.rebind(source.bucket(), source.key(), src.metadata(), s3.bucket(), s3.key()));
    CopyObjectRequest.Builder b =
        CopyObjectRequest.builder()
            .sourceBucket(source.bucket())
            .sourceKey(source.key())
            .destinationBucket(s3.bucket())
            .destinationKey(s3.key())
            // The wrapped key was made for exactly this source version.
            .copySourceIfMatch(src.eTag())
            .metadataDirective(MetadataDirective.REPLACE);
    ObjectOperations.applyHeaders(
        headers,
        metadata,
        b::contentType,
        b::contentEncoding,
        b::contentDisposition,
        b::contentLanguage,
        b::cacheControl,
        b::metadata);
    if (headers.expires() != null) {
      b.expires(Preconditions.parseHttpDate(headers.expires()));
    }
    CopyObjectResponse r = backend.s3().copyObject(b.build());
    return r.copyObjectResult().lastModified();
  }

  /**
   * A multipart source is copied part by part on the backend (UploadPartCopy of each stored part,
   * same part numbers, since each part is bound to its number): no byte passes through the gateway,
   * objects above 5 GiB copy like any other, and the copy is again a multipart object with its own
   * index (MAC'd for the new name) and the source's ETag.
   */
  private Instant copyMultipart(
      S3Request s3,
      CopySource source,
      HeadObjectResponse src,
      ObjectHeaders headers,
      MultipartIndex index)
      throws CryptoException {
    Map<String, String> crypto =
        rebinder.rebind(source.bucket(), source.key(), src.metadata(), s3.bucket(), s3.key());
    OpenedObject target = decryption.resolve(s3.bucket(), s3.key(), crypto).opened().orElseThrow();
    Map<String, String> metadata = new LinkedHashMap<>(headers.userMetadata());
    metadata.putAll(crypto);
    PartwiseCopy.copy(
        backend.uploads(),
        source.bucket(),
        source.key(),
        src.eTag(),
        index,
        s3.bucket(),
        s3.key(),
        b -> {
          ObjectOperations.applyHeaders(
              headers,
              metadata,
              b::contentType,
              b::contentEncoding,
              b::contentDisposition,
              b::contentLanguage,
              b::cacheControl,
              b::metadata);
          if (headers.expires() != null) {
            b.expires(Preconditions.parseHttpDate(headers.expires()));
          }
        });
    multipartState.writeIndex(
        s3.bucket(), s3.key(), target.sealIndex(index, s3.bucket(), s3.key()));
    return Instant.now();
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
    String ifMatch = s3.header("x-amz-copy-source-if-match");
    String ifNoneMatch = s3.header("x-amz-copy-source-if-none-match");
    Instant unmodifiedSince =
        Preconditions.parseHttpDate(s3.header("x-amz-copy-source-if-unmodified-since"));
    Instant modifiedSince =
        Preconditions.parseHttpDate(s3.header("x-amz-copy-source-if-modified-since"));
    long modified = lastModified == null ? 0 : lastModified.getEpochSecond();
    boolean failed =
        (ifMatch != null && !Preconditions.matches(ifMatch, etag))
            || (ifMatch == null
                && unmodifiedSince != null
                && modified > unmodifiedSince.getEpochSecond())
            || (ifNoneMatch != null && Preconditions.matches(ifNoneMatch, etag))
            || (ifNoneMatch == null
                && modifiedSince != null
                && modified <= modifiedSince.getEpochSecond());
    if (failed) {
      throw new S3Exception(
          S3ErrorCode.PRECONDITION_FAILED,
          "At least one of the pre-conditions you specified did not hold");
    }
  }
}
