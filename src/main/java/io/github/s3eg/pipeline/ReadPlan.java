package io.github.s3eg.pipeline;

import io.github.s3eg.crypto.SegmentLayout;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Which ciphertext bytes to ask the backend for, decided before the object's metadata is known: a
 * client range is turned into whole segments under the gateway's configured layout, so that a
 * ranged GET is one backend request. The decrypt step checks the guess against the object's real
 * layout and fetches again only if the object was written with another segment size.
 */
record ReadPlan(Kind kind, String backendRange) {

  enum Kind {
    /** No range, or a Range header S3 ignores: the whole object. */
    FULL,
    /** {@code bytes=a-b} or {@code bytes=a-}. */
    FROM_OFFSET,
    /** {@code bytes=-n}: the last n bytes. */
    SUFFIX,
    /** A plaintext object (allowed by configuration): the client's range as it is. */
    PLAINTEXT
  }

  static final String PROPERTY = "s3ReadPlan";

  private static final Pattern BOUNDED = Pattern.compile("bytes=(\\d{1,18})-(\\d{0,18})");
  private static final Pattern SUFFIX_RANGE = Pattern.compile("bytes=-(\\d{1,18})");

  static ReadPlan of(String rangeHeader, SegmentLayout layout) {
    if (rangeHeader == null) {
      return new ReadPlan(Kind.FULL, null);
    }
    String h = rangeHeader.trim();
    Matcher m = BOUNDED.matcher(h);
    if (m.matches()) {
      long first = Long.parseLong(m.group(1));
      if (m.group(2).isEmpty()) {
        return new ReadPlan(
            Kind.FROM_OFFSET,
            "bytes=" + layout.ciphertextOffsetOfSegment(layout.segmentIndexOf(first)) + "-");
      }
      long last = Long.parseLong(m.group(2));
      if (last < first) {
        return new ReadPlan(Kind.FULL, null);
      }
      long from = layout.ciphertextOffsetOfSegment(layout.segmentIndexOf(first));
      long lastSegment = Math.min(layout.segmentIndexOf(last), SegmentLayout.MAX_SEGMENTS - 1);
      long to = layout.ciphertextOffsetOfSegment(lastSegment) + layout.ciphertextSegmentSize() - 1;
      return new ReadPlan(Kind.FROM_OFFSET, "bytes=" + from + "-" + to);
    }
    m = SUFFIX_RANGE.matcher(h);
    if (m.matches()) {
      long n = Long.parseLong(m.group(1));
      long segments = Math.min(n / layout.plaintextSegmentSize() + 2, SegmentLayout.MAX_SEGMENTS);
      return new ReadPlan(
          Kind.SUFFIX, "bytes=-" + Math.max(1, segments * layout.ciphertextSegmentSize()));
    }
    return new ReadPlan(Kind.FULL, null);
  }
}
