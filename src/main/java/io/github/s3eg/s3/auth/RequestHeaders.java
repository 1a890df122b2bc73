package io.github.s3eg.s3.auth;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;

/**
 * An immutable, case-insensitive, multi-valued view of request headers. Names are compared ignoring
 * ASCII case; values keep their order of arrival, which matters when the same header is sent twice
 * (SigV4 joins such values with commas in that order).
 */
public final class RequestHeaders {

  private static final RequestHeaders EMPTY = new RequestHeaders(new TreeMap<>());

  private final Map<String, List<String>> byLowerName;

  private RequestHeaders(Map<String, List<String>> byLowerName) {
    this.byLowerName = byLowerName;
  }

  public static RequestHeaders empty() {
    return EMPTY;
  }

  /**
   * Copies name/value pairs in order. A Vert.x {@code MultiMap} (and Netty's {@code HttpHeaders})
   * is such an iterable, so {@code RequestHeaders.of(request.headers())} is the whole adapter.
   */
  public static RequestHeaders of(Iterable<? extends Map.Entry<String, String>> entries) {
    Map<String, List<String>> map = new TreeMap<>();
    for (Map.Entry<String, String> e : entries) {
      map.computeIfAbsent(lower(e.getKey()), k -> new ArrayList<>()).add(e.getValue());
    }
    return freeze(map);
  }

  /** Copies a map of header names to their values. */
  public static RequestHeaders ofMap(Map<String, ? extends List<String>> headers) {
    Map<String, List<String>> map = new TreeMap<>();
    headers.forEach(
        (name, values) -> map.computeIfAbsent(lower(name), k -> new ArrayList<>()).addAll(values));
    return freeze(map);
  }

  private static RequestHeaders freeze(Map<String, List<String>> map) {
    map.replaceAll((k, v) -> List.copyOf(v));
    map.values().removeIf(List::isEmpty);
    return new RequestHeaders(Collections.unmodifiableMap(map));
  }

  /** Every value of the header, in order; empty if absent. */
  public List<String> all(String name) {
    return byLowerName.getOrDefault(lower(name), List.of());
  }

  /** The first value of the header. */
  public Optional<String> first(String name) {
    List<String> values = all(name);
    return values.isEmpty() ? Optional.empty() : Optional.of(values.get(0));
  }

  public boolean contains(String name) {
    return byLowerName.containsKey(lower(name));
  }

  /** The header names present, lower-cased and sorted. */
  public Set<String> names() {
    return byLowerName.keySet();
  }

  private static String lower(String name) {
    return name.toLowerCase(Locale.ROOT);
  }

  @Override
  public String toString() {
    // Values may carry credentials (Authorization) — names only.
    return "RequestHeaders" + names();
  }
}
