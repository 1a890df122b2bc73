package io.github.s3eg.s3.auth;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;

/**
 * The client keys the gateway accepts, looked up by access key id. Immutable and thread-safe; built
 * once at startup.
 *
 * <p>Sources, read by {@link #fromEnvironment(Function)}:
 *
 * <ul>
 *   <li>{@code AUTH_ACCESS_KEY} + {@code AUTH_SECRET_KEY}: a single key with {@code admin}
 *       permission on every bucket — the simple one-operator setup;
 *   <li>{@code AUTH_CREDENTIALS_FILE}: a YAML file with many keys, see {@link CredentialsFile}.
 * </ul>
 *
 * Both may be given; an access key defined twice is an error, as is configuring no key at all (a
 * gateway that accepts nobody is a misconfiguration, not a secure default).
 */
public final class CredentialStore {

  public static final String ENV_ACCESS_KEY = "AUTH_ACCESS_KEY";
  public static final String ENV_SECRET_KEY = "AUTH_SECRET_KEY";
  public static final String ENV_CREDENTIALS_FILE = "AUTH_CREDENTIALS_FILE";

  private final Map<String, ClientCredential> byAccessKey;

  private CredentialStore(Map<String, ClientCredential> byAccessKey) {
    this.byAccessKey = Map.copyOf(byAccessKey);
  }

  /**
   * A store of exactly these credentials.
   *
   * @throws CredentialsConfigException if an access key appears twice
   */
  public static CredentialStore of(Collection<ClientCredential> credentials) {
    Map<String, ClientCredential> map = new LinkedHashMap<>();
    for (ClientCredential c : credentials) {
      if (map.putIfAbsent(c.accessKey(), c) != null) {
        throw new CredentialsConfigException(
            "access key '" + c.accessKey() + "' is defined more than once");
      }
    }
    return new CredentialStore(map);
  }

  /**
   * Reads the configuration variables through {@code lookup} (for example {@code System::getenv} or
   * a Camel property resolver; it returns {@code null} for unset names).
   *
   * @throws CredentialsConfigException if the variables are incomplete, the file is invalid, or no
   *     key is configured
   */
  public static CredentialStore fromEnvironment(Function<String, String> lookup) {
    List<ClientCredential> all = new ArrayList<>();
    String accessKey = blankToNull(lookup.apply(ENV_ACCESS_KEY));
    String secretKey = blankToNull(lookup.apply(ENV_SECRET_KEY));
    if ((accessKey == null) != (secretKey == null)) {
      throw new CredentialsConfigException(
          ENV_ACCESS_KEY + " and " + ENV_SECRET_KEY + " must be set together");
    }
    if (accessKey != null) {
      try {
        all.add(
            new ClientCredential(
                accessKey, secretKey, Permission.ADMIN, Set.of(Principal.ALL_BUCKETS)));
      } catch (IllegalArgumentException e) {
        throw new CredentialsConfigException(ENV_ACCESS_KEY + ": " + e.getMessage(), e);
      }
    }
    String file = blankToNull(lookup.apply(ENV_CREDENTIALS_FILE));
    if (file != null) {
      all.addAll(CredentialsFile.load(Path.of(file)));
    }
    if (all.isEmpty()) {
      throw new CredentialsConfigException(
          "no client credentials configured: set "
              + ENV_ACCESS_KEY
              + " and "
              + ENV_SECRET_KEY
              + ", or "
              + ENV_CREDENTIALS_FILE);
    }
    return of(all);
  }

  /** The credential for {@code accessKey}, if the gateway knows it. */
  public Optional<ClientCredential> find(String accessKey) {
    return accessKey == null ? Optional.empty() : Optional.ofNullable(byAccessKey.get(accessKey));
  }

  /** The principal for {@code accessKey}, if the gateway knows it. */
  public Optional<Principal> findPrincipal(String accessKey) {
    return find(accessKey).map(ClientCredential::principal);
  }

  public int size() {
    return byAccessKey.size();
  }

  private static String blankToNull(String s) {
    return s == null || s.isBlank() ? null : s.trim();
  }

  @Override
  public String toString() {
    return "CredentialStore" + byAccessKey.keySet();
  }
}
