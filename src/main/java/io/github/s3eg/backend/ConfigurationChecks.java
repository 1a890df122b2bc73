package io.github.s3eg.backend;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.github.s3eg.s3.S3ErrorCode;
import io.github.s3eg.s3.S3Exception;
import io.github.s3eg.s3.xml.XmlReader;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * What a client's bucket configuration may not do to the gateway's own records under {@value
 * ReservedKeys#PREFIX} (upload records, multipart indexes, checksum records), checked before the
 * document is forwarded. The backend applies lifecycle rules and policies to every key, so a rule
 * that names the reserved prefix, or one that treats the records differently from the objects they
 * belong to, would break objects in ways the gateway cannot see: an expired index makes its
 * multipart object unreadable, a denied upload record fails its upload.
 *
 * <ul>
 *   <li><b>Lifecycle</b>: a rule that can reach the records (its prefix is empty or overlaps the
 *       reserved prefix, and it has no tag condition, records having no tags) must not name the
 *       reserved prefix and must not filter on object size (records are small, their objects are
 *       not). A rule for the whole bucket ages records with their objects and is accepted.
 *   <li><b>Policy</b>: no {@code Resource} or {@code NotResource} may name keys under the reserved
 *       prefix; patterns for the whole bucket ({@code bucket/*}) are accepted.
 *   <li><b>Logging</b>: the target prefix must not put the backend's logs among the records.
 * </ul>
 *
 * A pattern "names" the prefix when the text before its first wildcard is non-empty and either
 * starts with {@value ReservedKeys#PREFIX} or is a beginning of it ({@code .}, {@code .s3eg}).
 */
public final class ConfigurationChecks {

  private static final ObjectMapper JSON = new ObjectMapper();

  private ConfigurationChecks() {}

  /**
   * Refuses a lifecycle configuration with a rule that would treat the gateway's records otherwise
   * than their objects.
   *
   * @throws S3Exception MalformedXML for a document that is not XML, AccessDenied for such a rule
   */
  public static void checkLifecycle(byte[] xml) {
    XmlReader.Element root = XmlReader.parse(xml);
    for (XmlReader.Element rule : root.all("Rule")) {
      List<String> prefixes = new ArrayList<>();
      boolean tagged = false;
      boolean sized = false;
      Optional.ofNullable(rule.childText("Prefix")).ifPresent(prefixes::add);
      for (XmlReader.Element filter : rule.all("Filter")) {
        Optional.ofNullable(filter.childText("Prefix")).ifPresent(prefixes::add);
        tagged |= !filter.all("Tag").isEmpty();
        sized |= hasSizeCondition(filter);
        for (XmlReader.Element and : filter.all("And")) {
          Optional.ofNullable(and.childText("Prefix")).ifPresent(prefixes::add);
          tagged |= !and.all("Tag").isEmpty();
          sized |= hasSizeCondition(and);
        }
      }
      if (tagged) {
        continue;
      }
      String id = Optional.ofNullable(rule.childText("ID")).orElse("");
      for (String prefix : prefixes) {
        if (namesReservedPrefix(prefix)) {
          throw refused("Lifecycle rule '" + id + "' names keys under " + ReservedKeys.PREFIX);
        }
      }
      boolean reachesRecords =
          prefixes.isEmpty()
              || prefixes.stream().allMatch(p -> p.isEmpty() || namesReservedPrefix(p));
      if (sized && reachesRecords) {
        throw refused(
            "Lifecycle rule '"
                + id
                + "' filters on object size and would apply to the gateway's records under "
                + ReservedKeys.PREFIX
                + " otherwise than to their objects; give it a prefix or a tag");
      }
    }
  }

  private static boolean hasSizeCondition(XmlReader.Element filter) {
    return filter.childText("ObjectSizeGreaterThan") != null
        || filter.childText("ObjectSizeLessThan") != null;
  }

  /**
   * Refuses a bucket policy whose statements name keys under the reserved prefix.
   *
   * @throws S3Exception MalformedPolicy for a document that is not a JSON object, AccessDenied for
   *     such a statement
   */
  public static void checkPolicy(byte[] json) {
    JsonNode policy;
    try {
      policy = JSON.readTree(json);
    } catch (java.io.IOException e) {
      policy = null;
    }
    if (policy == null || !policy.isObject()) {
      throw new S3Exception(
          S3ErrorCode.MALFORMED_POLICY,
          "Policies must be valid JSON and the first byte must be '{'");
    }
    JsonNode statements = policy.path("Statement");
    for (JsonNode statement : statements.isArray() ? statements : List.of(statements)) {
      for (String field : List.of("Resource", "NotResource")) {
        JsonNode resources = statement.path(field);
        for (JsonNode resource : resources.isArray() ? resources : List.of(resources)) {
          if (resource.isTextual() && namesReservedKey(resource.asText())) {
            throw refused(
                "Bucket policy "
                    + field
                    + " '"
                    + resource.asText()
                    + "' names keys under "
                    + ReservedKeys.PREFIX);
          }
        }
      }
    }
  }

  /** An ARN {@code arn:…:s3:::bucket/pattern} whose key pattern names the reserved prefix. */
  private static boolean namesReservedKey(String arn) {
    int resource = arn.indexOf(":::");
    String path = resource < 0 ? arn : arn.substring(resource + 3);
    int slash = path.indexOf('/');
    return slash >= 0 && namesReservedPrefix(literalPrefix(path.substring(slash + 1)));
  }

  /**
   * The bucket logging target of a PutBucketLogging document, if logging is enabled; refuses a
   * target prefix among the gateway's records.
   *
   * @throws S3Exception MalformedXML, or AccessDenied for a target prefix under the reserved prefix
   */
  public static Optional<String> loggingTarget(byte[] xml) {
    XmlReader.Element root = XmlReader.parse(xml);
    for (XmlReader.Element enabled : root.all("LoggingEnabled")) {
      String prefix = Optional.ofNullable(enabled.childText("TargetPrefix")).orElse("");
      if (namesReservedPrefix(prefix)) {
        throw refused("The logging target prefix names keys under " + ReservedKeys.PREFIX);
      }
      String bucket = enabled.childText("TargetBucket");
      if (bucket != null && !bucket.isBlank()) {
        return Optional.of(bucket.trim());
      }
    }
    return Optional.empty();
  }

  /** The text of a key pattern before its first wildcard or policy variable. */
  static String literalPrefix(String pattern) {
    int end = pattern.length();
    for (String wildcard : List.of("*", "?", "${")) {
      int at = pattern.indexOf(wildcard);
      if (at >= 0) {
        end = Math.min(end, at);
      }
    }
    return pattern.substring(0, end);
  }

  /** A non-empty key prefix under the reserved prefix, or the beginning of it. */
  static boolean namesReservedPrefix(String prefix) {
    return !prefix.isEmpty()
        && (prefix.startsWith(ReservedKeys.PREFIX) || ReservedKeys.PREFIX.startsWith(prefix));
  }

  private static S3Exception refused(String message) {
    return new S3Exception(S3ErrorCode.ACCESS_DENIED, message + " (reserved by the gateway).");
  }
}
