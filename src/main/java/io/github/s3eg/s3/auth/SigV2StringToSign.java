package io.github.s3eg.s3.auth;

import io.github.s3eg.s3.PercentDecoding;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * Builds the SigV2 string to sign:
 *
 * <pre>
 * VERB \n Content-MD5 \n Content-Type \n Date-or-Expires \n CanonicalizedAmzHeaders CanonicalizedResource
 * </pre>
 *
 * CanonicalizedAmzHeaders are the {@code x-amz-*} headers, lower-cased, sorted, repeated values
 * joined with commas, each {@code name:value\n}. CanonicalizedResource is {@code /bucket} (for
 * virtual-hosted requests) plus the path as sent, plus the S3 sub-resources of the query, sorted,
 * with decoded values.
 */
final class SigV2StringToSign {

  /** The query parameters that are part of the resource in SigV2 (as in boto and s3cmd). */
  static final Set<String> SUB_RESOURCES =
      Set.of(
          "accelerate",
          "acl",
          "analytics",
          "cors",
          "delete",
          "encryption",
          "inventory",
          "lifecycle",
          "location",
          "logging",
          "metrics",
          "notification",
          "object-lock",
          "partNumber",
          "policy",
          "replication",
          "requestPayment",
          "response-cache-control",
          "response-content-disposition",
          "response-content-encoding",
          "response-content-language",
          "response-content-type",
          "response-expires",
          "restore",
          "select",
          "select-type",
          "tagging",
          "torrent",
          "uploadId",
          "uploads",
          "versionId",
          "versioning",
          "versions",
          "website");

  private SigV2StringToSign() {}

  /**
   * @param dateLine the {@code Date} header (empty if {@code x-amz-date} is used), or {@code
   *     Expires} for query authentication
   * @param virtualHostBucket the bucket named by the Host header, or {@code null}
   */
  static String build(
      SignedRequest request, QueryParameters query, String dateLine, String virtualHostBucket) {
    RequestHeaders headers = request.headers();
    StringBuilder sb = new StringBuilder(256);
    sb.append(request.method()).append('\n');
    sb.append(headers.first("content-md5").orElse("").trim()).append('\n');
    sb.append(headers.first("content-type").orElse("").trim()).append('\n');
    sb.append(dateLine).append('\n');
    for (String name : headers.names()) {
      if (name.startsWith("x-amz-")) {
        sb.append(name).append(':');
        List<String> values = headers.all(name);
        for (int i = 0; i < values.size(); i++) {
          if (i > 0) {
            sb.append(',');
          }
          CanonicalRequest.appendFolded(sb, values.get(i));
        }
        sb.append('\n');
      }
    }
    if (virtualHostBucket != null) {
      sb.append('/').append(virtualHostBucket);
    }
    // The path as sent, its raw octets (if any) read as UTF-8, as the key parser reads them.
    sb.append(PercentDecoding.asSent(request.rawPath()));
    Map<String, List<String>> subResources = new TreeMap<>();
    for (QueryParameters.Parameter p : query.all()) {
      if (SUB_RESOURCES.contains(p.name())) {
        subResources
            .computeIfAbsent(p.name(), k -> new ArrayList<>())
            .add(p.hasValue() ? p.name() + "=" + p.value() : p.name());
      }
    }
    char separator = '?';
    for (List<String> entries : subResources.values()) {
      for (String entry : entries) {
        sb.append(separator).append(entry);
        separator = '&';
      }
    }
    return sb.toString();
  }
}
