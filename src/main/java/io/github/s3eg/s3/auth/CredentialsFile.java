package io.github.s3eg.s3.auth;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.snakeyaml.engine.v2.api.Load;
import org.snakeyaml.engine.v2.api.LoadSettings;
import org.snakeyaml.engine.v2.exceptions.MarkedYamlEngineException;
import org.snakeyaml.engine.v2.exceptions.YamlEngineException;

/**
 * Reads the YAML credentials file ({@code AUTH_CREDENTIALS_FILE}). The format:
 *
 * <pre>{@code
 * credentials:
 *   - accessKey: backup-writer          # 1-128 printable ASCII, no space / : ,
 *     secretKey: "s3cr3t-value"         # a string; quote it if YAML would read a number
 *     buckets: [backups, logs]          # exact bucket names, or ["*"] for all buckets
 *     permission: write                 # read | write (read+write) | admin
 *   - accessKey: auditor
 *     secretKey: "another-secret"
 *     buckets: ["*"]
 *     permission: read
 * }</pre>
 *
 * <p>Parsing is strict because a typo in an access-control file must not silently widen or narrow
 * access: every field is required, unknown or duplicate keys are errors that name the key and the
 * entry, values must have the right type (no implicit number-to-string), and bucket names are exact
 * (no patterns besides {@code *} alone).
 */
public final class CredentialsFile {

  static final String ROOT = "credentials";
  static final Set<String> FIELDS = Set.of("accessKey", "secretKey", "buckets", "permission");

  private CredentialsFile() {}

  /** Loads and validates the file. */
  public static List<ClientCredential> load(Path file) {
    String text;
    try {
      text = Files.readString(file, StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new CredentialsConfigException(
          "cannot read credentials file " + file + ": " + e.getMessage(), e);
    }
    return parse(text, file.toString());
  }

  /**
   * Parses YAML text in the documented format.
   *
   * @param source names the text in error messages (usually the file path)
   */
  public static List<ClientCredential> parse(String yaml, String source) {
    Object root;
    try {
      LoadSettings settings =
          LoadSettings.builder().setLabel(source).setAllowDuplicateKeys(false).build();
      root = new Load(settings).loadFromString(yaml);
    } catch (YamlEngineException e) {
      throw new CredentialsConfigException(source + ": not valid YAML (" + describe(e) + ")");
    }
    if (!(root instanceof Map<?, ?> top)) {
      throw new CredentialsConfigException(
          source + ": expected a mapping with the key '" + ROOT + "' at the top level");
    }
    for (Object key : top.keySet()) {
      if (!ROOT.equals(key)) {
        throw new CredentialsConfigException(
            source + ": unknown top-level key '" + key + "' (only '" + ROOT + "' is allowed)");
      }
    }
    if (!(top.get(ROOT) instanceof List<?> entries) || entries.isEmpty()) {
      throw new CredentialsConfigException(
          source + ": '" + ROOT + "' must be a non-empty list of credentials");
    }
    List<ClientCredential> result = new ArrayList<>();
    for (int i = 0; i < entries.size(); i++) {
      result.add(entry(entries.get(i), source + ": " + ROOT + "[" + i + "]"));
    }
    return result;
  }

  private static ClientCredential entry(Object node, String where) {
    if (!(node instanceof Map<?, ?> map)) {
      throw new CredentialsConfigException(where + ": expected a mapping with " + FIELDS);
    }
    for (Object key : map.keySet()) {
      if (!FIELDS.contains(key)) {
        throw new CredentialsConfigException(
            where
                + ": unknown key '"
                + key
                + "' (allowed: accessKey, secretKey, buckets, permission)");
      }
    }
    String accessKey = string(map, "accessKey", where);
    String secretKey = string(map, "secretKey", where);
    String permissionName = string(map, "permission", where);
    if (!(map.get("buckets") instanceof List<?> bucketList)) {
      throw new CredentialsConfigException(
          where + ": 'buckets' must be a list of bucket names, or [\"*\"]");
    }
    List<String> buckets = new ArrayList<>();
    for (Object b : bucketList) {
      if (!(b instanceof String s)) {
        throw new CredentialsConfigException(where + ": every bucket name must be a string");
      }
      buckets.add(s);
    }
    try {
      return new ClientCredential(accessKey, secretKey, Permission.parse(permissionName), buckets);
    } catch (IllegalArgumentException e) {
      throw new CredentialsConfigException(where + ": " + e.getMessage(), e);
    }
  }

  private static String string(Map<?, ?> map, String field, String where) {
    Object value = map.get(field);
    if (value == null) {
      throw new CredentialsConfigException(where + ": missing required key '" + field + "'");
    }
    if (!(value instanceof String s)) {
      throw new CredentialsConfigException(
          where + ": '" + field + "' must be a string (quote the value)");
    }
    return s;
  }

  /** The parser's problem and position, without the source excerpt (it may show a secret). */
  private static String describe(YamlEngineException e) {
    if (e instanceof MarkedYamlEngineException marked) {
      String at =
          marked
              .getProblemMark()
              .map(m -> " at line " + (m.getLine() + 1) + ", column " + (m.getColumn() + 1))
              .orElse("");
      return marked.getProblem() + at;
    }
    return e.getClass().getSimpleName();
  }
}
