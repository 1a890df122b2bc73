package io.github.s3eg.pipeline;

import io.github.s3eg.backend.BackendClients;
import io.github.s3eg.backend.ConfigurationChecks;
import io.github.s3eg.backend.ForwardedRequests;
import io.github.s3eg.s3.ConfigurationSubresource;
import io.github.s3eg.s3.S3ErrorCode;
import io.github.s3eg.s3.S3Exception;
import io.github.s3eg.s3.S3Request;
import io.github.s3eg.s3.S3Response;
import io.github.s3eg.s3.auth.AuthResult;
import io.github.s3eg.s3.auth.S3Action;
import java.io.IOException;
import java.io.InputStream;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import org.apache.camel.Exchange;

/**
 * The steps of the forwarded configuration routes ({@code routes/bucket-configuration.yaml}): read
 * the client's document, check what must not reach the backend as sent, and forward the request
 * with the gateway's backend credentials ({@link ForwardedRequests}). The sub-resources hold no
 * object data, so nothing is encrypted; the gateway's signature check and permission rules still
 * decide who may call them (GET: read; PUT and DELETE on a bucket: admin; PUT of an object ACL:
 * write), and its reserved records stay out of every document's reach ({@link
 * ConfigurationChecks}).
 */
public final class ForwardedConfiguration {

  /** Query parameters that travel with a sub-resource (an object ACL of one version). */
  private static final List<String> PARAMETERS = List.of("versionId");

  private final BackendClients backend;
  private final Consumer<String> configurationChanged;

  /**
   * {@code configurationChanged} hears of each bucket whose configuration a forwarded write may
   * have changed (the CORS rules the gateway applies itself are cached).
   */
  public ForwardedConfiguration(BackendClients backend, Consumer<String> configurationChanged) {
    this.backend = backend;
    this.configurationChanged = configurationChanged;
  }

  /** A PUT's document, read whole (at most {@value ForwardedRequests#MAX_DOCUMENT_BYTES} bytes). */
  public void readDocument(Exchange exchange) throws IOException {
    S3Request s3 = ObjectOperations.request(exchange);
    byte[] document = new byte[0];
    InputStream body = RequestStates.of(exchange).body().stream();
    if (body != null) {
      document = body.readNBytes(ForwardedRequests.MAX_DOCUMENT_BYTES + 1);
      if (document.length > ForwardedRequests.MAX_DOCUMENT_BYTES) {
        throw new S3Exception(S3ErrorCode.MAX_MESSAGE_LENGTH_EXCEEDED, "Your request was too big.");
      }
      ReadRequestBody.readToEnd(body);
    }
    if (!s3.method().equals("PUT") && document.length > 0) {
      throw new S3Exception(
          S3ErrorCode.INVALID_REQUEST, "A " + s3.method() + " of a sub-resource takes no body.");
    }
    RequestStates.of(exchange).keepOperationState(new Document(document));
  }

  /**
   * The {@code readConfigurationDocument} step: the document read whole, then checked where it
   * could reach the gateway's records (a lifecycle rule, a bucket policy, a logging target), in the
   * same step so that no route edit forwards one unchecked.
   */
  public void readAndCheck(Exchange exchange) throws IOException {
    readDocument(exchange);
    ConfigurationSubresource subresource =
        ConfigurationSubresource.of(ObjectOperations.request(exchange)).orElse(null);
    if (subresource == ConfigurationSubresource.LIFECYCLE) {
      checkLifecycle(exchange);
    } else if (subresource == ConfigurationSubresource.POLICY) {
      checkPolicy(exchange);
    } else if (subresource == ConfigurationSubresource.LOGGING) {
      checkLogging(exchange);
    }
  }

  /** A lifecycle rule may not expire or move the gateway's records apart from their objects. */
  public void checkLifecycle(Exchange exchange) {
    byte[] document = document(exchange);
    if (document.length > 0) {
      ConfigurationChecks.checkLifecycle(document);
    }
  }

  /** A bucket policy may not name the gateway's records. */
  public void checkPolicy(Exchange exchange) {
    byte[] document = document(exchange);
    if (ObjectOperations.request(exchange).method().equals("PUT")) {
      ConfigurationChecks.checkPolicy(document);
    }
  }

  /**
   * The backend's access logs go to the target bucket: the client needs write permission there too,
   * and the target prefix may not be among the gateway's records.
   */
  public void checkLogging(Exchange exchange) {
    byte[] document = document(exchange);
    if (document.length == 0) {
      return;
    }
    AuthResult auth = RequestStates.of(exchange).authentication().result();
    ConfigurationChecks.loggingTarget(document)
        .ifPresent(target -> auth.principal().authorize(S3Action.WRITE, target));
  }

  /** Sends the request to the backend as the client sent it, and its answer back. */
  public void forward(Exchange exchange) {
    S3Request s3 = ObjectOperations.request(exchange);
    ConfigurationSubresource subresource =
        ConfigurationSubresource.of(s3)
            .orElseThrow(() -> new IllegalStateException("not a configuration request: " + s3));
    Map<String, String> query = new LinkedHashMap<>();
    query.put(subresource.parameter(), "");
    for (String parameter : PARAMETERS) {
      if (s3.has(parameter)) {
        query.put(parameter, s3.param(parameter));
      }
    }
    Map<String, String> headers = new LinkedHashMap<>();
    for (String name : ConfigurationSubresource.COMMON_HEADERS) {
      copyHeader(s3, name, headers);
    }
    for (String name : subresource.headers()) {
      copyHeader(s3, name, headers);
    }
    byte[] document = document(exchange);
    ForwardedRequests.Response answer;
    try {
      answer =
          backend
              .forwarded(s3.bucket())
              .send(
                  new ForwardedRequests.Request(
                      s3.method(),
                      s3.bucket(),
                      s3.key(),
                      query,
                      headers,
                      document == null ? new byte[0] : document,
                      subresource.answerRoots()));
    } finally {
      if (!s3.method().equals("GET")) {
        configurationChanged.accept(s3.bucket());
      }
    }
    S3Response response =
        answer.body().length == 0
            ? S3Response.status(answer.status())
            : S3Response.xml(answer.status(), answer.body())
                .header("Content-Type", answer.contentType().orElse("application/xml"));
    RequestStates.of(exchange).respond(response);
  }

  private static void copyHeader(S3Request s3, String name, Map<String, String> headers) {
    List<String> values = s3.headers().get(name);
    if (values != null && !values.isEmpty()) {
      headers.put(name, String.join(",", values));
    }
  }

  /** A configuration document, read whole by {@code readConfigurationDocument}. */
  record Document(byte[] bytes) {}

  private static byte[] document(Exchange exchange) {
    return RequestStates.of(exchange)
        .operationState(Document.class, "readConfigurationDocument", "forwardConfiguration")
        .bytes();
  }
}
