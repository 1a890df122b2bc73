package io.github.s3eg.backend;

import io.github.s3eg.crypto.ObjectMetadata;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Consumer;
import software.amazon.awssdk.awscore.AwsRequestOverrideConfiguration;
import software.amazon.awssdk.awscore.exception.AwsServiceException;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.Bucket;
import software.amazon.awssdk.services.s3.model.ListObjectsV2Response;
import software.amazon.awssdk.services.s3.model.S3Object;

/**
 * A few objects the gateway wrote into the backend, looked up at start-up so that the key setup can
 * tell whether the store already holds encrypted objects and which keys they name (see {@code
 * docs/troubleshooting.md}, "A lost or changed key"). It is a sample, not an inventory: the first
 * few objects of the first buckets, in listing order, for a bounded number of requests.
 *
 * <p>An object counts when its metadata has the gateway's {@code s3eg-} entries; other objects
 * (written around the gateway) and the gateway's own records under {@value ReservedKeys#PREFIX} are
 * passed over. When the backend cannot be listed (no permission to list buckets, unreachable), the
 * sample says why in {@link #incomplete()}.
 */
public record StoredObjectSample(List<StoredObject> objects, Optional<String> incomplete) {

  /** One object as read by HEAD: where it is and its user metadata. */
  public record StoredObject(String bucket, String key, Map<String, String> metadata) {
    public String name() {
      return bucket + "/" + key;
    }

    /** The key (KEK reference) the object names, as stored; "?" if it names none. */
    public String kek() {
      return metadata.getOrDefault(ObjectMetadata.KEK, "?");
    }
  }

  /** Buckets looked into at most. */
  static final int MAX_BUCKETS = 20;

  /** Objects kept at most, and per bucket (the first ones the gateway wrote). */
  static final int MAX_OBJECTS = 6;

  static final int OBJECTS_PER_BUCKET = 3;

  /** Keys listed per bucket, and HEAD requests spent in all, at most. */
  static final int KEYS_PER_BUCKET = 20;

  static final int MAX_HEADS = 40;

  /** Each request's limit: a backend that hangs delays the start by seconds, not minutes. */
  static final Duration CALL_TIMEOUT = Duration.ofSeconds(10);

  /** Sorts after every reserved key: where listing resumes when a page held only those. */
  private static final String AFTER_RESERVED = ReservedKeys.PREFIX + "\uffff";

  public StoredObjectSample {
    objects = List.copyOf(objects);
  }

  /** Nothing stored, as far as anyone looked (tools that start no backend). */
  public static StoredObjectSample none() {
    return new StoredObjectSample(List.of(), Optional.empty());
  }

  public boolean isEmpty() {
    return objects.isEmpty();
  }

  /** Looks at the backend through {@code s3}. Never throws for backend failures. */
  public static StoredObjectSample take(S3Client s3) {
    List<StoredObject> found = new ArrayList<>();
    int[] headsLeft = {MAX_HEADS};
    Consumer<AwsRequestOverrideConfiguration.Builder> limited = o -> o.apiCallTimeout(CALL_TIMEOUT);
    try {
      List<Bucket> buckets = s3.listBuckets(b -> b.overrideConfiguration(limited)).buckets();
      for (Bucket bucket : buckets.subList(0, Math.min(MAX_BUCKETS, buckets.size()))) {
        if (found.size() >= MAX_OBJECTS || headsLeft[0] <= 0) {
          break;
        }
        int wanted = Math.min(OBJECTS_PER_BUCKET, MAX_OBJECTS - found.size());
        found.addAll(writtenByGateway(s3, bucket.name(), wanted, limited, headsLeft));
      }
      return new StoredObjectSample(found, Optional.empty());
    } catch (SdkException e) {
      return new StoredObjectSample(found, Optional.of(describe(e)));
    }
  }

  /** One line for the log: the backend's error code, or what went wrong on the way. */
  private static String describe(SdkException e) {
    if (e instanceof AwsServiceException service && service.awsErrorDetails() != null) {
      return service.statusCode() + " " + service.awsErrorDetails().errorCode();
    }
    String message = e.getMessage() == null ? "" : e.getMessage().lines().findFirst().orElse("");
    return e.getClass().getSimpleName() + (message.isEmpty() ? "" : ": " + message);
  }

  /** The first few objects of {@code bucket} that carry the gateway's metadata. */
  private static List<StoredObject> writtenByGateway(
      S3Client s3,
      String bucket,
      int wanted,
      Consumer<AwsRequestOverrideConfiguration.Builder> limited,
      int[] headsLeft) {
    ListObjectsV2Response page =
        s3.listObjectsV2(
            b -> b.bucket(bucket).maxKeys(KEYS_PER_BUCKET).overrideConfiguration(limited));
    List<S3Object> contents = page.contents();
    if (Boolean.TRUE.equals(page.isTruncated())
        && contents.stream().allMatch(o -> ReservedKeys.isReserved(o.key()))) {
      // Only the gateway's own records so far (they sort early): the client's objects follow.
      contents =
          s3.listObjectsV2(
                  b ->
                      b.bucket(bucket)
                          .maxKeys(KEYS_PER_BUCKET)
                          .startAfter(AFTER_RESERVED)
                          .overrideConfiguration(limited))
              .contents();
    }
    List<StoredObject> found = new ArrayList<>();
    for (S3Object o : contents) {
      if (found.size() == wanted || headsLeft[0] <= 0) {
        break;
      }
      if (ReservedKeys.isReserved(o.key())) {
        continue;
      }
      headsLeft[0]--;
      Map<String, String> metadata =
          s3.headObject(b -> b.bucket(bucket).key(o.key()).overrideConfiguration(limited))
              .metadata();
      if (metadata.keySet().stream().anyMatch(ObjectMetadata::isCryptoEntry)) {
        found.add(new StoredObject(bucket, o.key(), metadata));
      }
    }
    return found;
  }
}
