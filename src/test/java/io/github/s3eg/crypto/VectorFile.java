package io.github.s3eg.crypto;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The known-answer vector file: {@code # comments}, {@code [name]} sections and {@code field =
 * value} lines, UTF-8. Small enough to read by eye and to diff in review.
 */
final class VectorFile {

  private VectorFile() {}

  static Map<String, Map<String, String>> parse(List<String> lines) {
    Map<String, Map<String, String>> vectors = new LinkedHashMap<>();
    Map<String, String> current = null;
    for (String raw : lines) {
      String line = raw.strip();
      if (line.isEmpty() || line.startsWith("#")) {
        continue;
      }
      if (line.startsWith("[") && line.endsWith("]")) {
        current = new LinkedHashMap<>();
        if (vectors.put(line.substring(1, line.length() - 1), current) != null) {
          throw new IllegalArgumentException("duplicate vector " + line);
        }
        continue;
      }
      int eq = line.indexOf('=');
      if (current == null || eq < 0) {
        throw new IllegalArgumentException("not a vector line: " + raw);
      }
      String field = line.substring(0, eq).strip();
      if (current.put(field, line.substring(eq + 1).strip()) != null) {
        throw new IllegalArgumentException("duplicate field " + field);
      }
    }
    return vectors;
  }

  /** The committed file, from the test classpath. */
  static Map<String, Map<String, String>> readResource(String name) {
    try (InputStream in = VectorFile.class.getResourceAsStream(name)) {
      if (in == null) {
        throw new IllegalStateException("no resource " + name);
      }
      return parse(new String(in.readAllBytes(), StandardCharsets.UTF_8).lines().toList());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  static String format(String header, Map<String, Map<String, String>> vectors) {
    StringBuilder out = new StringBuilder(header);
    vectors.forEach(
        (name, fields) -> {
          out.append('\n').append('[').append(name).append("]\n");
          fields.forEach((k, v) -> out.append(k).append(" = ").append(v).append('\n'));
        });
    return out.toString();
  }
}
