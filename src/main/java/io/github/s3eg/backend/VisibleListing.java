package io.github.s3eg.backend;

import java.util.ArrayList;
import java.util.List;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.CommonPrefix;
import software.amazon.awssdk.services.s3.model.EncodingType;
import software.amazon.awssdk.services.s3.model.ListObjectsResponse;
import software.amazon.awssdk.services.s3.model.S3Object;

/**
 * A bucket's listing as clients must see it: without the entries {@link HiddenKeys} hides, and
 * without a trace of them in where a page ends. A page is filled from as many backend pages as it
 * takes, and always ends on an entry the client sees, so no marker or continuation token can name a
 * hidden one; a listing of hidden entries only (e.g. {@code prefix=.s3eg/}) is empty and not
 * truncated. The gateway's reserved keys are contiguous ({@code .s3eg/…}), so a listing that meets
 * them jumps over all of them with one marker ({@link ReservedKeys#AFTER_ALL}).
 *
 * <p>The backend is listed with ListObjects (v1) and {@code encoding-type=url}: markers are plain
 * keys on every backend (S3Proxy's v2 tokens break under url encoding), and keys with characters
 * XML 1.0 cannot carry (control characters) survive; the SDK decodes the answer. A first backend
 * page holds one entry more than the client asked for, so the page's own end is known without a
 * second request; only a page that ends exactly on a full backend page (1000 entries) reports
 * itself truncated on the backend's word, and its next page may then be empty.
 *
 * <p>A delimiter other than {@code /} is rolled up here, over a listing without delimiter: S3 takes
 * any string as a delimiter, but filesystem stores (S3Proxy, the embedded store) refuse any but
 * {@code /} with a bare 400, which reached clients as a 500 (issue 17 finding 9).
 */
public final class VisibleListing {

  /** The backend's largest page. */
  static final int BACKEND_PAGE = 1000;

  /**
   * One page for a client: its objects and common prefixes in listing order; {@code lastEntry} is
   * the last of them (key or prefix) when the listing continues, and null when it does not.
   */
  public record Page(List<S3Object> contents, List<String> commonPrefixes, String lastEntry) {
    public boolean truncated() {
      return lastEntry != null;
    }
  }

  /**
   * A listed object ({@code object} set) or common prefix; {@code backendName} is the key or prefix
   * the backend listed, which differs from {@code name} when the gateway rolled a key up.
   */
  private record Entry(String name, S3Object object, String backendName) {}

  /** The one delimiter every backend rolls up itself. */
  private static final String NATIVE_DELIMITER = "/";

  private final S3Client backend;
  private final java.util.function.Predicate<String> alsoHidden;

  public VisibleListing(S3Client backend) {
    this(backend, key -> false);
  }

  /**
   * {@code alsoHidden}: object keys hidden besides {@link HiddenKeys}' (S3 Encryption Client
   * instruction files when the gateway reads S3EC objects).
   */
  public VisibleListing(S3Client backend, java.util.function.Predicate<String> alsoHidden) {
    this.backend = backend;
    this.alsoHidden = alsoHidden;
  }

  /**
   * Up to {@code maxKeys} entries after {@code marker} (exclusive; null for the start) under {@code
   * prefix}, rolled up at {@code delimiter}; null or empty prefix and delimiter mean none.
   */
  public Page list(String bucket, String prefix, String delimiter, String marker, int maxKeys) {
    return list(new HiddenKeys(backend, bucket), bucket, prefix, delimiter, marker, maxKeys);
  }

  /** Whether the bucket holds no object a client can see (it may hold hidden ones). */
  public boolean isEmpty(String bucket) {
    return list(bucket, null, null, null, 1).contents().isEmpty();
  }

