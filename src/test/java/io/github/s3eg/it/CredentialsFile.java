package io.github.s3eg.it;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Collectors;

/**
 * A credentials file ({@code AUTH_CREDENTIALS_FILE}) written for a test, one entry a credential, so
 * that tests state who may do what rather than spelling out the YAML.
 */
public final class CredentialsFile {

  /** One entry: {@code permission} (read, write or admin) on {@code buckets} ("*": every one). */
  public record Credential(
      String accessKey, String secretKey, List<String> buckets, String permission) {

    /** Admin on every bucket. */
    public static Credential admin(String accessKey, String secretKey) {
      return new Credential(accessKey, secretKey, List.of("*"), "admin");
    }

    private String yaml() {
      String bucketList =
          buckets.stream().map(b -> "\"" + b + "\"").collect(Collectors.joining(", ", "[", "]"));
      return String.join(
          "\n",
          "  - accessKey: " + accessKey,
          "    secretKey: \"" + secretKey + "\"",
          "    buckets: " + bucketList,
          "    permission: " + permission);
    }
  }

  private CredentialsFile() {}

  /** Writes {@code credentials} to {@code file} and returns it. */
  public static Path write(Path file, List<Credential> credentials) throws IOException {
    StringBuilder yaml = new StringBuilder("credentials:\n");
    credentials.forEach(c -> yaml.append(c.yaml()).append('\n'));
    return Files.writeString(file, yaml);
  }
}
