package io.github.s3eg.deploy;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.snakeyaml.engine.v2.api.Load;
import org.snakeyaml.engine.v2.api.LoadSettings;

/** Parsed YAML documents (snakeyaml-engine) and small accessors for Kubernetes manifests. */
final class Yaml {

  private Yaml() {}

  /** Every non-empty document of a (multi-document) YAML text, as maps. */
  @SuppressWarnings("unchecked")
  static List<Map<String, Object>> documents(String text) {
    List<Map<String, Object>> docs = new ArrayList<>();
    for (Object doc : new Load(LoadSettings.builder().build()).loadAllFromString(text)) {
      if (doc != null) {
        docs.add((Map<String, Object>) doc);
      }
    }
    return docs;
  }

  /** Every non-empty document of a YAML text, whatever its shape (route files are lists). */
  static List<Object> documentsAsObjects(String text) {
    List<Object> docs = new ArrayList<>();
    for (Object doc : new Load(LoadSettings.builder().build()).loadAllFromString(text)) {
      if (doc != null) {
        docs.add(doc);
      }
    }
    return docs;
  }

  /** The value at a dotted path ("spec.template.spec"), or null. */
  @SuppressWarnings("unchecked")
  static <T> T at(Object node, String path) {
    Object current = node;
    for (String part : path.split("\\.")) {
      if (!(current instanceof Map<?, ?> map)) {
        return null;
      }
      current = map.get(part);
    }
    return (T) current;
  }

  static Map<String, Object> map(Object node, String path) {
    Map<String, Object> value = at(node, path);
    return Objects.requireNonNull(value, path);
  }

  static List<Map<String, Object>> list(Object node, String path) {
    List<Map<String, Object>> value = at(node, path);
    return value == null ? List.of() : value;
  }

  static List<Map<String, Object>> ofKind(List<Map<String, Object>> docs, String kind) {
    return docs.stream().filter(d -> kind.equals(d.get("kind"))).toList();
  }

  static Map<String, Object> single(List<Map<String, Object>> docs, String kind) {
    List<Map<String, Object>> found = ofKind(docs, kind);
    if (found.size() != 1) {
      throw new AssertionError("expected one " + kind + ", found " + found.size());
    }
    return found.get(0);
  }
}
