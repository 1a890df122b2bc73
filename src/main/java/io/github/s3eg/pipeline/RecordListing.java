package io.github.s3eg.pipeline;

import io.github.s3eg.backend.ReservedKeys;
import io.github.s3eg.pipeline.BackendCall.RecordName;
import io.github.s3eg.pipeline.BackendCall.RecordNames;
import java.util.ArrayList;
import java.util.List;
import software.amazon.awssdk.services.s3.model.ListObjectsV2Request;
import software.amazon.awssdk.services.s3.model.ListObjectsV2Response;

/**
 * Some of the gateway's own records (the part indexes of a key, the part checksum markers of an
 * upload), found by listing their prefix one page at a time: a step asks for each page ({@link
 * #next}) and is given the answer of {@code backend:listObjectsV2} on its next turn, so that every
 * LIST is a route step. Once listed, they can be deleted in batches ({@link #nextBatch}). Plain
 * Java.
 */
final class RecordListing {

  private static final int BATCH = 1000;

  private final String bucket;
  private final String prefix;
  private final List<String> names = new ArrayList<>();
  private String token;
  private boolean asked;
  private boolean listed;
  private int batched;
  private boolean handedOut;
  private boolean nothing;

  /**
   * A listing with nothing to delete, not even the record {@link #nextName} would add (a delete
   * marker, or a deleted version whose records went with it).
   */
  static RecordListing nothing(String bucket) {
    RecordListing none = new RecordListing(bucket, ReservedKeys.PREFIX);
    none.asked = true;
    none.listed = true;
    none.nothing = true;
    return none;
  }

  RecordListing(String bucket, String prefix) {
    if (!ReservedKeys.isReserved(prefix)) {
      throw new IllegalArgumentException("not a prefix of the gateway's records: " + prefix);
    }
    this.bucket = bucket;
    this.prefix = prefix;
  }

  /**
   * One turn: {@code answer} is the page asked for last (ignored on the first turn). Returns the
   * next page's LIST, or null once every page was read.
   */
  ListObjectsV2Request next(Object answer) {
    if (listed) {
      return null;
    }
    if (asked) {
      if (!(answer instanceof ListObjectsV2Response page)) {
        throw new IllegalStateException(
            "a listing of "
                + prefix
                + " needs the answer of backend:listObjectsV2, not "
                + (answer == null ? "nothing" : answer.getClass().getSimpleName()));
      }
      page.contents().forEach(o -> names.add(o.key()));
      if (!Boolean.TRUE.equals(page.isTruncated()) || page.nextContinuationToken() == null) {
        listed = true;
        return null;
      }
      token = page.nextContinuationToken();
    }
    asked = true;
    return ListObjectsV2Request.builder()
        .bucket(bucket)
        .prefix(prefix)
        .continuationToken(token)
        .build();
  }

  /** Whether every page was read. */
  boolean listed() {
    return listed;
  }

  /** The names found (every page read). */
  List<String> names() {
    if (!listed) {
      throw new IllegalStateException("the listing of " + prefix + " is not finished");
    }
    return List.copyOf(names);
  }

  /**
   * The next name to delete, one at a time, followed by {@code also} (a record that is not under
   * the prefix, e.g. a key's checksum record), or null once every name was handed out.
   */
  RecordName nextName(String also) {
    List<String> all = names();
    if (batched < all.size()) {
      return new RecordName(bucket, all.get(batched++));
    }
    if (batched == all.size() && also != null && !nothing) {
      batched++;
      return new RecordName(bucket, also);
    }
    handedOut = true;
    return null;
  }

  /** The next up to 1,000 names to delete, or null once every name was handed out. */
  RecordNames nextBatch() {
    List<String> all = names();
    if (batched >= all.size()) {
      handedOut = true;
      return null;
    }
    int end = Math.min(all.size(), batched + BATCH);
    RecordNames batch = new RecordNames(bucket, all.subList(batched, end));
    batched = end;
    return batch;
  }

  /** Whether every name was handed out for deletion (the last turn answered null). */
  boolean allHandedOut() {
    return handedOut;
  }
}
