package io.github.s3eg.ops;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The audit log's hash chain. Each line is one JSON object that begins {@code {"seq":N,"prev":"<64
 * hex>",} and ends {@code ,"hash":"<64 hex>"}}, where {@code hash} is the SHA-256 of the line's
 * text before {@code ,"hash":} (so it covers {@code seq}, {@code prev} and every field), and {@code
 * prev} is the previous line's {@code hash}, or {@link #GENESIS} for the first line. {@code seq}
 * counts from 1. Editing a line breaks its own hash; deleting, inserting or reordering lines breaks
 * the next line's {@code prev} and {@code seq}.
 */
final class AuditChain {

  /** The {@code prev} of the first line. */
  static final String GENESIS = "0".repeat(64);

  private static final String HASH_FIELD = ",\"hash\":\"";
  private static final Pattern HEAD =
      Pattern.compile("^\\{\"seq\":(\\d{1,18}),\"prev\":\"([0-9a-f]{64})\",");
  private static final Pattern TAIL = Pattern.compile(",\"hash\":\"([0-9a-f]{64})\"}$");

  /** One line's chain fields. */
  record Link(long seq, String prev, String hash) {}

  private AuditChain() {}

  /** The start of a line: {@code {"seq":N,"prev":"…",}; append fields, then {@link #seal}. */
  static StringBuilder begin(long seq, String prev) {
    return new StringBuilder(512)
        .append("{\"seq\":")
        .append(seq)
        .append(",\"prev\":\"")
        .append(prev)
        .append("\",");
  }

  /** Completes a line begun with {@link #begin} (fields end with a comma) with its hash. */
  static String seal(StringBuilder line) {
    line.setLength(line.length() - 1);
    String body = line.toString();
    return body + HASH_FIELD + sha256(body) + "\"}";
  }

  /**
   * The chain fields of {@code line}, checked against its own hash.
   *
   * @throws IllegalArgumentException saying what is wrong
   */
  static Link parse(String line) {
    Matcher head = HEAD.matcher(line);
    Matcher tail = TAIL.matcher(line);
    if (!head.find() || !tail.find()) {
      throw new IllegalArgumentException("not an audit record");
    }
    String hash = tail.group(1);
    String body = line.substring(0, tail.start());
    if (!sha256(body).equals(hash)) {
      throw new IllegalArgumentException("content does not match its hash (line was modified)");
    }
    return new Link(Long.parseLong(head.group(1)), head.group(2), hash);
  }

  /** Checks that {@code link} follows {@code previous} (null for the first line). */
  static void checkFollows(Link previous, Link link) {
    long expectedSeq = previous == null ? 1 : previous.seq() + 1;
    String expectedPrev = previous == null ? GENESIS : previous.hash();
    if (!link.prev().equals(expectedPrev)) {
      throw new IllegalArgumentException(
          "does not chain to the line before it (a line was deleted, inserted or reordered)");
    }
    if (link.seq() != expectedSeq) {
      throw new IllegalArgumentException(
          "sequence number " + link.seq() + ", expected " + expectedSeq);
    }
  }

  static String sha256(String text) {
    try {
      return HexFormat.of()
          .formatHex(
              MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8)));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is part of every JDK", e);
    }
  }
}
