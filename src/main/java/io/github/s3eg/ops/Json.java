package io.github.s3eg.ops;

/**
 * Writes the fields of the gateway's one-line JSON records (access log, audit log): {@code
 * "name":value,} with strings escaped per RFC 8259. Null values are written as {@code null}.
 */
public final class Json {

  private Json() {}

  /** Appends {@code "name":"value",} (or {@code "name":null,}). */
  public static void field(StringBuilder out, String name, String value) {
    string(out, name).append(':');
    if (value == null) {
      out.append("null");
    } else {
      string(out, value);
    }
    out.append(',');
  }

  /** Appends {@code "name":["a","b"],}. */
  public static void field(StringBuilder out, String name, java.util.List<String> values) {
    string(out, name).append(":[");
    for (int i = 0; i < values.size(); i++) {
      if (i > 0) {
        out.append(',');
      }
      string(out, values.get(i));
    }
    out.append("],");
  }

  /** Appends {@code "name":number,}. */
  public static void field(StringBuilder out, String name, long value) {
    string(out, name).append(':').append(value).append(',');
  }

  /** Appends {@code "name":number,}. */
  public static void field(StringBuilder out, String name, double value) {
    string(out, name).append(':').append(value).append(',');
  }

  /** Appends {@code "name":true,} or {@code false}. */
  public static void field(StringBuilder out, String name, boolean value) {
    string(out, name).append(':').append(value).append(',');
  }

  /** Appends {@code s} as a quoted, escaped JSON string. */
  public static StringBuilder string(StringBuilder out, String s) {
    out.append('"');
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      switch (c) {
        case '"' -> out.append("\\\"");
        case '\\' -> out.append("\\\\");
        case '\n' -> out.append("\\n");
        case '\r' -> out.append("\\r");
        case '\t' -> out.append("\\t");
        default -> {
          if (c < 0x20 || c == 0x2028 || c == 0x2029) {
            out.append(String.format("\\u%04x", (int) c));
          } else {
            out.append(c);
          }
        }
      }
    }
    return out.append('"');
  }
}
