package io.github.s3eg.pipeline;

import io.github.s3eg.s3.S3Operation;
import io.github.s3eg.s3.S3Request;
import io.github.s3eg.s3.auth.Access;
import io.github.s3eg.s3.auth.AuthResult;
import io.github.s3eg.s3.auth.Authenticator;
import io.github.s3eg.s3.auth.PermissionMatrix;
import io.github.s3eg.s3.auth.RequestHeaders;
import io.github.s3eg.s3.auth.SignedRequest;
import java.util.List;
import org.apache.camel.Exchange;
import org.apache.camel.Processor;

/**
 * Every S3 request passes here before anything reaches the backend: the SigV4 (or, if enabled,
 * SigV2) signature is verified against the gateway's client credentials, then the principal's
 * permission on every resource the operation touches ({@link PermissionMatrix}: the bucket and key
 * of the request, and the source of a copy). The outcome stays on the exchange for body
 * verification ({@link ReadRequestBody}) and the audit log, which records every resource.
 */
public final class Authenticate implements Processor {

  /** Exchange property: the {@link AuthResult}. */
  public static final String RESULT = "s3Auth";

  /** Exchange property: the {@link Access} list of the request (what it touches). */
  public static final String ACCESS = "s3Access";

  /** Exchange property: the {@link SignedRequest} view of the HTTP request. */
  public static final String SIGNED_REQUEST = "s3SignedRequest";

  /** The operation whose signature is in its body, not its headers. */
  static final String BROWSER_UPLOAD = "PostObject";

  private final Authenticator authenticator;

  /** {@code authenticator} null means authentication is switched off by configuration. */
  public Authenticate(Authenticator authenticator) {
    this.authenticator = authenticator;
  }

  private static boolean isForm(S3Request s3) {
    String type = s3.header("Content-Type");
    return type != null
        && type.trim().toLowerCase(java.util.Locale.ROOT).startsWith("multipart/form-data");
  }

  @Override
  public void process(Exchange exchange) {
    S3Request s3 = ObjectOperations.request(exchange);
    HttpExchange http = exchange.getProperty(HttpExchange.PROPERTY, HttpExchange.class);
    SignedRequest signed =
        SignedRequest.of(
            s3.method(), http.request().uri(), RequestHeaders.of(http.request().headers()));
    exchange.setProperty(SIGNED_REQUEST, signed);
    String operation;
    if (s3.probe() != null) {
      operation = PermissionMatrix.HEALTH_DETAILS;
    } else if (s3.isMetricsScrape()) {
      operation = PermissionMatrix.METRICS;
    } else {
      operation = exchange.getProperty(S3Operation.PROPERTY, String.class);
    }
    if (authenticator != null && BROWSER_UPLOAD.equals(operation) && isForm(s3)) {
      // A browser upload is signed in its form: BrowserUpload reads the fields before the file,
      // verifies the policy's signature and authorizes the key before reading the file. Any other
      // POST on a bucket is authenticated here like every request (unsigned: 403).
      exchange.setProperty(ACCESS, PermissionMatrix.of(operation, s3));
      return;
    }
    AuthResult result =
        authenticator == null
            ? AuthResult.unauthenticated(signed)
            : authenticator.authenticate(signed);
    exchange.setProperty(RESULT, result);
    List<Access> accesses = PermissionMatrix.of(operation, s3);
    exchange.setProperty(ACCESS, accesses);
    PermissionMatrix.authorize(result.principal(), accesses);
  }
}
