package io.github.s3eg.conformance;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * The Java cases, collected group by group ({@code cases/*Cases}). Adding a case is one call:
 * {@code t.add("ranges/suffix-range", "GetObject with Range bytes=-N returns the last N bytes", c
 * -> ...)}. Names are unique; the table refuses a duplicate.
 */
public final class CaseTable {

  /** Prefix of every Java case's name; the boto3 cases use {@code boto3:}. */
  public static final String CLIENT = "java:";

  private final List<ConformanceCase> cases = new ArrayList<>();
  private final Set<String> names = new HashSet<>();

  public CaseTable add(String name, String behaviour, ConformanceCase.Body body) {
    return add(name, behaviour, Set.of(), body);
  }

  public CaseTable add(
      String name, String behaviour, Set<Capability> requires, ConformanceCase.Body body) {
    String full = CLIENT + name;
    if (!name.matches("[a-z0-9-]+/[a-z0-9.-]+")) {
      throw new IllegalArgumentException("case names are category/behaviour in [a-z0-9-]: " + name);
    }
    if (!names.add(full)) {
      throw new IllegalArgumentException("two cases are named " + full);
    }
    cases.add(new ConformanceCase(full, behaviour, Set.copyOf(requires), body));
    return this;
  }

  public List<ConformanceCase> cases() {
    return List.copyOf(cases);
  }
}
