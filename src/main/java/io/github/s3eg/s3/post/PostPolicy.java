package io.github.s3eg.s3.post;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.github.s3eg.s3.S3ErrorCode;
import io.github.s3eg.s3.S3Exception;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * The policy document of a browser upload (S3's "POST policy"): an expiration and a list of
 * conditions every form field must meet. Checked after its signature (the signature covers the
 * base64 text the client sent, so the gateway checks the very conditions that were signed).
 *
 * <p>As S3: every form field except {@code x-amz-signature}, {@code file}, {@code policy} and
 * {@code x-ignore-*} must be named by a condition ("Extra input fields"), and each condition must
 * hold. Conditions: {@code {"field": "value"}} and {@code ["eq", "$field", "value"]} (exact),
 * {@code ["starts-with", "$field", "prefix"]} ({@code Content-Type} may list types separated by
 * commas), {@code ["content-length-range", min, max]} (the file's size, checked while it streams).
 */
public final class PostPolicy {

  private static final ObjectMapper JSON = new ObjectMapper();

  /**
   * Fields no condition needs to name ({@code bucket} is the request's, not a form field; a policy
   * without a bucket condition allows any bucket its credential may write).
   */
  private static final Set<String> UNCHECKED =
      Set.of("x-amz-signature", "file", "policy", "bucket");

  private final Instant expiration;
  private final List<Condition> conditions;
  private final long minLength;
  private final long maxLength;

  private record Condition(String operator, String field, String value, String text) {}

  private PostPolicy(
      Instant expiration, List<Condition> conditions, long minLength, long maxLength) {
    this.expiration = expiration;
    this.conditions = conditions;
    this.minLength = minLength;
    this.maxLength = maxLength;
  }

  /**
   * Parses the base64 policy of the form.
   *
   * @throws S3Exception InvalidPolicyDocument when it is not a policy
   */
  public static PostPolicy parse(String base64) {
    JsonNode root;
    try {
      root = JSON.readTree(Base64.getMimeDecoder().decode(base64.trim()));
    } catch (Exception e) {
      throw invalid("Invalid Policy: Invalid JSON.");
    }
    if (root == null || !root.isObject()) {
      throw invalid("Invalid Policy: Invalid JSON.");
    }
    JsonNode exp = root.get("expiration");
    if (exp == null || !exp.isTextual()) {
      throw invalid("Invalid Policy: Policy missing expiration.");
    }
    Instant expiration;
    try {
      expiration = Instant.parse(exp.asText());
    } catch (DateTimeParseException e) {
      throw invalid("Invalid Policy: Invalid 'expiration' value: '" + exp.asText() + "'");
    }
    JsonNode list = root.get("conditions");
    if (list == null || !list.isArray()) {
      throw invalid("Invalid Policy: Policy missing conditions.");
    }
    List<Condition> conditions = new ArrayList<>();
    long min = 0;
    long max = Long.MAX_VALUE;
    for (JsonNode c : list) {
      if (c.isObject() && c.size() == 1) {
        Map.Entry<String, JsonNode> e = c.fields().next();
        conditions.add(
            new Condition(
                "eq",
                e.getKey(),
                e.getValue().asText(),
                "[\"eq\", \"$" + e.getKey() + "\", \"" + e.getValue().asText() + "\"]"));
      } else if (c.isArray() && c.size() == 3) {
        String op = c.get(0).asText().toLowerCase(Locale.ROOT);
        if (op.equals("content-length-range")) {
          if (!c.get(1).canConvertToLong() || !c.get(2).canConvertToLong()) {
            throw invalid("Invalid Policy: Invalid content-length-range.");
          }
          min = Math.max(min, c.get(1).asLong());
          max = Math.min(max, c.get(2).asLong());
          continue;
        }
        String field = c.get(1).asText();
        if (!(op.equals("eq") || op.equals("starts-with")) || !field.startsWith("$")) {
          throw invalid("Invalid Policy: Invalid Condition: " + c);
        }
        conditions.add(new Condition(op, field.substring(1), c.get(2).asText(), c.toString()));
      } else {
        throw invalid("Invalid Policy: Invalid Simple-Condition: " + c);
      }
    }
    return new PostPolicy(expiration, List.copyOf(conditions), min, max);
  }

  /**
   * Checks the expiration and every condition against the form's fields (with {@code bucket}, from
   * the request's path, among them).
   *
   * @throws S3Exception AccessDenied "Invalid according to Policy: …", as S3
   */
  public void check(Map<String, String> fields, Instant now) {
    if (now.isAfter(expiration)) {
      throw denied("Invalid according to Policy: Policy expired.");
    }
    Map<String, String> named = new TreeMap<>(String.CASE_INSENSITIVE_ORDER);
    conditions.forEach(c -> named.put(c.field(), c.field()));
    List<String> extra = new ArrayList<>();
    for (String name : fields.keySet()) {
      String lower = name.toLowerCase(Locale.ROOT);
      if (!UNCHECKED.contains(lower)
          && !lower.startsWith("x-ignore-")
          && !named.containsKey(name)) {
        extra.add(name);
      }
    }
    if (!extra.isEmpty()) {
      throw denied("Invalid according to Policy: Extra input fields: " + String.join(", ", extra));
    }
    for (Condition c : conditions) {
      String value = valueOf(fields, c.field());
      boolean holds =
          c.operator().equals("eq")
              ? value.equals(c.value())
              : startsWith(c.field(), value, c.value());
      if (!holds) {
        throw denied("Invalid according to Policy: Policy Condition failed: " + c.text());
      }
    }
  }

  private static String valueOf(Map<String, String> fields, String name) {
    for (Map.Entry<String, String> e : fields.entrySet()) {
      if (e.getKey().equalsIgnoreCase(name)) {
        return e.getValue();
      }
    }
    return "";
  }

  /** {@code Content-Type} may hold several types; each must start with the prefix. */
  private static boolean startsWith(String field, String value, String prefix) {
    if (field.equalsIgnoreCase("Content-Type")) {
      for (String type : value.split(",")) {
        if (!type.trim().startsWith(prefix)) {
          return false;
        }
      }
      return true;
    }
    return value.startsWith(prefix);
  }

  /** The smallest file the policy allows (0 without a content-length-range). */
  public long minLength() {
    return minLength;
  }

  /** The largest file the policy allows ({@link Long#MAX_VALUE} without a content-length-range). */
  public long maxLength() {
    return maxLength;
  }

  static S3Exception invalid(String message) {
    return new S3Exception(S3ErrorCode.INVALID_POLICY_DOCUMENT, message);
  }

  static S3Exception denied(String message) {
    return new S3Exception(S3ErrorCode.ACCESS_DENIED, message);
  }

  @Override
  public String toString() {
    return "PostPolicy[expiration=" + expiration + ", conditions=" + conditions.size() + "]";
  }
}
