package io.github.s3eg.conformance;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/** A raw HTTP answer: status, headers (case-insensitive names) and the whole body. */
public record HttpResult(int status, Map<String, List<String>> headers, byte[] body) {

  public HttpResult {
    TreeMap<String, List<String>> copy = new TreeMap<>(String.CASE_INSENSITIVE_ORDER);
    copy.putAll(headers);
    headers = copy;
  }

  /** The first value of header {@code name}, or null. */
  public String header(String name) {
    List<String> values = headers.get(name);
    return values == null || values.isEmpty() ? null : values.get(0);
  }

  public String text() {
    return new String(body, StandardCharsets.UTF_8);
  }

  public Xml xml() {
    return Xml.parse(body);
  }

  /** The {@code <Code>} of an S3 error body, or null when the body is not an S3 error. */
  public String errorCode() {
    if (body.length == 0) {
      return null;
    }
    try {
      return xml().text("/Error/Code");
    } catch (RuntimeException notXml) {
      return null;
    }
  }

  @Override
  public String toString() {
    String t = text();
    return status + " " + (t.length() > 300 ? t.substring(0, 300) + "…" : t);
  }
}
