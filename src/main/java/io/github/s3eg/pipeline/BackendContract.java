package io.github.s3eg.pipeline;

import java.util.EnumSet;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * What a backend call in a route needs and provides, whether it is one of the gateway's own backend
 * endpoints ({@code backend:putObject}) or a camel-aws2-s3 endpoint an operator wrote ({@code
 * aws2-s3:backend?operation=deleteObject}): every call needs an authenticated, rate-limited,
 * checked request; a write of a client's object also needs the cache to have let go of it, and an
 * upload its ciphertext.
 */
final class BackendContract {

  private static final Pattern AWS2_S3 = Pattern.compile("^aws2-s3:.*[?&]operation=([A-Za-z]+).*");
  private static final Pattern BACKEND = Pattern.compile("^backend:([A-Za-z]+).*");

  private static final Set<String> WRITES_OBJECT =
      Set.of("putObject", "copyObject", "deleteObject", "completeMultipartUpload", "mirrorObject");

  /** Calls that copy what an earlier write stored. */
  private static final Set<String> COPIES_STORED = Set.of("mirrorObject");

  private static final Set<String> SENDS_CIPHERTEXT = Set.of("putObject", "uploadPart");

  private static final Set<String> READS_OBJECT = Set.of("getObject", "headObject");

  private static final Set<String> STORES =
      Set.of("putObject", "copyObject", "uploadPart", "uploadPartCopy", "completeMultipartUpload");

  private BackendContract() {}

  /** The backend operation an endpoint URI names, or null when it is not a backend call. */
  static String operation(String uri) {
    if (uri == null) {
      return null;
    }
    Matcher m = BACKEND.matcher(uri);
    if (m.matches()) {
      return m.group(1);
    }
    m = AWS2_S3.matcher(uri);
    if (m.matches()) {
      return m.group(1);
    }
    return uri.startsWith("aws2-s3:") ? "?" : null;
  }

  /** What a call to {@code uri} needs; empty when {@code uri} is not a backend call. */
  static Set<Fact> requires(String uri) {
    String operation = operation(uri);
    if (operation == null) {
      return Set.of();
    }
    Set<Fact> needs = EnumSet.copyOf(Step.BACKEND_CALL);
    if (WRITES_OBJECT.contains(operation)) {
      needs.add(Fact.CACHE_INVALIDATED);
    }
    if (SENDS_CIPHERTEXT.contains(operation)) {
      needs.add(Fact.CIPHERTEXT);
    }
    if (COPIES_STORED.contains(operation)) {
      needs.add(Fact.STORED);
    }
    return needs;
  }

  /** What a call to {@code uri} provides to the steps after it. */
  static Set<Fact> provides(String uri) {
    String operation = operation(uri);
    Set<Fact> provides = EnumSet.noneOf(Fact.class);
    if (operation != null && READS_OBJECT.contains(operation)) {
      provides.add(Fact.STORED_OBJECT);
    }
    if (operation != null && STORES.contains(operation)) {
      provides.add(Fact.STORED);
    }
    if ("putRecord".equals(operation)) {
      provides.add(Fact.RECORDED);
    }
    if ("headBucket".equals(operation)) {
      provides.add(Fact.BUCKET_FOUND);
    }
    return provides;
  }
}
