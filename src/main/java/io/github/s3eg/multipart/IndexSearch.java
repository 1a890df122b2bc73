package io.github.s3eg.multipart;

import io.github.s3eg.backend.ReservedKeys;
import java.util.Collection;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.ListObjectsV2Response;
import software.amazon.awssdk.services.s3.model.S3Object;

/**
 * Finds the index names of many keys at once (for DeleteObjects), without knowing which of them are
 * multipart objects or which uploads wrote them. Every index name starts with its key's {@link
 * ReservedKeys#index(String) owner} name, and a listing returns names in order, so one walk over
 * {@code .s3eg/index/} answers for all keys: each request starts at the next owner still in
 * question and answers for every owner up to the last name it returned. Cost: at most one LIST per
 * key, and no more than one per 1,000 indexes in the bucket.
 */
final class IndexSearch {

  private IndexSearch() {}

  static List<String> find(S3Client s3, String bucket, Collection<String> keys) {
    return find(s3, bucket, keys, 1000);
  }

  /** {@code pageSize}: names per LIST (S3's most is 1,000; tests use fewer). */
  static List<String> find(S3Client s3, String bucket, Collection<String> keys, int pageSize) {
    TreeSet<String> owners = new TreeSet<>();
    keys.forEach(k -> owners.add(ReservedKeys.index(k)));
    Set<String> found = new LinkedHashSet<>();
    if (owners.isEmpty()) {
      return List.of();
    }
    String startAfter = justBefore(owners.first());
    while (true) {
      String from = startAfter;
      ListObjectsV2Response page =
          s3.listObjectsV2(
              l -> l.bucket(bucket).prefix(ReservedKeys.INDEX).startAfter(from).maxKeys(pageSize));
      String last = null;
      for (S3Object o : page.contents()) {
        last = o.key();
        String owner = ReservedKeys.indexOwner(o.key());
        if (owner != null && owners.contains(owner)) {
          found.add(o.key());
        }
      }
      if (!Boolean.TRUE.equals(page.isTruncated()) || last == null) {
        return List.copyOf(found);
      }
      // Every owner below the last name is answered; the last name's owner may have more names.
      String lastOwner = ReservedKeys.indexOwner(last);
      owners.headSet(lastOwner == null ? last : lastOwner, false).clear();
      if (owners.isEmpty()) {
        return List.copyOf(found);
      }
      startAfter = owners.first().equals(lastOwner) ? last : justBefore(owners.first());
    }
  }

  /**
   * A name that sorts before {@code owner} and after every name of the owner just below it: owners
   * have one length and end in a hex digit; their index names continue with {@code .} and hex
   * digits, all below {@code ~}.
   */
  static String justBefore(String owner) {
    char last = owner.charAt(owner.length() - 1);
    return owner.substring(0, owner.length() - 1) + (char) (last - 1) + "~";
  }
}
