package io.github.s3eg.s3;

import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * Turns the raw request line into bucket, key and query parameters, in path style ({@code
 * /bucket/key}) or, when {@code SERVER_DOMAIN} is set and the Host header is a sub-domain of it,
 * virtual-host style ({@code bucket.domain/key}).
 *
 * <p>Keys are taken byte for byte from the raw path after percent-decoding, so {@code a//b}, {@code
 * ./}, {@code ../}, {@code +} and unicode round-trip exactly as on S3.
 */
public final class S3RequestParser {

  /** S3's maximum key length, in UTF-8 bytes. */
  public static final int MAX_KEY_BYTES = 1024;

  private static final Pattern BUCKET_NAME = Pattern.compile("[a-z0-9][a-z0-9.\\-_]{1,61}[a-z0-9]");
  private static final Pattern IP_ADDRESS = Pattern.compile("\\d+\\.\\d+\\.\\d+\\.\\d+");

  /**
   * Query parameters that hold keys or parts of keys: like a key, none may hold NUL (the backend
   * refused it with a bare 400, which clients saw as a 500).
   */
  private static final List<String> KEY_PARAMETERS =
      List.of("prefix", "marker", "start-after", "delimiter", "key-marker");

  private final Optional<String> serverDomain;

  public S3RequestParser(Optional<String> serverDomain) {
    this.serverDomain = serverDomain;
  }

  public S3Request parse(
      String requestId,
      String method,
      String rawUri,
      Map<String, List<String>> headers,
      String clientAddress) {
    int q = rawUri.indexOf('?');
    String rawPath = q < 0 ? rawUri : rawUri.substring(0, q);
    String rawQuery = q < 0 ? "" : rawUri.substring(q + 1);
    if (!rawPath.startsWith("/")) {
      throw new S3Exception(S3ErrorCode.INVALID_REQUEST, "request target must be an absolute path");
    }
    Map<String, String> query = parseQuery(rawQuery);
    for (String name : KEY_PARAMETERS) {
      String value = query.get(name);
      if (value != null && value.indexOf(0) >= 0) {
        throw new S3Exception(
                S3ErrorCode.INVALID_ARGUMENT, name + " must not contain NUL characters")
            .with("ArgumentName", name);
      }
    }

    String bucket;
    String key;
    String hostBucket = virtualHostBucket(headers);
    if (hostBucket != null) {
      bucket = hostBucket;
      key = rawPath.length() > 1 ? decodePath(rawPath.substring(1)) : null;
    } else {
      String rest = rawPath.substring(1);
      int slash = rest.indexOf('/');
      String rawBucket = slash < 0 ? rest : rest.substring(0, slash);
      bucket = rawBucket.isEmpty() ? null : decodePath(rawBucket);
      String rawKey = slash < 0 ? "" : rest.substring(slash + 1);
      key = rawKey.isEmpty() ? null : decodePath(rawKey);
    }
    if (bucket != null) {
      validateBucket(bucket);
    }
    if (key != null) {
      validateKey(key);
    }
    S3Request request =
        new S3Request(
            requestId, method, rawPath, rawQuery, bucket, key, query, headers, clientAddress);
    ObjectHeaders.checkStorageClass(request);
    return request;
  }

  private String virtualHostBucket(Map<String, List<String>> headers) {
    if (serverDomain.isEmpty()) {
      return null;
    }
    List<String> hosts = headers.get("Host");
    if (hosts == null || hosts.isEmpty()) {
      return null;
    }
    String host = hosts.get(0).toLowerCase(Locale.ROOT);
    int colon = host.lastIndexOf(':');
    if (colon > 0 && host.indexOf(']') < colon) {
      host = host.substring(0, colon);
    }
    String suffix = "." + serverDomain.get();
    if (host.endsWith(suffix) && host.length() > suffix.length()) {
      return host.substring(0, host.length() - suffix.length());
    }
    return null;
  }

  static void validateBucket(String bucket) {
    if (!BUCKET_NAME.matcher(bucket).matches()
        || bucket.contains("..")
        || IP_ADDRESS.matcher(bucket).matches()) {
      throw new S3Exception(S3ErrorCode.INVALID_BUCKET_NAME, "The specified bucket is not valid.")
          .with("BucketName", bucket);
    }
  }

  public static void validateKey(String key) {
    if (key.getBytes(StandardCharsets.UTF_8).length > MAX_KEY_BYTES) {
      throw new S3Exception(S3ErrorCode.KEY_TOO_LONG, "Your key is too long");
    }
    for (int i = 0; i < key.length(); i++) {
      if (key.charAt(i) == 0) {
        // S3 would store it; most backends (and file systems behind them) cannot.
        throw new S3Exception(
            S3ErrorCode.INVALID_ARGUMENT, "Object keys must not contain NUL characters");
      }
    }
  }

  /** Decodes the query string; a parameter without {@code =} gets the empty value. */
  public static Map<String, String> parseQuery(String rawQuery) {
    Map<String, String> result = new LinkedHashMap<>();
    if (rawQuery.isEmpty()) {
      return result;
    }
    for (String pair : rawQuery.split("&")) {
      if (pair.isEmpty()) {
        continue;
      }
      int eq = pair.indexOf('=');
      String name = decode(eq < 0 ? pair : pair.substring(0, eq), true);
      String value = eq < 0 ? "" : decode(pair.substring(eq + 1), true);
      result.putIfAbsent(name, value);
    }
    return result;
  }

  static String decodePath(String raw) {
    return decode(raw, false);
  }

  /**
   * Percent-decodes UTF-8 the way the signature check does ({@link PercentDecoding}). In the path
   * {@code +} is a literal plus (as S3 and the SDKs treat it); in the query it stands for a space
   * (form encoding).
   */
  static String decode(String raw, boolean plusIsSpace) {
    return PercentDecoding.text(raw, plusIsSpace);
  }
}
