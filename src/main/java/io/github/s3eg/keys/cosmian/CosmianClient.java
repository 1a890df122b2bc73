package io.github.s3eg.keys.cosmian;

import io.github.s3eg.keys.GcmCiphertext;
import io.github.s3eg.keys.tls.MutualTls;
import io.github.s3eg.keys.ttlv.Ttlv;
import io.github.s3eg.keys.ttlv.Ttlv.Structure;
import io.github.s3eg.keys.ttlv.TtlvException;
import io.github.s3eg.keys.ttlv.TtlvJsonCodec;
import io.github.s3eg.keys.ttlv.TtlvLimits;
import java.io.IOException;
import java.io.InputStream;
import java.net.ConnectException;
import java.net.SocketTimeoutException;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import javax.net.ssl.SSLException;
import javax.net.ssl.SSLParameters;

/**
 * A Cosmian KMS client: KMIP 2.1 operations as JSON TTLV, each {@code POST}ed to {@code /kmip/2_1},
 * and {@code GET /version} for liveness. AES-GCM Encrypt/Decrypt with additional data wrap and
 * unwrap data keys; Create makes an AES-256 Encrypt|Decrypt key (Cosmian keys are usable as soon as
 * they are created).
 *
 * <p>The JDK {@link HttpClient} keeps connections alive between calls. One timeout bounds the
 * connection and each request; response bodies are capped at 1 MiB. Request and response bytes are
 * zeroed after use; the JSON path still leaves hex strings of the DEK to the garbage collector (an
 * accepted limitation of a text encoding). Error bodies are discarded, never logged.
 */
public final class CosmianClient implements AutoCloseable {

  private static final TtlvLimits LIMITS = TtlvLimits.DEFAULT;

  private final CosmianClientConfig config;
  private final HttpClient http;
  private final TtlvJsonCodec codec = new TtlvJsonCodec(LIMITS);
  private final AtomicLong requests = new AtomicLong();

  public CosmianClient(CosmianClientConfig config) throws GeneralSecurityException {
    this.config = config;
    HttpClient.Builder builder =
        HttpClient.newBuilder()
            .version(HttpClient.Version.HTTP_1_1)
            .followRedirects(HttpClient.Redirect.NEVER)
            .connectTimeout(config.timeout());
    if (config.https()) {
      builder.sslContext(
          MutualTls.context(config.caCert(), config.clientCert(), config.clientKey()));
      SSLParameters parameters = new SSLParameters();
      parameters.setProtocols(MutualTls.PROTOCOLS);
      builder.sslParameters(parameters);
    }
    this.http = builder.build();
  }

  /** Number of HTTP requests sent so far (for tests and metrics). */
  public long requestCount() {
    return requests.get();
  }

  /** Creates an AES-256 key usable for Encrypt and Decrypt, tagged with {@code tags}. */
  public String createAes256Key(List<String> tags) throws CosmianException {
    Ttlv response = post("Create", CosmianMessages.create(tags));
    return read("Create", () -> CosmianMessages.createdIdentifier(response));
  }

  /** AES-GCM under key {@code uid}; the KMS chooses the nonce. */
  public GcmCiphertext encrypt(String uid, byte[] plaintext, byte[] associatedData)
      throws CosmianException {
    Ttlv response = post("Encrypt", CosmianMessages.encrypt(uid, plaintext, associatedData));
    return read("Encrypt", () -> CosmianMessages.encrypted(response, plaintext.length));
  }

  public byte[] decrypt(String uid, GcmCiphertext sealed, byte[] associatedData)
      throws CosmianException {
    Ttlv response = post("Decrypt", CosmianMessages.decrypt(uid, sealed, associatedData));
    return read("Decrypt", () -> CosmianMessages.decrypted(response));
  }

  /** {@code GET /version} within {@code timeout}; returns the version text the KMS reports. */
  public String serverVersion(Duration timeout) throws CosmianException {
    HttpRequest request =
        HttpRequest.newBuilder(config.versionEndpoint()).timeout(timeout).GET().build();
    byte[] body = send("version", request);
    String text = new String(body, StandardCharsets.UTF_8).strip();
    return text.replaceAll("[^0-9A-Za-z.+_ -]", "");
  }

  @Override
  public void close() {
    http.close();
  }

  private Ttlv post(String operation, Structure message) throws CosmianException {
    byte[] json;
    try {
      json = codec.encode(message);
    } catch (TtlvException e) {
      throw new IllegalStateException("cannot encode a " + operation + " request", e);
    } finally {
      Ttlv.destroyByteStrings(message);
    }
    byte[] body = null;
    try {
      HttpRequest request =
          HttpRequest.newBuilder(config.kmipEndpoint())
              .timeout(config.timeout())
              .header("Content-Type", "application/json")
              .header("Accept", "application/json")
              .POST(HttpRequest.BodyPublishers.ofByteArray(json))
              .build();
      body = send(operation, request);
      return codec.decode(body);
    } catch (TtlvException e) {
      throw new CosmianException.ProtocolError(
          operation + " response is not JSON TTLV: " + e.getMessage(), e);
    } finally {
      Arrays.fill(json, (byte) 0);
      if (body != null) {
        Arrays.fill(body, (byte) 0);
      }
    }
  }

  /** Sends {@code request}; returns the body of a 2xx answer, at most the message size limit. */
  private byte[] send(String operation, HttpRequest request) throws CosmianException {
    requests.incrementAndGet();
    HttpResponse<InputStream> response;
    try {
      response = http.send(request, HttpResponse.BodyHandlers.ofInputStream());
    } catch (IOException e) {
      throw unreachable(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new CosmianException.Unreachable("interrupted", e);
    }
    try (InputStream in = response.body()) {
      if (response.statusCode() / 100 != 2) {
        throw new CosmianException.HttpError(operation, response.statusCode());
      }
      byte[] body = in.readNBytes(LIMITS.maxMessageBytes() + 1);
      if (body.length > LIMITS.maxMessageBytes()) {
        throw new CosmianException.ProtocolError(operation + " response is too large", null);
      }
      return body;
    } catch (IOException e) {
      throw unreachable(e);
    }
  }

  private static CosmianException.Unreachable unreachable(IOException e) {
    for (Throwable t = e; t != null; t = t.getCause()) {
      if (t instanceof HttpTimeoutException || t instanceof SocketTimeoutException) {
        return new CosmianException.Unreachable("timed out", e);
      }
      if (t instanceof ConnectException) {
        return new CosmianException.Unreachable("connection refused", e);
      }
      if (t instanceof SSLException) {
        return new CosmianException.Unreachable("TLS handshake failed", e);
      }
    }
    return new CosmianException.Unreachable("connection lost", e);
  }

  private static <T> T read(String operation, Reader<T> reader)
      throws CosmianException.ProtocolError {
    try {
      return reader.read();
    } catch (TtlvException e) {
      throw new CosmianException.ProtocolError(
          "unexpected " + operation + " response: " + e.getMessage(), e);
    }
  }

  @FunctionalInterface
  private interface Reader<T> {
    T read() throws TtlvException;
  }
}
