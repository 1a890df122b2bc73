package io.github.s3eg.s3.auth;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.stream.Collectors;

/**
 * A raw query string split into parameters, decoded once. {@code +} decodes to a space, as S3 does
 * for query strings (the router must decode the same way so that the parameters the gateway acts on
 * are the ones that were signed). Parameter names are case-sensitive.
 */
final class QueryParameters {

  /** One {@code name[=value]} pair, decoded. */
  record Parameter(String name, String value, boolean hasValue) {}

  private final List<Parameter> parameters;

  private QueryParameters(List<Parameter> parameters) {
    this.parameters = List.copyOf(parameters);
  }

  static QueryParameters parse(String rawQuery) {
    List<Parameter> list = new ArrayList<>();
    if (rawQuery != null && !rawQuery.isEmpty()) {
      for (String part : rawQuery.split("&")) {
        if (part.isEmpty()) {
          continue;
        }
        int eq = part.indexOf('=');
        String name = eq < 0 ? part : part.substring(0, eq);
        String value = eq < 0 ? "" : part.substring(eq + 1);
        list.add(
            new Parameter(
                UriEncoding.decodeToString(name, true),
                UriEncoding.decodeToString(value, true),
                eq >= 0));
      }
    }
    return new QueryParameters(list);
  }

  List<Parameter> all() {
    return parameters;
  }

  Optional<String> first(String name) {
    return parameters.stream().filter(p -> p.name().equals(name)).map(Parameter::value).findFirst();
  }

  boolean contains(String name) {
    return parameters.stream().anyMatch(p -> p.name().equals(name));
  }

  long count(String name) {
    return parameters.stream().filter(p -> p.name().equals(name)).count();
  }

  /**
   * The SigV4 canonical query string: every parameter (except {@code excluded}) as {@code
   * encode(name)=encode(value)}, sorted by encoded name and then encoded value, joined by {@code
   * &}.
   */
  String canonical(String excluded) {
    return parameters.stream()
        .filter(p -> !p.name().equals(excluded))
        .map(p -> new String[] {UriEncoding.encode(p.name()), UriEncoding.encode(p.value())})
        .sorted(Comparator.<String[], String>comparing(p -> p[0]).thenComparing(p -> p[1]))
        .map(p -> p[0] + "=" + p[1])
        .collect(Collectors.joining("&"));
  }
}
