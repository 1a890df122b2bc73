package io.github.s3eg.versions;

import io.github.s3eg.backend.ReservedKeys;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.DeleteMarkerEntry;
import software.amazon.awssdk.services.s3.model.EncodingType;
import software.amazon.awssdk.services.s3.model.ListObjectVersionsResponse;
import software.amazon.awssdk.services.s3.model.ObjectVersion;

/**
 * A bucket's ListObjectVersions as clients must see it: without the gateway's own records ({@link
 * ReservedKeys}, which are versioned like any object in a versioned bucket), and without a trace of
 * them in where a page ends. A page is filled from as many backend pages as it takes and ends on an
 * entry the client sees, so the next markers name a version (or common prefix) the client was
 * shown. The reserved keys are contiguous ({@code .s3eg/…}): a listing that reaches them continues
 * after all of them with one key marker.
 *
 * <p>Versions and delete markers come back from the backend in two lists; a page keeps S3's order
 * (by key, and within a key newest first) by merging them.
 */
public final class VersionListing {

  /** A key marker after every reserved key and before every other key ({@code .s3eg/~}). */
  static final String AFTER_RESERVED = ReservedKeys.PREFIX + "~";

  static final int BACKEND_PAGE = 1000;

  /** One listed entry: a version, a delete marker or a common prefix (only one is set). */
  public record Entry(ObjectVersion version, DeleteMarkerEntry deleteMarker, String commonPrefix) {

    String key() {
      if (version != null) {
        return version.key();
      }
      return deleteMarker != null ? deleteMarker.key() : commonPrefix;
    }

    String versionId() {
      if (version != null) {
        return version.versionId();
      }
      return deleteMarker != null ? deleteMarker.versionId() : null;
    }

    boolean latest() {
      if (version != null) {
        return Boolean.TRUE.equals(version.isLatest());
      }
      return deleteMarker != null && Boolean.TRUE.equals(deleteMarker.isLatest());
    }

    Instant lastModified() {
      if (version != null) {
        return version.lastModified();
      }
      return deleteMarker != null ? deleteMarker.lastModified() : null;
    }
  }

  /**
   * A page: its entries in order; when the listing continues, the key and version id to continue
   * after (those of the last entry; the version id is null after a common prefix).
   */
  public record Page(
      List<Entry> entries, boolean truncated, String nextKey, String nextVersionId) {}

  private final S3Client backend;

  public VersionListing(S3Client backend) {
    this.backend = backend;
  }

  /**
   * Up to {@code maxKeys} entries after ({@code keyMarker}, {@code versionIdMarker}) under {@code
   * prefix}, rolled up at {@code delimiter}; nulls for none.
   */
  public Page list(
      String bucket,
      String prefix,
      String delimiter,
      String keyMarker,
      String versionIdMarker,
      int maxKeys) {
    List<Entry> shown = new ArrayList<>();
    if (maxKeys <= 0) {
      // Still one request: a missing bucket is NoSuchBucket, as with any listing.
      backend.listObjectVersions(l -> l.bucket(bucket).prefix(prefix).maxKeys(0));
      return new Page(shown, false, null, null);
    }
    String km = keyMarker;
    String vm = keyMarker == null ? null : versionIdMarker;
    while (true) {
      String fromKey = km;
      String fromVersion = vm;
      int size = Math.min(BACKEND_PAGE, maxKeys - shown.size());
      ListObjectVersionsResponse r =
          backend.listObjectVersions(
              l ->
                  l.bucket(bucket)
                      .prefix(prefix)
                      .delimiter(delimiter)
                      .keyMarker(fromKey)
                      .versionIdMarker(fromVersion)
                      .maxKeys(size)
                      .encodingType(EncodingType.URL));
      for (Entry e : inOrder(r)) {
        if (!ReservedKeys.isReserved(e.key())) {
          shown.add(e);
        }
      }
      if (!Boolean.TRUE.equals(r.isTruncated()) || r.nextKeyMarker() == null) {
        return new Page(shown, false, null, null);
      }
      if (shown.size() >= maxKeys) {
        Entry last = shown.get(shown.size() - 1);
        return new Page(shown, true, last.key(), last.versionId());
      }
      km = r.nextKeyMarker();
      vm = r.nextVersionIdMarker();
      if (ReservedKeys.isReserved(km) && km.compareTo(AFTER_RESERVED) < 0) {
        km = AFTER_RESERVED;
        vm = null;
      }
    }
  }

  /** Versions, delete markers and common prefixes merged in listing order. */
  static List<Entry> inOrder(ListObjectVersionsResponse r) {
    List<Entry> entries = new ArrayList<>();
    r.versions().forEach(v -> entries.add(new Entry(v, null, null)));
    r.deleteMarkers().forEach(m -> entries.add(new Entry(null, m, null)));
    r.commonPrefixes().forEach(p -> entries.add(new Entry(null, null, p.prefix())));
    // Stable: within a key the backend's own order (newest first) holds for each list; the merge
    // puts the latest first, then newer before older.
    entries.sort(
        Comparator.comparing(Entry::key, VersionListing::compareCodePoints)
            .thenComparing(Entry::latest, Comparator.reverseOrder())
            .thenComparing(Entry::lastModified, Comparator.nullsLast(Comparator.reverseOrder())));
    return entries;
  }

  /** S3 orders keys by their UTF-8 bytes, which is the order of their code points. */
  static int compareCodePoints(String a, String b) {
    int i = 0;
    int j = 0;
    while (i < a.length() && j < b.length()) {
      int ca = a.codePointAt(i);
      int cb = b.codePointAt(j);
      if (ca != cb) {
        return Integer.compare(ca, cb);
      }
      i += Character.charCount(ca);
      j += Character.charCount(cb);
    }
    return Integer.compare(a.length() - i, b.length() - j);
  }
}
