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

/** An authenticator that knows the SDK test key, with its clock stopped at a chosen instant. */
public final class TestGateway {

  private TestGateway() {}

  public static CredentialStore store() {
    return CredentialStore.of(
        List.of(
            new ClientCredential(
                SdkClients.ACCESS_KEY, SdkClients.SECRET_KEY, Permission.WRITE, Set.of("*"))));
  }

  public static Authenticator at(Instant now) {
    return Authenticator.builder(store()).clock(Clock.fixed(now, ZoneOffset.UTC)).build();
  }

  /** An authenticator whose clock shows the moment the captured request was signed. */
  public static Authenticator atSigningTimeOf(CapturedRequest request) {
    return at(request.signedAt());
  }
}