  private Page list(
      HiddenKeys hidden,
      String bucket,
      String prefix,
      String delimiter,
      String marker,
      int maxKeys) {
    String pre = emptyToNull(prefix);
    String delim = emptyToNull(delimiter);
    String rollUp = delim == null || delim.equals(NATIVE_DELIMITER) ? null : delim;
    String backendDelimiter = rollUp == null ? delim : null;
    List<S3Object> contents = new ArrayList<>();
    List<String> prefixes = new ArrayList<>();
    if (maxKeys <= 0) {
      // Still one request: a missing bucket is NoSuchBucket, as with any listing.
      backend.listObjects(l -> l.bucket(bucket).prefix(pre).maxKeys(0));
      return new Page(contents, prefixes, null);
    }
    String from = emptyToNull(marker);
    int pageSize = Math.min(BACKEND_PAGE, maxKeys + 1);
    String lastShown = null;
    String previous = from;
    while (true) {
      String after = from;
      int size = pageSize;
      ListObjectsResponse r =
          backend.listObjects(
              l ->
                  l.bucket(bucket)
                      .prefix(pre)
                      .delimiter(backendDelimiter)
                      .marker(after)
                      .maxKeys(size)
                      .encodingType(EncodingType.URL));
      String lastSeen = null;
      for (Entry e : rollUp == null ? inOrder(r) : rolledUp(r, pre, rollUp)) {
        if (e.name().equals(after) || (rollUp != null && e.name().equals(previous))) {
          // A backend that repeats the common prefix it was asked to start after; or the next key
          // of a prefix the gateway rolled up already (read past it: the backend knows no prefix).
          if (rollUp != null) {
            lastSeen = e.backendName();
          }
          continue;
        }
        lastSeen = e.backendName();
        previous = e.name();
        if (!visible(hidden, bucket, e)) {
          continue;
        }
        if (contents.size() + prefixes.size() == maxKeys) {
          return new Page(contents, prefixes, lastShown);
        }
        if (e.object() != null) {
          contents.add(e.object());
        } else {
          prefixes.add(e.name());
        }
        lastShown = e.name();
      }
      String next = r.nextMarker() != null ? r.nextMarker() : lastSeen;
      if (!Boolean.TRUE.equals(r.isTruncated()) || next == null || next.equals(after)) {
        return new Page(contents, prefixes, null);
      }
      if (lastSeen != null && lastSeen.equals(lastShown) && rollUp == null) {
        // A backend page that ended on a shown entry: truncated on the backend's word.
        return new Page(contents, prefixes, lastShown);
      }
      from =
          ReservedKeys.isReserved(next) && CodePoints.compare(next, ReservedKeys.AFTER_ALL) < 0
              ? ReservedKeys.AFTER_ALL
              : next;
      pageSize = BACKEND_PAGE;
    }
  }

  private boolean visible(HiddenKeys hidden, String bucket, Entry e) {
    if (e.object() != null) {
      return !hidden.key(e.name()) && !alsoHidden.test(e.name());
    }
    return switch (hidden.prefix(e.name())) {
      case HIDDEN -> false;
      case VISIBLE -> true;
      case UNDECIDED -> !list(hidden, bucket, e.name(), null, null, 1).contents().isEmpty();
    };
  }

  /**
   * The backend's objects (listed without delimiter) with every key that holds {@code delimiter}
   * after {@code prefix} rolled up into its common prefix: {@code prefix} + the key's rest up to
   * and including the delimiter's first occurrence. Consecutive keys give the same prefix again.
   */
  private static List<Entry> rolledUp(ListObjectsResponse r, String prefix, String delimiter) {
    int start = prefix == null ? 0 : prefix.length();
    List<Entry> entries = new ArrayList<>(r.contents().size());
    for (S3Object o : r.contents()) {
      int at = o.key().indexOf(delimiter, start);
      entries.add(
          at < 0
              ? new Entry(o.key(), o, o.key())
              : new Entry(o.key().substring(0, at + delimiter.length()), null, o.key()));
    }
    return entries;
  }

  /** Objects and common prefixes merged in listing order (UTF-8 byte order = code point order). */
  private static List<Entry> inOrder(ListObjectsResponse r) {
    List<Entry> entries = new ArrayList<>(r.contents().size() + r.commonPrefixes().size());
    List<S3Object> objects = r.contents();
    List<CommonPrefix> prefixes = r.commonPrefixes();
    int i = 0;
    int j = 0;
    while (i < objects.size() || j < prefixes.size()) {
      boolean takeObject =
          j == prefixes.size()
              || (i < objects.size()
                  && CodePoints.compare(objects.get(i).key(), prefixes.get(j).prefix()) < 0);
      if (takeObject) {
        entries.add(new Entry(objects.get(i).key(), objects.get(i), objects.get(i).key()));
        i++;
      } else {
        entries.add(new Entry(prefixes.get(j).prefix(), null, prefixes.get(j).prefix()));
        j++;
      }
    }
    return entries;
  }

  private static String emptyToNull(String s) {
    return s == null || s.isEmpty() ? null : s;
  }

  /** S3 orders keys by their UTF-8 bytes, which is the order of their code points. */
  static final class CodePoints {
    private CodePoints() {}

    static int compare(String a, String b) {
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
}
