package io.github.s3eg.s3.auth;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Collection;
import java.util.LinkedHashSet;
import java.util.Objects;
import java.util.Set;

/**
 * One client key: the access key id, its secret, and the {@link Principal} it authenticates as.
 *
 * <p>The secret is kept as bytes and never leaves this class except into an HMAC key; {@link
 * #toString()} shows the access key and the grant only, so a credential can be logged by mistake
 * without leaking anything.
 */
public final class ClientCredential {

  private final Principal principal;
  private final byte[] secret;

  /**
   * Validates and builds a credential.
   *
   * @param accessKey 1–128 printable ASCII characters without space, {@code /}, {@code :} or {@code
   *     ,} (they delimit the key in SigV4 and SigV2 headers)
   * @param secretKey the shared secret, non-empty
   * @param permission what the key may do
   * @param buckets exact bucket names, or just {@code *} for all buckets
   * @throws IllegalArgumentException with a message that names the problem but never the secret
   */
  public ClientCredential(
      String accessKey, String secretKey, Permission permission, Collection<String> buckets) {
    Objects.requireNonNull(permission, "permission");
    checkAccessKey(accessKey);
    if (secretKey == null || secretKey.isEmpty()) {
      throw new IllegalArgumentException("the secret key of '" + accessKey + "' is empty");
    }
    this.secret = secretKey.getBytes(StandardCharsets.UTF_8);
    this.principal = new Principal(accessKey, permission, checkBuckets(accessKey, buckets));
  }

  public String accessKey() {
    return principal.accessKey();
  }

  public Principal principal() {
    return principal;
  }

  /** A copy of the secret as UTF-8, for deriving signing keys. */
  byte[] secret() {
    return secret.clone();
  }

  private static void checkAccessKey(String accessKey) {
    if (accessKey == null || accessKey.isEmpty() || accessKey.length() > 128) {
      throw new IllegalArgumentException("an access key must have 1 to 128 characters");
    }
    for (int i = 0; i < accessKey.length(); i++) {
      char c = accessKey.charAt(i);
      if (c <= ' ' || c > '~' || c == '/' || c == ':' || c == ',') {
        throw new IllegalArgumentException(
            "access key '"
                + accessKey
                + "' contains a character that is not allowed (space, '/', ':', ',' or non-ASCII)");
      }
    }
  }

  private static Set<String> checkBuckets(String accessKey, Collection<String> buckets) {
    if (buckets == null || buckets.isEmpty()) {
      throw new IllegalArgumentException(
          "access key '" + accessKey + "' has no buckets (use [\"*\"] for all buckets)");
    }
    Set<String> result = new LinkedHashSet<>();
    for (String bucket : buckets) {
      if (bucket == null || bucket.isBlank() || bucket.chars().anyMatch(c -> c <= ' ')) {
        throw new IllegalArgumentException(
            "access key '" + accessKey + "' has an empty bucket name or one with whitespace");
      }
      if (!bucket.equals(Principal.ALL_BUCKETS) && (bucket.contains("*") || bucket.contains("/"))) {
        throw new IllegalArgumentException(
            "access key '"
                + accessKey
                + "': bucket '"
                + bucket
                + "' is not an exact name; patterns are not supported, only \"*\" alone");
      }
      result.add(bucket);
    }
    if (result.contains(Principal.ALL_BUCKETS) && result.size() > 1) {
      throw new IllegalArgumentException(
          "access key '" + accessKey + "': \"*\" already means all buckets; list nothing else");
    }
    return result;
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof ClientCredential other
        && principal.equals(other.principal)
        && Arrays.equals(secret, other.secret);
  }

  @Override
  public int hashCode() {
    return principal.hashCode();
  }

  @Override
  public String toString() {
    return "ClientCredential[accessKey="
        + principal.accessKey()
        + ", permission="
        + principal.permission().configName()
        + ", buckets="
        + principal.buckets()
        + ", secretKey=****]";
  }
}
