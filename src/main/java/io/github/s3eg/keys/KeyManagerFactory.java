package io.github.s3eg.keys;

import io.github.s3eg.keys.cosmian.CosmianClient;
import io.github.s3eg.keys.cosmian.CosmianClientConfig;
import io.github.s3eg.keys.cosmian.CosmianKeyManager;
import io.github.s3eg.keys.kmip.KmipClient;
import io.github.s3eg.keys.kmip.KmipClientConfig;
import io.github.s3eg.keys.kmip.KmipKeyManager;
import io.github.s3eg.keys.kmip.KmipVersion;
import io.github.s3eg.keys.tls.PemFiles;
import java.io.IOException;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.function.Supplier;

/**
 * Builds the configured {@link KeyManager} from settings named as in the original project.
 *
 * <table>
 *   <caption>Settings</caption>
 *   <tr><th>Name</th><th>Meaning</th><th>Default</th></tr>
 *   <tr><td>{@code KEY_MANAGER_ENABLED}</td><td>{@code true} to use a key service; {@code false}
 *       keeps password mode</td><td>{@code false}</td></tr>
 *   <tr><td>{@code KEY_MANAGER_PROVIDER}</td><td>{@code kmip}, {@code cosmian}, {@code keyring}
 *       or {@code password}</td><td>required when enabled</td></tr>
 *   <tr><td>{@code KEY_MANAGER_DUAL_READ_WINDOW}</td><td>older KEK versions still readable</td>
 *       <td>1</td></tr>
 *   <tr><td>{@code KEY_MANAGER_ACTIVE_VERSION}</td><td>(new) explicit active version for kmip and
 *       cosmian</td><td>the highest</td></tr>
 *   <tr><td>{@code KEY_MANAGER_CACHE_TTL}</td><td>(new) DEK cache lifetime for kmip and cosmian;
 *       {@code 0} disables the cache</td><td>{@code 5m}</td></tr>
 *   <tr><td>{@code KEY_MANAGER_CACHE_MAX_ENTRIES}</td><td>(new) DEK cache size</td>
 *       <td>10000</td></tr>
 *   <tr><td>{@code COSMIAN_KMS_ENDPOINT}</td><td>cosmian: {@code http(s)://host:9998[/kmip/2_1]};
 *       kmip: {@code host[:port]} or {@code kmip://host[:port]}</td><td>required</td></tr>
 *   <tr><td>{@code COSMIAN_KMS_TIMEOUT}</td><td>connect and request timeout ({@code 5s},
 *       {@code 500ms}, or seconds)</td><td>{@code 5s}</td></tr>
 *   <tr><td>{@code COSMIAN_KMS_KEYS}</td><td>{@code id:version,…} (KMIP or Cosmian unique
 *       identifiers)</td><td>required</td></tr>
 *   <tr><td>{@code COSMIAN_KMS_CA_CERT}, {@code COSMIAN_KMS_CLIENT_CERT},
 *       {@code COSMIAN_KMS_CLIENT_KEY}</td><td>PEM files for (mutual) TLS; all three required for
 *       kmip, optional for cosmian</td><td></td></tr>
 *   <tr><td>{@code KMIP_PROTOCOL_VERSION}</td><td>(new) pin {@code 1.4} or {@code 2.0} instead of
 *       negotiating</td><td>negotiated</td></tr>
 *   <tr><td>{@code KEYRING_FILE}</td><td>keyring JSON file</td><td>required for keyring</td></tr>
 * </table>
 *
 * <p><b>Password mode extension point.</b> Password mode is built elsewhere; the caller passes a
 * {@code Supplier} of that manager (returning {@code null} when no password is configured). It is
 * used as the whole key manager when key services are disabled or the provider is {@code password},
 * and otherwise as the fallback that still opens objects written in password mode (see {@link
 * FallbackKeyManager}).
 */
public final class KeyManagerFactory {

  public static final String ENABLED = KeyManagerSettingNames.ENABLED;
  public static final String PROVIDER = KeyManagerSettingNames.PROVIDER;
  public static final String DUAL_READ_WINDOW = KeyManagerSettingNames.DUAL_READ_WINDOW;
  public static final String ACTIVE_VERSION = KeyManagerSettingNames.ACTIVE_VERSION;
  public static final String CACHE_TTL = KeyManagerSettingNames.CACHE_TTL;
  public static final String CACHE_MAX_ENTRIES = KeyManagerSettingNames.CACHE_MAX_ENTRIES;
  public static final String ENDPOINT = KeyManagerSettingNames.ENDPOINT;
  public static final String TIMEOUT = KeyManagerSettingNames.TIMEOUT;
  public static final String KEYS = KeyManagerSettingNames.KEYS;
  public static final String CA_CERT = KeyManagerSettingNames.CA_CERT;
  public static final String CLIENT_CERT = KeyManagerSettingNames.CLIENT_CERT;
  public static final String CLIENT_KEY = KeyManagerSettingNames.CLIENT_KEY;
  public static final String KMIP_PROTOCOL_VERSION = KeyManagerSettingNames.KMIP_PROTOCOL_VERSION;
  public static final String KEYRING_FILE = KeyManagerSettingNames.KEYRING_FILE;

