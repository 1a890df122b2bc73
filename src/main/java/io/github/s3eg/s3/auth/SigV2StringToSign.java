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
 *
 * <p>The gateway's own operations ({@code ?s3eg-audit}, {@code ?s3eg-rewrap}) are not S3
 * sub-resources, so no SigV2 client library knows them; left out, an admin's signed {@code GET /}
 * or {@code POST /bucket?delete} could be replayed as an audit download or a rewrap. A query that
 * names one ({@value #GATEWAY_PARAMETER_PREFIX}…) is therefore signed whole: every parameter but
 * the query-authentication ones, sorted by name, name and value percent-encoded (as in SigV4) so
 * that an {@code &} or {@code =} inside a value cannot pass for a separator.
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

  /** Names the gateway's own query parameters. */
  static final String GATEWAY_PARAMETER_PREFIX = "s3eg-";

  /** The parameters that carry a presigned URL's signature: never part of what is signed. */
  private static final Set<String> QUERY_AUTHENTICATION =
      Set.of("AWSAccessKeyId", "Expires", "Signature");

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
    boolean gatewayOperation =
        query.all().stream().anyMatch(p -> p.name().startsWith(GATEWAY_PARAMETER_PREFIX));
    Map<String, List<String>> subResources = new TreeMap<>();
    for (QueryParameters.Parameter p : query.all()) {
      if (SUB_RESOURCES.contains(p.name())) {
        subResources
            .computeIfAbsent(p.name(), k -> new ArrayList<>())
            .add(p.hasValue() ? p.name() + "=" + p.value() : p.name());
      } else if (gatewayOperation && !QUERY_AUTHENTICATION.contains(p.name())) {
        String name = UriEncoding.encode(p.name());
        subResources
            .computeIfAbsent(name, k -> new ArrayList<>())
            .add(p.hasValue() ? name + "=" + UriEncoding.encode(p.value()) : name);
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
