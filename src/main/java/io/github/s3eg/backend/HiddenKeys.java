package io.github.s3eg.backend;

import java.util.HashSet;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.MultipartUpload;

/**
 * Which entries of a backend listing are nobody's object: the gateway's reserved keys ({@link
 * ReservedKeys}) and a backend's own bookkeeping of multipart uploads in progress. S3Proxy's
 * filesystem stores (the embedded store among them) keep, for each upload in progress, an empty
 * object named by the upload id and objects named {@code .mpus-<upload id>-<key>-stub} and {@code
 * .mpus-<upload id>-<key>-<part number>}, and list them like objects. A name of that shape is
 * hidden only while the backend has an upload in progress with that id, so a client's own key of
 * the same shape stays visible.
 *
 * <p>One instance serves one listing: the uploads in progress are asked for once, and only when an
 * entry has that shape.
 */
public final class HiddenKeys {

  /** What a listed common prefix groups. */
  public enum Prefix {
    /** Only hidden entries. */
    HIDDEN,
    /** At least one client object, or nothing the gateway hides could be under it. */
    VISIBLE,
    /** It could group hidden entries and client objects alike: look under it. */
    UNDECIDED
  }

  private static final String UPLOAD_ID =
      "[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}";

  private static final String STUB_PREFIX = ".mpus-";

  private static final Pattern STUB =
      Pattern.compile("\\.mpus-(" + UPLOAD_ID + ")-.*|(" + UPLOAD_ID + ")", Pattern.DOTALL);

  /** A string that a longer string of the shape of an upload id could start with. */
  private static final Pattern UPLOAD_ID_START =
      Pattern.compile(
          "[0-9a-f]{1,8}(-[0-9a-f]{0,4}(-[0-9a-f]{0,4}(-[0-9a-f]{0,4}(-[0-9a-f]{0,12})?)?)?)?");

  private final S3Client backend;
  private final String bucket;
  private Set<String> uploadsInProgress;

  public HiddenKeys(S3Client backend, String bucket) {
    this.backend = backend;
    this.bucket = bucket;
  }

  /** Whether a listed key is not a client's object. */
  public boolean key(String key) {
    if (ReservedKeys.isReserved(key)) {
      return true;
    }
    Matcher m = STUB.matcher(key);
    return m.matches()
        && uploadsInProgress().contains(m.group(1) != null ? m.group(1) : m.group(2));
  }

  /** What a listed common prefix (a delimiter's roll-up) groups. */
  public Prefix prefix(String prefix) {
    if (key(prefix)) {
      return Prefix.HIDDEN;
    }
    if (ReservedKeys.PREFIX.startsWith(prefix)) {
      // e.g. ".s3e" under delimiter "e": reserved keys and client keys like ".s3eta" alike.
      return Prefix.UNDECIDED;
    }
    boolean stubShaped =
        STUB_PREFIX.startsWith(prefix)
            || prefix.startsWith(STUB_PREFIX)
            || UPLOAD_ID_START.matcher(prefix).matches();
    return stubShaped && !uploadsInProgress().isEmpty() ? Prefix.UNDECIDED : Prefix.VISIBLE;
  }

  private Set<String> uploadsInProgress() {
    if (uploadsInProgress == null) {
      Set<String> ids = new HashSet<>();
      backend.listMultipartUploadsPaginator(l -> l.bucket(bucket)).uploads().stream()
          .map(MultipartUpload::uploadId)
          .forEach(ids::add);
      uploadsInProgress = ids;
    }
    return uploadsInProgress;
  }
}
