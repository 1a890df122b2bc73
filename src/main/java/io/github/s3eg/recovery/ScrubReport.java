package io.github.s3eg.recovery;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The outcome of a scrub: how many objects were checked, and every object with a {@link Finding},
 * as JSON. Thread-safe for one writer (the scrub) and readers (progress).
 */
public final class ScrubReport {

  /** One object that is not simply fine. */
  public record Entry(String key, Finding finding, String error, String detail) {}

  /** Findings listed in full; beyond this only counted (the counts stay exact). */
  static final int MAX_LISTED = 100_000;

  private final String bucket;
  private final String prefix;
  private final Instant started = Instant.now();
  private volatile Instant finished;
  private volatile long scanned;
  private volatile long ok;
  private volatile long bytes;
  private volatile String lastKey;
  private volatile String stoppedBy;
  private final Map<Finding, Long> counts = new EnumMap<>(Finding.class);
  private final List<Entry> entries = new ArrayList<>();

  ScrubReport(String bucket, String prefix) {
    this.bucket = bucket;
    this.prefix = prefix;
  }

  synchronized void checked(String key, long storedBytes, Entry finding) {
    scanned++;
    bytes += storedBytes;
    lastKey = key;
    if (finding == null) {
      ok++;
      return;
    }
    counts.merge(finding.finding(), 1L, Long::sum);
    if (finding.finding() == Finding.RETIRED_KEY || finding.finding() == Finding.S3EC_OBJECT) {
      ok++; // it verified
    }
    if (entries.size() < MAX_LISTED) {
      entries.add(finding);
    }
  }

  void finish(String stoppedBy) {
    this.stoppedBy = stoppedBy;
    this.finished = Instant.now();
  }

  public long scanned() {
    return scanned;
  }

  public long bytes() {
    return bytes;
  }

  public boolean finished() {
    return finished != null;
  }

  public synchronized long count(Finding f) {
    return counts.getOrDefault(f, 0L);
  }

  public synchronized List<Entry> entries() {
    return List.copyOf(entries);
  }

  /** Whether any object failed a check. */
  public synchronized boolean hasFailures() {
    return counts.keySet().stream().anyMatch(Finding::failure);
  }

  /**
   * The exit status of the {@code scrub} command: 0 when every object verified and nothing needs
   * doing, 1 when an object failed a check (or the scrub stopped early), 3 when everything verified
   * but there are notices (plaintext objects, retired keys, S3EC objects).
   */
  public synchronized int exitCode() {
    if (hasFailures() || stoppedBy != null) {
      return 1;
    }
    return counts.isEmpty() ? 0 : 3;
  }

  public synchronized String toJson() {
    Map<String, Object> root = new LinkedHashMap<>();
    root.put("bucket", bucket);
    root.put("prefix", prefix);
    root.put("started", started.toString());
    root.put("finished", finished == null ? null : finished.toString());
    root.put("complete", finished != null && stoppedBy == null);
    if (stoppedBy != null) {
      root.put("stoppedBy", stoppedBy);
    }
    root.put("scanned", scanned);
    root.put("verified", ok);
    root.put("storedBytes", bytes);
    root.put("lastKey", lastKey);
    Map<String, Long> byFinding = new LinkedHashMap<>();
    for (Finding f : Finding.values()) {
      byFinding.put(f.label(), counts.getOrDefault(f, 0L));
    }
    root.put("counts", byFinding);
    List<Map<String, Object>> listed = new ArrayList<>();
    for (Entry e : entries) {
      Map<String, Object> m = new LinkedHashMap<>();
      m.put("key", e.key());
      m.put("finding", e.finding().label());
      m.put("error", e.error());
      m.put("detail", e.detail());
      listed.add(m);
    }
    root.put("findings", listed);
    root.put(
        "findingsTruncated", entries.size() < counts.values().stream().mapToLong(l -> l).sum());
    try {
      return new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT).writeValueAsString(root)
          + "\n";
    } catch (JsonProcessingException e) {
      throw new IllegalStateException(e);
    }
  }
}
