package io.github.s3eg.config;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.snakeyaml.engine.v2.api.Load;
import org.snakeyaml.engine.v2.api.LoadSettings;
import org.snakeyaml.engine.v2.exceptions.YamlEngineException;

/**
 * {@code config.yaml} ({@code CONFIG_FILE} or {@code --config FILE}), in the layout of the original
 * Go gateway, flattened onto the environment names every setting already has ({@code
 * rate_limit.window → RATE_LIMIT_WINDOW}). The values count as environment variables that the real
 * environment overrides. {@code config.yaml.example} documents every key.
 *
 * <p>Unknown keys fail start-up, naming the key. Keys of the original layout whose feature this
 * gateway does not have are accepted with a warning ({@link #ignored}), except those whose silent
 * absence would weaken security ({@code proxied_bucket}, {@code backend.use_client_credentials}),
 * which fail.
 */
public final class ConfigFile {

  /** Key path → environment name. */
  private static final Map<String, String> SETTINGS = new LinkedHashMap<>();

  /** Key path (or section prefix ending in '.') → why it is ignored. */
  private static final Map<String, String> IGNORED = new LinkedHashMap<>();

  /** Key path → why it is refused. */
  private static final Map<String, String> REFUSED = new LinkedHashMap<>();

  static {
    map("listen_addr", "LISTEN_ADDR");
    map("log_level", "LOG_LEVEL");
    map("log_format", "LOG_FORMAT");
    map("data_dir", "DATA_DIR");
    map("backend.endpoint", "BACKEND_ENDPOINT");
    map("backend.region", "BACKEND_REGION");
    map("backend.access_key", "BACKEND_ACCESS_KEY");
    map("backend.secret_key", "BACKEND_SECRET_KEY");
    map("backend.provider", "BACKEND_PROVIDER");
    map("backend.use_path_style", "BACKEND_USE_PATH_STYLE");
    map("backend.connect_timeout_ms", "BACKEND_CONNECT_TIMEOUT_MS");
    map("backend.timeout", "BACKEND_TIMEOUT");
    map("backend.max_connections", "BACKEND_MAX_CONNECTIONS");
    map("backend.max_retries", "BACKEND_MAX_RETRIES");
    map("backend.unsigned_payload", "BACKEND_UNSIGNED_PAYLOAD");
    map("auth.enabled", "AUTH_ENABLED");
    map("auth.allow_anonymous_network", "AUTH_ALLOW_ANONYMOUS_NETWORK");
    map("auth.access_key", "AUTH_ACCESS_KEY");
    map("auth.secret_key", "AUTH_SECRET_KEY");
    map("auth.credentials_file", "AUTH_CREDENTIALS_FILE");
    map("auth.allow_sigv2", "AUTH_ALLOW_SIGV2");
    map("encryption.password", "ENCRYPTION_PASSWORD");
    map("encryption.preferred_algorithm", "ENCRYPTION_PREFERRED_ALGORITHM");
    map("encryption.supported_algorithms", "ENCRYPTION_SUPPORTED_ALGORITHMS");
    map("encryption.chunk_size", "ENCRYPTION_SEGMENT_SIZE");
    map("encryption.segment_size", "ENCRYPTION_SEGMENT_SIZE");
    map("encryption.password_salt", "ENCRYPTION_PASSWORD_SALT");
    map("encryption.allow_plaintext_reads", "ENCRYPTION_ALLOW_PLAINTEXT_READS");
    map("encryption.spool_limit", "ENCRYPTION_SPOOL_LIMIT");
    map("encryption.read_s3ec", "ENCRYPTION_READ_S3EC");
    map("scrub.objects_per_second", "SCRUB_OBJECTS_PER_SECOND");
    map("scrub.mb_per_second", "SCRUB_MB_PER_SECOND");
    map("encryption.s3ec_keys", "ENCRYPTION_S3EC_KEYS");
    map("encryption.key_manager.enabled", "KEY_MANAGER_ENABLED");
    map("encryption.key_manager.provider", "KEY_MANAGER_PROVIDER");
    map("encryption.key_manager.dual_read_window", "KEY_MANAGER_DUAL_READ_WINDOW");
    map("encryption.key_manager.active_version", "KEY_MANAGER_ACTIVE_VERSION");
    map("encryption.key_manager.cache_ttl", "KEY_MANAGER_CACHE_TTL");
    map("encryption.key_manager.cache_max_entries", "KEY_MANAGER_CACHE_MAX_ENTRIES");
    map("encryption.key_manager.keyring_file", "KEYRING_FILE");
    map("encryption.key_manager.cosmian.endpoint", "COSMIAN_KMS_ENDPOINT");
    map("encryption.key_manager.cosmian.timeout", "COSMIAN_KMS_TIMEOUT");
    map("encryption.key_manager.cosmian.keys", "COSMIAN_KMS_KEYS");
    map("encryption.key_manager.cosmian.ca_cert", "COSMIAN_KMS_CA_CERT");
    map("encryption.key_manager.cosmian.client_cert", "COSMIAN_KMS_CLIENT_CERT");
    map("encryption.key_manager.cosmian.client_key", "COSMIAN_KMS_CLIENT_KEY");
    map("encryption.key_manager.cosmian.protocol_version", "KMIP_PROTOCOL_VERSION");
    map("compression.enabled", "COMPRESSION_ENABLED");
    map("compression.min_size", "COMPRESSION_MIN_SIZE");
    map("compression.content_types", "COMPRESSION_CONTENT_TYPES");
    map("compression.algorithm", "COMPRESSION_ALGORITHM");
    map("compression.level", "COMPRESSION_LEVEL");
    map("server.domain", "SERVER_DOMAIN");
    map("server.max_concurrent_requests", "SERVER_MAX_CONCURRENT_REQUESTS");
    map(
        "server.max_concurrent_requests_per_principal",
        "SERVER_MAX_CONCURRENT_REQUESTS_PER_PRINCIPAL");
    map("health.details_public", "HEALTH_DETAILS_PUBLIC");
    map("server.max_request_line", "SERVER_MAX_REQUEST_LINE");
    map("server.max_header_bytes", "SERVER_MAX_HEADER_SIZE");
    map("server.disable_multipart_uploads", "SERVER_DISABLE_MULTIPART_UPLOADS");
    map("server.shutdown_timeout", "SHUTDOWN_TIMEOUT");
    map("metrics.public", "METRICS_PUBLIC");
    map("tls.enabled", "TLS_ENABLED");
    map("tls.cert_file", "TLS_CERT_FILE");
    map("tls.key_file", "TLS_KEY_FILE");
    map("rate_limit.enabled", "RATE_LIMIT_ENABLED");
    map("rate_limit.requests", "RATE_LIMIT_REQUESTS");
    map("rate_limit.limit", "RATE_LIMIT_REQUESTS");
    map("rate_limit.window", "RATE_LIMIT_WINDOW");
    map("cache.enabled", "CACHE_ENABLED");
    map("cache.max_size", "CACHE_MAX_SIZE");
    map("cache.max_items", "CACHE_MAX_ITEMS");
    map("cache.default_ttl", "CACHE_DEFAULT_TTL");
    map("cache.max_object_size", "CACHE_MAX_OBJECT_SIZE");
    map("audit.enabled", "AUDIT_ENABLED");
    map("audit.max_events", "AUDIT_MAX_EVENTS");
    map("audit.file", "AUDIT_FILE");
    map("audit.sink.file_path", "AUDIT_FILE");

    IGNORED.put("backend.use_ssl", "the scheme of backend.endpoint (http or https) decides");
    IGNORED.put("backend.filter_metadata_keys", "metadata is passed through unchanged");
    IGNORED.put("encryption.chunked_mode", "encryption always streams in segments");
    IGNORED.put(
        "encryption.key_manager.cosmian.insecure_skip_verify",
        "the KMS certificate is always verified");
    IGNORED.put("server.read_timeout", "client timeouts are SERVER_REQUEST_TIMEOUT (no progress)");
    IGNORED.put("server.write_timeout", "client timeouts are SERVER_REQUEST_TIMEOUT (no progress)");
    IGNORED.put("server.idle_timeout", "idle connections are closed after 300 s");
    IGNORED.put("server.read_header_timeout", "client timeouts are SERVER_REQUEST_TIMEOUT");
    IGNORED.put("audit.sink.", "the audit log is written line by line (audit.file)");

    REFUSED.put(
        "proxied_bucket",
        "is not supported; limit a credential's buckets in AUTH_CREDENTIALS_FILE instead");
    REFUSED.put(
        "backend.use_client_credentials",
        "is not supported: clients never supply backend credentials to this gateway");
  }

