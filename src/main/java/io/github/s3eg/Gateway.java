package io.github.s3eg;

import io.github.s3eg.backend.BackendClients;
import io.github.s3eg.backend.EmbeddedBackend;
import io.github.s3eg.config.EncryptionConfig;
import io.github.s3eg.config.GatewayConfig;
import io.github.s3eg.crypto.ObjectDecryptor;
import io.github.s3eg.crypto.ObjectEncryptor;
import io.github.s3eg.crypto.ObjectRebinder;
import io.github.s3eg.http.GatewayHttpServer;
import io.github.s3eg.http.ResponseSender;
import io.github.s3eg.keys.KeyManager;
import io.github.s3eg.keys.KeySetup;
import io.github.s3eg.keys.Rewrapper;
import io.github.s3eg.ops.AuditEventsEndpoint;
import io.github.s3eg.ops.BackendHealthCheck;
import io.github.s3eg.ops.HealthEndpoint;
import io.github.s3eg.ops.KeyManagerHealthCheck;
import io.github.s3eg.ops.Operations;
import io.github.s3eg.ops.RewrapEndpoint;
import io.github.s3eg.pipeline.Authenticate;
import io.github.s3eg.pipeline.BucketOperations;
import io.github.s3eg.pipeline.CopyOperation;
import io.github.s3eg.pipeline.DecryptObject;
import io.github.s3eg.pipeline.DeleteObjectsOperation;
import io.github.s3eg.pipeline.EncryptObject;
import io.github.s3eg.pipeline.ListOperations;
import io.github.s3eg.pipeline.MethodNotAllowed;
import io.github.s3eg.pipeline.ObjectOperations;
import io.github.s3eg.pipeline.ParseRequest;
import io.github.s3eg.pipeline.ReadRequestBody;
import io.github.s3eg.pipeline.RejectUnsupported;
import io.github.s3eg.pipeline.SendError;
import io.github.s3eg.pipeline.SendResponse;
import io.github.s3eg.s3.S3RequestParser;
import io.github.s3eg.s3.auth.Authenticator;
import java.net.URI;
import java.time.Clock;
import java.util.Set;
import org.apache.camel.main.Main;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One running gateway: the backend (configured or embedded), the beans the YAML routes name, the
 * Camel context with those routes, and the HTTP server in front. {@link GatewayMain} runs one until
 * the process is stopped; tests start and stop them in-process.
 */
public final class Gateway implements AutoCloseable {

  private static final Logger LOG = LoggerFactory.getLogger(Gateway.class);

  private final Main main;
  private final GatewayHttpServer server;
  private final BackendClients backend;
  private final EmbeddedBackend embedded;
  private final Operations ops;
  private KeyManager keys;

  private Gateway(
      Main main,
      GatewayHttpServer server,
      BackendClients backend,
      EmbeddedBackend embedded,
      Operations ops) {
    this.main = main;
    this.server = server;
    this.backend = backend;
    this.embedded = embedded;
    this.ops = ops;
  }

  public static Gateway start(GatewayConfig config) throws Exception {
    return start(config, Clock.systemUTC());
  }