  static final int DEFAULT_WINDOW = 1;
  private static final Duration MAX_HEALTH_TIMEOUT = Duration.ofSeconds(2);
  private static final List<String> PROVIDERS = List.of("kmip", "cosmian", "keyring", "password");

  private KeyManagerFactory() {}

  /**
   * Builds the key manager {@code settings} describe.
   *
   * @param passwordManager supplies the password-mode manager (may be {@code null}, and may return
   *     {@code null}, when there is none)
   * @throws KeyManagerConfigException naming the first invalid setting
   */
  public static KeyManager create(
      Map<String, String> settings, Supplier<KeyManager> passwordManager) {
    KeyManagerSettings s = new KeyManagerSettings(settings);
    if (!s.bool(ENABLED, false)) {
      return password(passwordManager, ENABLED, "is false (password mode)");
    }
    String provider = s.required(PROVIDER, "when " + ENABLED + "=true").toLowerCase(Locale.ROOT);
    if (!PROVIDERS.contains(provider)) {
      throw new KeyManagerConfigException(
          PROVIDER, "'" + provider + "' is not one of " + String.join(", ", PROVIDERS));
    }
    if (provider.equals("password")) {
      return password(passwordManager, PROVIDER, "is password");
    }
    KeyManager primary =
        switch (provider) {
          case "kmip" -> cached(s, kmip(s));
          case "cosmian" -> cached(s, cosmian(s));
          default -> keyring(s);
        };
    try {
      KeyManager fallback = passwordManager == null ? null : passwordManager.get();
      return fallback == null ? primary : new FallbackKeyManager(primary, fallback);
    } catch (RuntimeException e) {
      primary.close();
      throw e;
    }
  }

  private static KeyManager password(Supplier<KeyManager> supplier, String setting, String why) {
    KeyManager manager = supplier == null ? null : supplier.get();
    if (manager == null) {
      throw new KeyManagerConfigException(
          setting, why + ", but no password key manager is configured");
    }
    return manager;
  }

  private static KeyManager kmip(KeyManagerSettings s) {
    KekVersions keys = keys(s);
    HostPort endpoint = kmipEndpoint(s.required(ENDPOINT, "for the kmip provider"));
    Path ca = s.readableFile(CA_CERT, "for the kmip provider (mutual TLS)");
    Path cert = s.readableFile(CLIENT_CERT, "for the kmip provider (mutual TLS)");
    Path key = s.readableFile(CLIENT_KEY, "for the kmip provider (mutual TLS)");
    checkPem(ca, cert, key);
    Duration timeout = s.positiveDuration(TIMEOUT, KmipClientConfig.DEFAULT_TIMEOUT);
    KmipClientConfig config =
        KmipClientConfig.of(endpoint.host(), endpoint.port(), ca, cert, key)
            .withTimeouts(timeout, timeout);
    Optional<String> pinned = s.optional(KMIP_PROTOCOL_VERSION);
    if (pinned.isPresent()) {
      KmipVersion version = kmipVersion(pinned.get());
      config = config.withProtocolVersion(version);
    }
    try {
      return new KmipKeyManager(new KmipClient(config), keys, healthTimeout(timeout));
    } catch (GeneralSecurityException e) {
      throw new KeyManagerConfigException(CLIENT_CERT, "unusable for TLS: " + e.getMessage(), e);
    }
  }

  private static KeyManager cosmian(KeyManagerSettings s) {
    KekVersions keys = keys(s);
    URI endpoint;
    try {
      endpoint = CosmianClientConfig.kmipEndpoint(s.required(ENDPOINT, "for the cosmian provider"));
    } catch (IllegalArgumentException e) {
      throw new KeyManagerConfigException(ENDPOINT, e.getMessage());
    }
    Optional<Path> ca = s.optionalReadableFile(CA_CERT);
    Optional<Path> cert = s.optionalReadableFile(CLIENT_CERT);
    Optional<Path> key = s.optionalReadableFile(CLIENT_KEY);
    if (cert.isPresent() != key.isPresent()) {
      throw new KeyManagerConfigException(
          cert.isPresent() ? CLIENT_KEY : CLIENT_CERT,
          "is required when " + (cert.isPresent() ? CLIENT_CERT : CLIENT_KEY) + " is set");
    }
    ca.ifPresent(path -> checkPem(path, null, null));
    cert.ifPresent(path -> checkPem(null, path, key.get()));
    Duration timeout = s.positiveDuration(TIMEOUT, CosmianClientConfig.DEFAULT_TIMEOUT);
    CosmianClientConfig config = new CosmianClientConfig(endpoint, timeout, ca, cert, key);
    try {
      return new CosmianKeyManager(new CosmianClient(config), keys, healthTimeout(timeout));
    } catch (GeneralSecurityException e) {
      throw new KeyManagerConfigException(CLIENT_CERT, "unusable for TLS: " + e.getMessage(), e);
    }
  }

