package io.github.s3eg.conformance;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * What the cases of one client did on one target, by case name, and how many requests were sent
 * again after a 503 or no answer.
 */
record TargetOutcomes(Map<String, Outcome> outcomes, int retried) {

  /** These outcomes followed by {@code other}'s. */
  TargetOutcomes plus(TargetOutcomes other) {
    Map<String, Outcome> all = new LinkedHashMap<>(outcomes);
    all.putAll(other.outcomes);
    return new TargetOutcomes(all, retried + other.retried);
  }
}