  /** {@code clock}: the time signatures are checked against (tests move it). */
  public static Gateway start(GatewayConfig config, Clock clock) throws Exception {
    EmbeddedBackend embedded = null;
    URI endpoint;
    BackendClients backend;
    if (config.backend().embedded()) {
      embedded = EmbeddedBackend.start(config.backend().dataDir());
      endpoint = embedded.endpoint();
      backend = BackendClients.create(config.backend(), endpoint, embedded.credentials());
      LOG.warn(
          "No BACKEND_ENDPOINT configured: serving from the embedded local S3 store in {} (for trying the gateway out, not for production)",
          config.backend().dataDir().toAbsolutePath());
    } else {
      endpoint = config.backend().endpoint().get();
      backend =
          BackendClients.create(
              config.backend(), endpoint, BackendClients.credentials(config.backend()));
    }

    GatewayHttpServer server = new GatewayHttpServer(config);
    Main main = new Main();
    // How long the client may leave the request body or the response without progress.
    long clientTimeoutMillis = config.requestTimeout().toMillis();
    ResponseSender sender = new ResponseSender(clientTimeoutMillis);
    Operations ops = Operations.create(config.ops(), server::activeConnections);
    ops.bindings().forEach(main::bind);
    main.bind("auditEvents", new AuditEventsEndpoint(ops.audit()));
    main.bind("backendS3", backend.s3());
    main.bind("parseRequest", new ParseRequest(new S3RequestParser(config.serverDomain())));
    main.bind("rejectUnsupported", new RejectUnsupported(Set.of("uploads", "uploadId")));
    main.bind("methodNotAllowed", new MethodNotAllowed());
    main.bind("sendResponse", new SendResponse(sender, ops.listener()));
    main.bind("sendError", new SendError(sender, ops.listener()));
    main.bind("readRequestBody", new ReadRequestBody(clientTimeoutMillis));
    main.bind("authenticate", new Authenticate(authenticator(config, clock)));
    EncryptionConfig enc = config.encryption();
    KeyManager keys = KeySetup.create(enc, config.backend());
    ObjectEncryptor encryptor =
        new ObjectEncryptor(keys, enc.preferredAlgorithm(), enc.segmentSize());
    DecryptObject decryption =
        new DecryptObject(
            new ObjectDecryptor(keys, enc.supportedAlgorithms()),
            backend,
            enc.allowPlaintextReads());
    ObjectOperations objects =
        new ObjectOperations(backend, decryption, encryptor.layout(), ops.metrics());
    main.bind("encrypt", new EncryptObject(encryptor, enc.spoolLimit()));
    main.bind("rewrapEndpoint", new RewrapEndpoint(new Rewrapper(backend.s3(), keys)));
    main.bind("keys", decryption);
    main.bind("objectOperations", objects);
    main.bind("bucketOperations", new BucketOperations(backend, config.backend().region()));
    main.bind("listOperations", new ListOperations(backend, encryptor.layout()));
    main.bind(
        "copyOperation",
        new CopyOperation(backend, decryption, new ObjectRebinder(keys), encryptor, objects));
    main.bind("deleteObjectsOperation", new DeleteObjectsOperation(backend));
    main.bind("healthEndpoint", new HealthEndpoint());
    server.routerBindings().forEach(main::bind);
    try {
      main.start();
      registerHealthChecks(main.getCamelContext(), backend, keys);
      server.start();
    } catch (Exception e) {
      main.stop();
      server.close();
      backend.close();
      ops.close();
      if (embedded != null) {
        embedded.close();
      }
      throw e;
    }
    LOG.info(
        "s3-encryption-gateway listening on {}:{} (backend {})",
        config.listen().host(),
        server.port(),
        endpoint);
    Gateway gateway = new Gateway(main, server, backend, embedded, ops);
    gateway.keys = keys;
    return gateway;
  }

  private static Authenticator authenticator(GatewayConfig config, Clock clock) {
    if (!config.auth().enabled()) {
      LOG.warn(
          "AUTH_ENABLED=false: requests are NOT authenticated; anything that can reach {} can use the backend",
          config.listen());
      return null;
    }
    config
        .auth()
        .generatedCredentialsFile()
        .ifPresent(
            f ->
                LOG.warn(
                    "No client credentials configured (AUTH_ACCESS_KEY/AUTH_SECRET_KEY or AUTH_CREDENTIALS_FILE): "
                        + "using the generated ones in {}",
                    f.toAbsolutePath()));
    return Authenticator.builder(config.auth().credentials())
        .clock(clock)
        .allowSigV2(config.auth().allowSigV2())
        .virtualHostDomains(config.serverDomain().map(Set::of).orElse(Set.of()))
        .build();
  }

  /** Readiness checks beyond Camel's own (context, routes), registered before traffic arrives. */
  private static void registerHealthChecks(
      org.apache.camel.CamelContext context, BackendClients backend, KeyManager keys) {
    org.apache.camel.health.HealthCheckRegistry registry =
        org.apache.camel.health.HealthCheckRegistry.get(context);
    for (org.apache.camel.impl.health.AbstractHealthCheck check :
        java.util.List.of(new BackendHealthCheck(backend), new KeyManagerHealthCheck(keys))) {
      check.setCamelContext(context);
      registry.register(check);
    }
  }

  public int port() {
    return server.port();
  }

  /** The backend endpoint this gateway uses (the embedded one's when no backend is configured). */
  public URI backendEndpoint() {
    return embedded != null ? embedded.endpoint() : null;
  }

  /** Metrics, audit log and the other operations beans of this gateway. */
  public Operations ops() {
    return ops;
  }

  public Main main() {
    return main;
  }

  @Override
  public void close() throws Exception {
    try {
      server.close();
    } finally {
      main.stop();
      backend.close();
      ops.close();
      if (keys != null) {
        keys.close();
      }
      if (embedded != null) {
        embedded.close();
      }
    }
  }
}
