package io.github.s3eg.s3;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * The object headers S3 stores and returns: the standard content headers, the storage class, the
 * website redirect and {@code x-amz-meta-*} user metadata. Read from a PUT (or a REPLACE copy),
 * written back on GET and HEAD.
 */
public record ObjectHeaders(
    String contentType,
    String contentEncoding,
    String contentDisposition,
    String contentLanguage,
    String cacheControl,
    String expires,
    String storageClass,
    String websiteRedirectLocation,
    Map<String, String> userMetadata) {

  public static final String STORAGE_CLASS = "x-amz-storage-class";

  /** The storage classes S3 accepts in {@code x-amz-storage-class}. */
  static final Set<String> STORAGE_CLASSES =
      Set.of(
          "STANDARD",
          "REDUCED_REDUNDANCY",
          "STANDARD_IA",
          "ONEZONE_IA",
          "INTELLIGENT_TIERING",
          "GLACIER",
          "DEEP_ARCHIVE",
          "OUTPOSTS",
          "GLACIER_IR",
          "SNOW",
          "EXPRESS_ONEZONE");

  public static final String WEBSITE_REDIRECT_LOCATION = "x-amz-website-redirect-location";

  /** S3's limit on user metadata: names (without prefix) plus values, in UTF-8 bytes. */
  public static final int MAX_USER_METADATA_BYTES = 2048;

  public static final String META_PREFIX = "x-amz-meta-";

  /** Reads the headers from a request, validating the user-metadata size. */
  public static ObjectHeaders fromRequest(S3Request request) {
    Map<String, String> meta = new LinkedHashMap<>();
    int size = 0;
    for (Map.Entry<String, List<String>> e : request.headers().entrySet()) {
      String name = e.getKey().toLowerCase(Locale.ROOT);
      if (name.startsWith(META_PREFIX) && name.length() > META_PREFIX.length()) {
        String shortName = name.substring(META_PREFIX.length());
        String value = String.join(",", e.getValue());
        meta.put(shortName, value);
        size +=
            shortName.getBytes(StandardCharsets.UTF_8).length
                + value.getBytes(StandardCharsets.UTF_8).length;
      }
    }
    if (size > MAX_USER_METADATA_BYTES) {
      throw new S3Exception(
              S3ErrorCode.METADATA_TOO_LARGE,
              "Your metadata headers exceed the maximum allowed metadata size")
          .with("Size", Integer.toString(size))
          .with("MaxSizeAllowed", Integer.toString(MAX_USER_METADATA_BYTES));
    }
    return new ObjectHeaders(
        request.header("Content-Type"),
        stripAwsChunked(request.header("Content-Encoding")),
        request.header("Content-Disposition"),
        request.header("Content-Language"),
        request.header("Cache-Control"),
        request.header("Expires"),
        request.header(STORAGE_CLASS),
        request.header(WEBSITE_REDIRECT_LOCATION),
        meta);
  }

  /**
   * These headers with the storage class and website redirect a copy's request names: S3 takes both
   * from the CopyObject request, never from the source, whatever the metadata directive.
   */
  public ObjectHeaders withSettingsOf(S3Request copyRequest) {
    return new ObjectHeaders(
        contentType,
        contentEncoding,
        contentDisposition,
        contentLanguage,
        cacheControl,
        expires,
        copyRequest.header(STORAGE_CLASS),
        copyRequest.header(WEBSITE_REDIRECT_LOCATION),
        userMetadata);
  }

  /**
   * Refuses a storage class S3 does not know with S3's {@code 400 InvalidStorageClass}, before
   * anything reaches the backend (which refused it with a bare 400 the client saw as a 500).
   */
  static void checkStorageClass(S3Request request) {
    String value = request.header(STORAGE_CLASS);
    if (value != null && !STORAGE_CLASSES.contains(value)) {
      throw new S3Exception(
          S3ErrorCode.INVALID_STORAGE_CLASS, "The storage class you specified is not valid");
    }
  }

  /** {@code aws-chunked} describes the transfer framing, not the object: S3 does not store it. */
  public static String stripAwsChunked(String contentEncoding) {
    if (contentEncoding == null) {
      return null;
    }
    String rest =
        String.join(
            ",",
            java.util.Arrays.stream(contentEncoding.split(","))
                .map(String::trim)
                .filter(s -> !s.isEmpty() && !s.equalsIgnoreCase("aws-chunked"))
                .toList());
    return rest.isEmpty() ? null : rest;
  }

  /** Adds these headers to a response, applying {@code response-*} overrides from a GET's query. */
  public void writeTo(S3Response response, S3Request request) {
    response.header(
        "Content-Type",
        override(
            request,
            "response-content-type",
            contentType == null ? "binary/octet-stream" : contentType));
    response.header(
        "Content-Encoding", override(request, "response-content-encoding", contentEncoding));
    response.header(
        "Content-Disposition",
        override(request, "response-content-disposition", contentDisposition));
    response.header(
        "Content-Language", override(request, "response-content-language", contentLanguage));
    response.header("Cache-Control", override(request, "response-cache-control", cacheControl));
    response.header("Expires", override(request, "response-expires", HttpDate.normalize(expires)));
    response.header(STORAGE_CLASS, storageClass);
    response.header(WEBSITE_REDIRECT_LOCATION, websiteRedirectLocation);
    userMetadata.forEach((k, v) -> response.header(META_PREFIX + k, v));
  }

  private static String override(S3Request request, String parameter, String value) {
    String o = request == null ? null : request.param(parameter);
    return o != null && !o.isEmpty() ? o : value;
  }

  /** IMF-fixdate (see {@link HttpDate}). */
  public static String httpDate(Instant instant) {
    return HttpDate.format(instant);
  }

  /** ISO-8601 with milliseconds, as S3 writes dates in XML. */
  public static String xmlDate(Instant instant) {
    return instant == null
        ? null
        : DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss.SSS'Z'")
            .format(instant.atOffset(ZoneOffset.UTC));
  }
}
