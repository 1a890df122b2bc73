package io.github.s3eg.s3.auth;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CredentialsFileTest {

  private static final String VALID =
      """
      credentials:
        - accessKey: backup-writer
          secretKey: "s3cr3t-backup"
          buckets: [backups, logs]
          permission: write
        - accessKey: auditor
          secretKey: "s3cr3t-audit"
          buckets: ["*"]
          permission: read
        - accessKey: ops
          secretKey: "s3cr3t-ops"
          buckets:
            - "*"
          permission: ADMIN
      """;

  @TempDir Path dir;

  @Test
  void parsesTheDocumentedFormat() {
    List<ClientCredential> creds = CredentialsFile.parse(VALID, "test.yaml");

    assertThat(creds).hasSize(3);
    assertThat(creds.get(0).principal())
        .isEqualTo(new Principal("backup-writer", Permission.WRITE, Set.of("backups", "logs")));
    assertThat(creds.get(1).principal())
        .isEqualTo(new Principal("auditor", Permission.READ, Set.of("*")));
    assertThat(creds.get(2).principal().permission()).isEqualTo(Permission.ADMIN);
    assertThat(new String(creds.get(0).secret())).isEqualTo("s3cr3t-backup");
  }

  @Test
  void unknownKeysAreNamedInTheError() {
    String yaml = VALID.replace("permission: write", "permission: write\n    bucket: oops");
    assertThatThrownBy(() -> CredentialsFile.parse(yaml, "creds.yaml"))
        .isInstanceOf(CredentialsConfigException.class)
        .hasMessageContaining("creds.yaml")
        .hasMessageContaining("credentials[0]")
        .hasMessageContaining("unknown key 'bucket'");

    assertThatThrownBy(() -> CredentialsFile.parse(VALID + "users: []\n", "creds.yaml"))
        .hasMessageContaining("unknown top-level key 'users'");
  }

  @Test
  void everyFieldIsRequired() {
    for (String field : List.of("accessKey", "secretKey", "permission")) {
      String yaml =
          """
          credentials:
            - accessKey: a
              secretKey: "s"
              buckets: ["*"]
              permission: read
          """
              .lines()
              .filter(l -> !l.trim().startsWith(field) && !l.trim().startsWith("- " + field))
              .reduce("", (x, y) -> x + y + "\n");
      if (field.equals("accessKey")) {
        yaml = yaml.replace("    secretKey", "  - secretKey");
      }
      String finalYaml = yaml;
      assertThatThrownBy(() -> CredentialsFile.parse(finalYaml, "f"))
          .as(field)
          .isInstanceOf(CredentialsConfigException.class)
          .hasMessageContaining("'" + field + "'");
    }
    assertThatThrownBy(
            () ->
                CredentialsFile.parse(
                    "credentials:\n  - {accessKey: a, secretKey: s, permission: read}\n", "f"))
        .hasMessageContaining("'buckets'");
  }

  @Test
  void typesAreStrict() {
    assertThatThrownBy(
            () ->
                CredentialsFile.parse(
                    "credentials:\n"
                        + "  - {accessKey: a, secretKey: 12345678, buckets: [x], permission:"
                        + " read}\n",
                    "f"))
        .hasMessageContaining("'secretKey' must be a string");
    assertThatThrownBy(
            () ->
                CredentialsFile.parse(
                    "credentials:\n"
                        + "  - {accessKey: a, secretKey: s, buckets: x, permission: read}\n",
                    "f"))
        .hasMessageContaining("'buckets' must be a list");
    assertThatThrownBy(
            () ->
                CredentialsFile.parse(
                    "credentials:\n"
                        + "  - {accessKey: a, secretKey: s, buckets: [x], permission: root}\n",
                    "f"))
        .hasMessageContaining("unknown permission 'root'");
    assertThatThrownBy(() -> CredentialsFile.parse("credentials: []\n", "f"))
        .hasMessageContaining("non-empty list");
    assertThatThrownBy(() -> CredentialsFile.parse("- a\n- b\n", "f"))
        .hasMessageContaining("top level");
  }

  @Test
  void bucketNamesAreExact() {
    assertThatThrownBy(() -> parseOne("[\"logs-*\"]"))
        .hasMessageContaining("patterns are not supported");
    assertThatThrownBy(() -> parseOne("[\"*\", logs]")).hasMessageContaining("list nothing else");
    assertThatThrownBy(() -> parseOne("[]")).hasMessageContaining("has no buckets");
    assertThatThrownBy(() -> parseOne("[\"a b\"]")).hasMessageContaining("whitespace");
  }

  @Test
  void accessKeysAreValidatedAndUnique() {
    assertThatThrownBy(
            () ->
                CredentialsFile.parse(
                    "credentials:\n"
                        + "  - {accessKey: \"a/b\", secretKey: s, buckets: [x], permission:"
                        + " read}\n",
                    "f"))
        .hasMessageContaining("not allowed");
    List<ClientCredential> twice =
        CredentialsFile.parse(
            "credentials:\n"
                + "  - {accessKey: a, secretKey: s1, buckets: [x], permission: read}\n"
                + "  - {accessKey: a, secretKey: s2, buckets: [y], permission: read}\n",
            "f");
    assertThatThrownBy(() -> CredentialStore.of(twice))
        .isInstanceOf(CredentialsConfigException.class)
        .hasMessageContaining("'a' is defined more than once");
  }

  @Test
  void duplicateYamlKeysAreRejectedWithoutEchoingSecrets() {
    String yaml =
        "credentials:\n"
            + "  - accessKey: a\n"
            + "    secretKey: \"very-secret-value\"\n"
            + "    secretKey: \"other-secret-value\"\n"
            + "    buckets: [x]\n"
            + "    permission: read\n";
    assertThatThrownBy(() -> CredentialsFile.parse(yaml, "f"))
        .isInstanceOf(CredentialsConfigException.class)
        .hasMessageContaining("duplicate key")
        .hasMessageNotContaining("very-secret-value")
        .hasMessageNotContaining("other-secret-value");
  }

  @Test
  void toStringNeverRevealsTheSecret() {
    ClientCredential c = CredentialsFile.parse(VALID, "f").get(0);
    assertThat(c.toString()).contains("backup-writer").doesNotContain("s3cr3t");
    assertThat(CredentialStore.of(List.of(c)).toString()).doesNotContain("s3cr3t");
  }

  @Test
  void environmentWithSingleKeyGivesAdminOnAllBuckets() {
    CredentialStore store =
        CredentialStore.fromEnvironment(
            Map.of("AUTH_ACCESS_KEY", "operator", "AUTH_SECRET_KEY", "op-secret")::get);
    assertThat(store.findPrincipal("operator"))
        .contains(new Principal("operator", Permission.ADMIN, Set.of("*")));
    assertThat(store.find("nobody")).isEmpty();
  }

  @Test
  void environmentCombinesTheSingleKeyAndTheFile() throws Exception {
    Path file = dir.resolve("creds.yaml");
    Files.writeString(file, VALID);
    CredentialStore store =
        CredentialStore.fromEnvironment(
            Map.of(
                    "AUTH_ACCESS_KEY", "operator",
                    "AUTH_SECRET_KEY", "op-secret",
                    "AUTH_CREDENTIALS_FILE", file.toString())
                ::get);
    assertThat(store.size()).isEqualTo(4);
    assertThat(store.findPrincipal("auditor").orElseThrow().permission())
        .isEqualTo(Permission.READ);
  }

  @Test
  void environmentMisconfigurationsFailFast() {
    assertThatThrownBy(() -> CredentialStore.fromEnvironment(Map.<String, String>of()::get))
        .isInstanceOf(CredentialsConfigException.class)
        .hasMessageContaining("no client credentials configured");
    assertThatThrownBy(() -> CredentialStore.fromEnvironment(Map.of("AUTH_ACCESS_KEY", "x")::get))
        .hasMessageContaining("must be set together");
    assertThatThrownBy(
            () ->
                CredentialStore.fromEnvironment(
                    Map.of("AUTH_CREDENTIALS_FILE", dir.resolve("missing.yaml").toString())::get))
        .hasMessageContaining("cannot read credentials file");
  }

  private static List<ClientCredential> parseOne(String buckets) {
    return CredentialsFile.parse(
        "credentials:\n  - {accessKey: a, secretKey: s, buckets: "
            + buckets
            + ", permission: read}\n",
        "f");
  }
}
