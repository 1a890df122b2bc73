package io.github.s3eg.s3.testing;

import io.github.s3eg.s3.auth.Authenticator;
import io.github.s3eg.s3.auth.ClientCredential;
import io.github.s3eg.s3.auth.CredentialStore;
import io.github.s3eg.s3.auth.Permission;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Set;

/** The example credentials and time of the AWS S3 signature documentation. */
public final class DocExamples {

  public static final String ACCESS_KEY = "AKIAIOSFODNN7EXAMPLE";
  public static final String SECRET_KEY = "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY";
  public static final Instant TIME = Instant.parse("2013-05-24T00:00:00Z");

  private DocExamples() {}

  public static CredentialStore store() {
    return CredentialStore.of(
        List.of(new ClientCredential(ACCESS_KEY, SECRET_KEY, Permission.ADMIN, Set.of("*"))));
  }

  public static Authenticator authenticator(Instant now) {
    return Authenticator.builder(store()).clock(Clock.fixed(now, ZoneOffset.UTC)).build();
  }
}
