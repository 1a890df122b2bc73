package io.github.s3eg.http;

import io.github.s3eg.config.ConfigurationException;
import io.github.s3eg.config.GatewayConfig;
import io.github.s3eg.config.OpsConfig;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.net.KeyCertOptions;
import io.vertx.ext.web.Router;
import java.nio.file.Path;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.apache.camel.component.platform.http.vertx.VertxPlatformHttpRouter;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The gateway's HTTP server: Vert.x, with the options an S3 endpoint needs, serving the router that
 * the {@code platform-http} routes attach to.
 *
 * <p>camel-platform-http-vertx hard-codes its server options; S3 needs others: no h2c upgrade (it
 * hangs requests with bodies), request lines long enough for presigned URLs, and a worker pool
 * large enough that every streaming transfer can hold a thread for its whole duration. So the
 * gateway creates the server itself and registers its router under the name the platform-http
 * consumers look up.
 */
public final class GatewayHttpServer implements AutoCloseable {

  private final GatewayConfig config;
  private final Vertx vertx;
  private final Router router;
  private static final Logger LOG = LoggerFactory.getLogger(GatewayHttpServer.class);

  /** Start and stop of the gateway, beside its start-up report (the logger operators watch). */
  private static final Logger LIFECYCLE = LoggerFactory.getLogger("s3eg.gateway");

  /** TLS 1.2 and 1.3 only. */
  static final Set<String> TLS_PROTOCOLS = Set.of("TLSv1.2", "TLSv1.3");

  /** How often the certificate files are checked for changes. */
  static final long CERTIFICATE_POLL_MILLIS = 2000;

  private volatile String certificateFingerprint;
  private ReloadableKeyManager keyManager;
  private final InFlightRequests inFlight;
  private volatile InFlightRequests.Drain drained;
  private final java.util.concurrent.atomic.AtomicInteger activeConnections =
      new java.util.concurrent.atomic.AtomicInteger();
  private HttpServer server;
  private final MalformedRequests malformed = new MalformedRequests();

  public GatewayHttpServer(GatewayConfig config) {
    this.config = config;
    this.vertx =
        Vertx.vertx(
            new VertxOptions()
                // One worker per in-flight request: a transfer blocks its worker while streaming.
                .setWorkerPoolSize(config.maxConcurrentRequests())
                // Long transfers are normal here, not "blocked threads".
                .setMaxWorkerExecuteTime(7)
                .setMaxWorkerExecuteTimeUnit(TimeUnit.DAYS)
                .setWarningExceptionTime(7)
                .setWarningExceptionTimeUnit(TimeUnit.DAYS));
    this.router = Router.router(vertx);
    router.errorHandler(400, malformed::routingFailed);
    router.errorHandler(404, malformed::noRoute);
    this.inFlight = new InFlightRequests(router);
  }

  /**
   * Registry entries that make the router visible to platform-http consumers; bind them before the
   * routes start. The consumers look a router up by the engine's port, which the engine cannot know
   * for a server it did not create, and fall back to the "-0" name: bind both.
   */
  public java.util.Map<String, Object> routerBindings() {
    String name = VertxPlatformHttpRouter.getRouterNameFromPort(config.listen().port());
    VertxPlatformHttpRouter platformRouter = new VertxPlatformHttpRouter(null, vertx, router, name);
    java.util.Map<String, Object> bindings = new java.util.LinkedHashMap<>();
    bindings.put(name, platformRouter);
    bindings.put(VertxPlatformHttpRouter.PLATFORM_HTTP_ROUTER_NAME_ZERO, platformRouter);
    return bindings;
  }

