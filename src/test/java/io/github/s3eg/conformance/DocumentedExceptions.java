package io.github.s3eg.conformance;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The one reviewed list of cases that pass on a backend directly but not through the gateway, each
 * with its reason ({@code src/test/resources/conformance/exceptions.txt}). One line each:
 *
 * <pre>
 * java:subresources/get-bucket-acl    refused: ACLs are not proxied (...)
 * boto3:objects/some-case@s3proxy-2.9 reason that holds on that backend only
 * </pre>
 *
 * Blank lines and lines starting with {@code #} are comments. A name without {@code @backend} holds
 * on every backend.
 */
final class DocumentedExceptions {

  static final Path FILE = Path.of("src/test/resources/conformance/exceptions.txt");

  /** One line of the file. */
  record Entry(String caseName, String backend, String reason, int line) {
    boolean appliesTo(String backendName) {
      return backend == null || backend.equals(backendName);
    }

    String key() {
      return backend == null ? caseName : caseName + "@" + backend;
    }
  }

  private final Map<String, Entry> entries;

  private DocumentedExceptions(Map<String, Entry> entries) {
    this.entries = entries;
  }

  static DocumentedExceptions load() throws IOException {
    return parse(Files.readAllLines(FILE, StandardCharsets.UTF_8));
  }

  static DocumentedExceptions parse(List<String> lines) {
    Map<String, Entry> entries = new LinkedHashMap<>();
    List<String> problems = new ArrayList<>();
    for (int i = 0; i < lines.size(); i++) {
      String line = lines.get(i).strip();
      if (line.isEmpty() || line.startsWith("#")) {
        continue;
      }
      String[] parts = line.split("\\s+", 2);
      if (parts.length < 2 || parts[1].isBlank()) {
        problems.add("line " + (i + 1) + ": no reason given for " + parts[0]);
        continue;
      }
      String name = parts[0];
      String backend = null;
      int at = name.indexOf('@');
      if (at > 0) {
        backend = name.substring(at + 1);
        name = name.substring(0, at);
      }
      Entry e = new Entry(name, backend, parts[1].strip(), i + 1);
      if (entries.putIfAbsent(e.key(), e) != null) {
        problems.add("line " + (i + 1) + ": " + e.key() + " is listed twice");
      }
    }
    if (!problems.isEmpty()) {
      throw new IllegalStateException(FILE + ":\n  " + String.join("\n  ", problems));
    }
    return new DocumentedExceptions(entries);
  }

  /** The entry excusing {@code caseName} on {@code backend}, or null. */
  Entry excuse(String caseName, String backend) {
    Entry scoped = entries.get(caseName + "@" + backend);
    return scoped != null ? scoped : entries.get(caseName);
  }

  Collection<Entry> entries() {
    return entries.values();
  }
}