  private static void map(String key, String envName) {
    SETTINGS.put(key, envName);
  }

  /**
   * A loaded file.
   *
   * @param values environment name → value
   * @param keys environment name → the key path it came from
   * @param ignored key paths accepted but without effect, each with the reason
   */
  public record Loaded(
      Path file, Map<String, String> values, Map<String, String> keys, List<String> ignored) {}

  private ConfigFile() {}

  /**
   * Reads and flattens {@code file}.
   *
   * @throws ConfigurationException naming the key (or {@code CONFIG_FILE}) that is wrong
   */
  public static Loaded load(Path file) {
    String text;
    try {
      text = Files.readString(file, StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new ConfigurationException("CONFIG_FILE", "cannot be read: " + file + " (" + e + ")");
    }
    Object root;
    try {
      root =
          new Load(LoadSettings.builder().setAllowDuplicateKeys(false).build())
              .loadFromString(text);
    } catch (YamlEngineException e) {
      throw new ConfigurationException(
          "CONFIG_FILE", file + " is not valid YAML: " + e.getMessage().replace('\n', ' '));
    }
    Map<String, String> values = new LinkedHashMap<>();
    Map<String, String> keys = new LinkedHashMap<>();
    List<String> ignored = new ArrayList<>();
    if (root != null) {
      if (!(root instanceof Map<?, ?> map)) {
        throw new ConfigurationException("CONFIG_FILE", file + " must be a mapping of keys");
      }
      flatten("", map, values, keys, ignored);
    }
    return new Loaded(
        file,
        Collections.unmodifiableMap(values),
        Collections.unmodifiableMap(keys),
        List.copyOf(ignored));
  }

  /**
   * The environment the gateway reads: {@code environment} over the file's values. Real environment
   * variables win.
   */
  public static Map<String, String> overlay(Map<String, String> environment, Loaded file) {
    Map<String, String> merged = new LinkedHashMap<>(file.values());
    merged.putAll(environment);
    return merged;
  }

  private static void flatten(
      String prefix,
      Map<?, ?> section,
      Map<String, String> values,
      Map<String, String> keys,
      List<String> ignored) {
    for (Map.Entry<?, ?> entry : section.entrySet()) {
      String key = prefix + entry.getKey();
      Object value = entry.getValue();
      if (REFUSED.containsKey(key)) {
        if (value != null && !value.toString().isBlank() && !Boolean.FALSE.equals(value)) {
          throw new ConfigurationException(key, REFUSED.get(key));
        }
        continue;
      }
      String reason = ignoredReason(key);
      if (reason != null) {
        ignored.add(key + " (" + reason + ")");
        continue;
      }
      String envName = SETTINGS.get(key);
      if (envName == null) {
        if (isSection(key + ".") && (value == null || value instanceof Map<?, ?>)) {
          if (value != null) {
            flatten(key + ".", (Map<?, ?>) value, values, keys, ignored);
          }
          continue;
        }
        throw new ConfigurationException(
            key, "is not a known configuration key (see config.yaml.example)");
      }
      if (value == null) {
        continue;
      }
      if (values.containsKey(envName)) {
        throw new ConfigurationException(
            key, "sets " + envName + " a second time (via " + keys.get(envName) + ")");
      }
      values.put(envName, scalar(key, value));
      keys.put(envName, key);
    }
  }

  private static String ignoredReason(String key) {
    for (Map.Entry<String, String> e : IGNORED.entrySet()) {
      if (key.equals(e.getKey())
          || (e.getKey().endsWith(".") && key.startsWith(e.getKey()))
          || (e.getKey().endsWith(".")
              && key.equals(e.getKey().substring(0, e.getKey().length() - 1)))) {
        return e.getValue();
      }
    }
    return null;
  }

  private static boolean isSection(String prefix) {
    return SETTINGS.keySet().stream().anyMatch(k -> k.startsWith(prefix))
        || IGNORED.keySet().stream().anyMatch(k -> k.startsWith(prefix))
        || REFUSED.keySet().stream().anyMatch(k -> k.startsWith(prefix));
  }

  /**
   * A setting's text: scalars as written; lists comma-joined; Cosmian keys as {@code id:version}.
   */
  private static String scalar(String key, Object value) {
    if (value instanceof Map<?, ?>) {
      throw new ConfigurationException(key, "must be a value, not a section");
    }
    if (value instanceof List<?> list) {
      return list.stream().map(item -> listItem(key, item)).collect(Collectors.joining(","));
    }
    return value.toString();
  }

  private static String listItem(String key, Object item) {
    if (item instanceof Map<?, ?> map) {
      Object id = map.get("id");
      Object version = map.get("version");
      if (id == null || version == null || map.size() != 2) {
        throw new ConfigurationException(key, "entries must have exactly id and version");
      }
      return id + ":" + version;
    }
    if (item == null || item instanceof List<?>) {
      throw new ConfigurationException(key, "must be a list of values");
    }
    return item.toString();
  }
}
