package io.github.s3eg.s3;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
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
    return new S3Request(
        requestId, method, rawPath, rawQuery, bucket, key, query, headers, clientAddress);
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
   * Percent-decodes UTF-8. In the path {@code +} is a literal plus (as S3 and the SDKs treat it);
   * in the query it stands for a space (form encoding).
   */
  static String decode(String raw, boolean plusIsSpace) {
    if (raw.indexOf('%') < 0 && !(plusIsSpace && raw.indexOf('+') >= 0)) {
      return raw;
    }
    ByteArrayOutputStream bytes = new ByteArrayOutputStream(raw.length());
    for (int i = 0; i < raw.length(); i++) {
      char c = raw.charAt(i);
      if (c == '%') {
        if (i + 2 >= raw.length()) {
          throw invalidUri();
        }
        int hi = Character.digit(raw.charAt(i + 1), 16);
        int lo = Character.digit(raw.charAt(i + 2), 16);
        if (hi < 0 || lo < 0) {
          throw invalidUri();
        }
        bytes.write(hi << 4 | lo);
        i += 2;
      } else if (c == '+' && plusIsSpace) {
        bytes.write(' ');
      } else {
        byte[] encoded = String.valueOf(c).getBytes(StandardCharsets.UTF_8);
        if (Character.isHighSurrogate(c) && i + 1 < raw.length()) {
          encoded = raw.substring(i, i + 2).getBytes(StandardCharsets.UTF_8);
          i++;
        }
        bytes.writeBytes(encoded);
      }
    }
    try {
      return StandardCharsets.UTF_8
          .newDecoder()
          .onMalformedInput(CodingErrorAction.REPORT)
          .onUnmappableCharacter(CodingErrorAction.REPORT)
          .decode(ByteBuffer.wrap(bytes.toByteArray()))
          .toString();
    } catch (CharacterCodingException e) {
      throw invalidUri();
    }
  }

  private static S3Exception invalidUri() {
    return new S3Exception(S3ErrorCode.INVALID_URI, "Couldn't parse the specified URI.");
  }
}