  private static KeyManager keyring(KeyManagerSettings s) {
    if (s.optional(ACTIVE_VERSION).isPresent()) {
      throw new KeyManagerConfigException(
          ACTIVE_VERSION, "applies to kmip and cosmian; set \"active\" in the keyring file");
    }
    Path file = s.readableFile(KEYRING_FILE, "for the keyring provider");
    int window = s.nonNegativeInt(DUAL_READ_WINDOW, DEFAULT_WINDOW);
    try {
      return new KeyringKeyManager(file, window, KeyringKeyManager.DEFAULT_POLL_INTERVAL);
    } catch (IOException e) {
      throw new KeyManagerConfigException(KEYRING_FILE, e.getMessage(), e);
    }
  }

  private static KeyManager cached(KeyManagerSettings s, KeyManager manager) {
    Duration ttl = s.duration(CACHE_TTL, CachingKeyManager.DEFAULT_TTL);
    int maxEntries =
        s.nonNegativeInt(CACHE_MAX_ENTRIES, (int) CachingKeyManager.DEFAULT_MAX_ENTRIES);
    if (maxEntries < 1) {
      throw new KeyManagerConfigException(CACHE_MAX_ENTRIES, "must be at least 1");
    }
    return ttl.isZero() ? manager : new CachingKeyManager(manager, ttl, maxEntries);
  }

  private static KekVersions keys(KeyManagerSettings s) {
    String spec = s.required(KEYS, "(id:version,…)");
    int window = s.nonNegativeInt(DUAL_READ_WINDOW, DEFAULT_WINDOW);
    OptionalInt active = s.optionalNonNegativeInt(ACTIVE_VERSION);
    KekVersions keys;
    try {
      keys = KekVersions.parse(spec, OptionalInt.empty(), window);
    } catch (IllegalArgumentException e) {
      throw new KeyManagerConfigException(KEYS, e.getMessage());
    }
    if (active.isEmpty()) {
      return keys;
    }
    try {
      return new KekVersions(keys.all(), active, window);
    } catch (IllegalArgumentException e) {
      throw new KeyManagerConfigException(ACTIVE_VERSION, e.getMessage());
    }
  }

  /** Reads each given PEM file now, so that a bad file is reported under its own setting. */
  private static void checkPem(Path ca, Path cert, Path key) {
    String setting = CA_CERT;
    try {
      if (ca != null) {
        PemFiles.certificates(ca);
      }
      setting = CLIENT_CERT;
      if (cert != null) {
        PemFiles.certificates(cert);
      }
      setting = CLIENT_KEY;
      if (key != null) {
        PemFiles.privateKey(key);
      }
    } catch (GeneralSecurityException e) {
      throw new KeyManagerConfigException(setting, e.getMessage());
    }
  }

  private static KmipVersion kmipVersion(String text) {
    try {
      KmipVersion version = KmipVersion.parse(text);
      if (version.equals(KmipVersion.V1_4) || version.equals(KmipVersion.V2_0)) {
        return version;
      }
    } catch (IllegalArgumentException e) {
      // reported below
    }
    throw new KeyManagerConfigException(KMIP_PROTOCOL_VERSION, "'" + text + "' is not 1.4 or 2.0");
  }

  private static Duration healthTimeout(Duration timeout) {
    return timeout.compareTo(MAX_HEALTH_TIMEOUT) < 0 ? timeout : MAX_HEALTH_TIMEOUT;
  }

  private record HostPort(String host, int port) {}

  /** {@code host}, {@code host:port} or {@code kmip://host:port} (also {@code tls://}). */
  private static HostPort kmipEndpoint(String text) {
    String withScheme = text.contains("://") ? text : "kmip://" + text;
    try {
      URI uri = new URI(withScheme);
      String scheme = uri.getScheme().toLowerCase(Locale.ROOT);
      if (scheme.equals("http") || scheme.equals("https")) {
        throw new KeyManagerConfigException(
            ENDPOINT, "is an HTTP URL; use KEY_MANAGER_PROVIDER=cosmian for JSON TTLV over HTTP");
      }
      boolean bare = uri.getRawPath() == null || uri.getRawPath().isEmpty();
      if (!(scheme.equals("kmip") || scheme.equals("tls"))
          || uri.getHost() == null
          || !bare
          || uri.getRawQuery() != null
          || uri.getRawUserInfo() != null) {
        throw new KeyManagerConfigException(ENDPOINT, "'" + text + "' is not host[:port]");
      }
      int port = uri.getPort() == -1 ? KmipClientConfig.DEFAULT_PORT : uri.getPort();
      String host = uri.getHost();
      if (host.startsWith("[") && host.endsWith("]")) {
        host = host.substring(1, host.length() - 1);
      }
      return new HostPort(host, port);
    } catch (URISyntaxException e) {
      throw new KeyManagerConfigException(ENDPOINT, "'" + text + "' is not host[:port]");
    }
  }
}