  /** Starts accepting connections; call after the routes have started. */
  public void start() throws Exception {
    OpsConfig.Tls tls = config.ops().tls();
    HttpServerOptions options =
        new HttpServerOptions()
            .setHost(config.listen().host())
            .setPort(config.listen().port())
            .setHttp2ClearTextEnabled(false)
            .setMaxInitialLineLength(config.maxRequestLineBytes())
            .setMaxHeaderSize(config.maxHeaderBytes())
            .setCompressionSupported(false)
            .setDecompressionSupported(false)
            .setHandle100ContinueAutomatically(false)
            .setTcpNoDelay(true)
            .setIdleTimeout(300)
            .setIdleTimeoutUnit(TimeUnit.SECONDS);
    if (tls.enabled()) {
      keyManager = new ReloadableKeyManager(loadCertificate(tls));
      options
          .setSsl(true)
          .setKeyCertOptions(KeyCertOptions.wrap(keyManager))
          .setEnabledSecureTransportProtocols(TLS_PROTOCOLS);
      certificateFingerprint =
          TlsCertificate.fingerprint(tls.certFile().get(), tls.keyFile().get());
    }
    HttpServer created =
        vertx
            .createHttpServer(options)
            .requestHandler(inFlight)
            .invalidRequestHandler(malformed)
            .connectionHandler(
                connection -> {
                  activeConnections.incrementAndGet();
                  connection.closeHandler(
                      closed -> {
                        activeConnections.decrementAndGet();
                        inFlight.connectionClosed(connection);
                      });
                });
    try {
      created.listen().toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
    } catch (java.util.concurrent.ExecutionException e) {
      if (e.getCause() instanceof java.net.BindException bind) {
        throw new ConfigurationException(
            "LISTEN_ADDR",
            config.listen().host()
                + ":"
                + config.listen().port()
                + " cannot be used ("
                + bind.getMessage()
                + "): another program listens there; stop it or choose another port");
      }
      throw e;
    }
    server = created;
    if (tls.enabled()) {
      vertx.setPeriodic(
          CERTIFICATE_POLL_MILLIS,
          timer -> vertx.executeBlocking(() -> reloadCertificateIfChanged(tls), false));
    }
  }

  private static javax.net.ssl.X509ExtendedKeyManager loadCertificate(OpsConfig.Tls tls) {
    try {
      return TlsCertificate.load(tls.certFile().get(), tls.keyFile().get());
    } catch (java.security.GeneralSecurityException e) {
      throw new ConfigurationException("TLS_CERT_FILE/TLS_KEY_FILE", "unusable: " + e.getMessage());
    }
  }

  /**
   * Serves the certificate files' new contents to new connections once they change (renewals by
   * cert-manager, certbot, …), without a restart. A pair that does not load (half-written files, a
   * key that does not match) is skipped and retried at the next poll; the old certificate stays.
   */
  private Void reloadCertificateIfChanged(OpsConfig.Tls tls) {
    Path cert = tls.certFile().get();
    Path key = tls.keyFile().get();
    try {
      String fingerprint = TlsCertificate.fingerprint(cert, key);
      if (fingerprint.equals(certificateFingerprint)) {
        return null;
      }
      keyManager.replace(TlsCertificate.load(cert, key));
      certificateFingerprint = fingerprint;
      LOG.info("TLS certificate reloaded from {}", cert);
    } catch (Exception e) {
      LOG.warn(
          "TLS certificate files changed but cannot be used yet ({}); still serving the previous certificate",
          e.getMessage());
    }
    return null;
  }

  public int port() {
    return server == null ? config.listen().port() : server.actualPort();
  }

  /** Client connections open right now. */
  public int activeConnections() {
    return activeConnections.get();
  }

  /** Requests being answered right now. */
  public int requestsInProgress() {
    return inFlight.inFlight();
  }

  public Vertx vertx() {
    return vertx;
  }

  /**
   * Drains (new requests refused, those in progress finished, up to {@code SHUTDOWN_TIMEOUT}) and
   * closes. The outcome is kept for the shutdown log ({@link #drained()}).
   */
  @Override
  public void close() throws Exception {
    if (server != null) {
      java.time.Duration timeout = config.ops().shutdownTimeout();
      int inProgress = inFlight.inFlight();
      if (inProgress > 0) {
        LIFECYCLE.info(
            "Stopping: new requests are refused; waiting up to {} s for {} in progress",
            timeout.toSeconds(),
            inProgress);
      }
      drained = inFlight.drain(timeout);
      if (drained.unfinished() > 0) {
        LIFECYCLE.warn(
            "{} requests still in progress after SHUTDOWN_TIMEOUT ({} s); closing their connections",
            drained.unfinished(),
            timeout.toSeconds());
      }
      server.close().toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
      server = null;
    }
    vertx.close().toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
  }

  /** How the last {@link #close()} drained the requests in progress; empty before. */
  public java.util.Optional<String> drained() {
    InFlightRequests.Drain d = drained;
    if (d == null) {
      return java.util.Optional.empty();
    }
    String finished =
        d.inProgress() == 0
            ? "no request was in progress"
            : (d.inProgress() - d.unfinished())
                + " of "
                + d.inProgress()
                + " requests in progress finished in "
                + String.format(java.util.Locale.ROOT, "%.1f s", d.took().toMillis() / 1000.0)
                + (d.unfinished() > 0 ? ", " + d.unfinished() + " cut off" : "");
    return java.util.Optional.of(
        finished + (d.refused() > 0 ? ", " + d.refused() + " new ones refused meanwhile" : ""));
  }
}
