package io.github.s3eg.keys.cosmian;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import com.sun.net.httpserver.HttpsConfigurator;
import com.sun.net.httpserver.HttpsParameters;
import com.sun.net.httpserver.HttpsServer;
import io.github.s3eg.keys.ttlv.Ttlv;
import io.github.s3eg.keys.ttlv.TtlvJsonCodec;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.CopyOnWriteArrayList;
import javax.net.ssl.SSLContext;

/**
 * A stand-in for Cosmian KMS: a JDK HTTP(S) server that records every JSON TTLV request and answers
 * with the published response fixture for its operation ({@code Encrypt} gets {@code
 * encrypt-response.json}), or with a forced status or delay. {@code GET /version} answers like
 * Cosmian does, with a JSON string.
 */
final class CosmianReplayServer implements AutoCloseable {

  private final HttpServer server;
  private final List<String> requests = new CopyOnWriteArrayList<>();
  private volatile int forcedStatus;
  private volatile long delayMillis;
  private volatile String forcedBody;

  private CosmianReplayServer(HttpServer server) {
    this.server = server;
    server.createContext("/kmip/2_1", this::kmip);
    server.createContext("/version", this::version);
    server.start();
  }

  static CosmianReplayServer http() throws IOException {
    return new CosmianReplayServer(
        HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0));
  }

  /** HTTPS that requires a client certificate trusted by {@code context}. */
  static CosmianReplayServer https(SSLContext context) throws IOException {
    HttpsServer server =
        HttpsServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
    server.setHttpsConfigurator(
        new HttpsConfigurator(context) {
          @Override
          public void configure(HttpsParameters parameters) {
            parameters.setNeedClientAuth(true);
          }
        });
    return new CosmianReplayServer(server);
  }

  URI baseUri() {
    String scheme = server instanceof HttpsServer ? "https" : "http";
    return URI.create(scheme + "://127.0.0.1:" + server.getAddress().getPort());
  }

  List<String> requests() {
    return requests;
  }

  /** Answer every request with {@code status} (0: behave normally). */
  void forceStatus(int status) {
    this.forcedStatus = status;
  }

  void forceBody(String body) {
    this.forcedBody = body;
  }

  void delay(long millis) {
    this.delayMillis = millis;
  }

  private void kmip(HttpExchange exchange) throws IOException {
    byte[] body = exchange.getRequestBody().readAllBytes();
    requests.add(new String(body, StandardCharsets.UTF_8));
    String response;
    try {
      Ttlv request = new TtlvJsonCodec().decode(body);
      response = Fixtures.read(request.tag().name().toLowerCase(Locale.ROOT) + "-response.json");
    } catch (Exception e) {
      respond(exchange, 422, "Invalid Request: cannot parse");
      return;
    }
    respond(exchange, 200, forcedBody != null ? forcedBody : response);
  }

  private void version(HttpExchange exchange) throws IOException {
    respond(exchange, 200, "\"4.16.0\"");
  }

  private void respond(HttpExchange exchange, int status, String body) throws IOException {
    try {
      if (delayMillis > 0) {
        Thread.sleep(delayMillis);
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    int code = forcedStatus != 0 ? forcedStatus : status;
    String text = forcedStatus != 0 ? "Item_Not_Found: secret request echo" : body;
    byte[] bytes = text.getBytes(StandardCharsets.UTF_8);
    exchange.getResponseHeaders().set("Content-Type", "application/json");
    exchange.sendResponseHeaders(code, bytes.length);
    exchange.getResponseBody().write(bytes);
    exchange.close();
  }

  @Override
  public void close() {
    server.stop(0);
  }
}
