package io.github.s3eg;

import io.github.s3eg.backend.BackendClients;
import io.github.s3eg.backend.BackendKeys;
import io.github.s3eg.backend.EmbeddedBackend;
import io.github.s3eg.backend.StoredObjectSample;
import io.github.s3eg.cache.ObjectCache;
import io.github.s3eg.config.EncryptionConfig;
import io.github.s3eg.config.GatewayConfig;
import io.github.s3eg.crypto.ObjectDecryptor;
import io.github.s3eg.crypto.ObjectEncryptor;
import io.github.s3eg.crypto.ObjectRebinder;
import io.github.s3eg.crypto.s3ec.S3ecKeys;
import io.github.s3eg.http.GatewayHttpServer;
import io.github.s3eg.http.ResponseSender;
import io.github.s3eg.keys.KeyManager;
import io.github.s3eg.keysetup.KeySetup;
import io.github.s3eg.multipart.MultipartChecksums;
import io.github.s3eg.multipart.MultipartIndexes;
import io.github.s3eg.multipart.MultipartState;
import io.github.s3eg.ops.AuditEventsEndpoint;
import io.github.s3eg.ops.BackendHealthCheck;
import io.github.s3eg.ops.HealthEndpoint;
import io.github.s3eg.ops.KeyManagerHealthCheck;
import io.github.s3eg.ops.Operations;
import io.github.s3eg.ops.RewrapEndpoint;
import io.github.s3eg.ops.Rewrapper;
import io.github.s3eg.ops.S3ecConverter;
import io.github.s3eg.ops.ScrubEndpoint;
import io.github.s3eg.ops.ScrubJobs;
import io.github.s3eg.pipeline.Authenticate;
import io.github.s3eg.pipeline.BackendComponent;
import io.github.s3eg.pipeline.BrowserUpload;
import io.github.s3eg.pipeline.BucketOperations;
import io.github.s3eg.pipeline.ChooseCompression;
import io.github.s3eg.pipeline.CompressionPolicy;
import io.github.s3eg.pipeline.ConditionalWrites;
import io.github.s3eg.pipeline.CopySteps;
import io.github.s3eg.pipeline.DecryptObject;
import io.github.s3eg.pipeline.DeleteObjectsOperation;
import io.github.s3eg.pipeline.EncryptObject;
import io.github.s3eg.pipeline.ForwardedConfiguration;
import io.github.s3eg.pipeline.ListOperations;
import io.github.s3eg.pipeline.ListVersionsOperation;
import io.github.s3eg.pipeline.MultipartOperations;
import io.github.s3eg.pipeline.MultipartSteps;
import io.github.s3eg.pipeline.ObjectCacheSteps;
import io.github.s3eg.pipeline.ObjectLockOperations;
import io.github.s3eg.pipeline.ObjectOperations;
import io.github.s3eg.pipeline.ObjectReads;
import io.github.s3eg.pipeline.OperationNaming;
import io.github.s3eg.pipeline.ParseRequest;
import io.github.s3eg.pipeline.PipelineSteps;
import io.github.s3eg.pipeline.ReadRequestBody;
import io.github.s3eg.pipeline.RejectUnsupported;
import io.github.s3eg.pipeline.S3ecReads;
import io.github.s3eg.pipeline.SendError;
import io.github.s3eg.pipeline.SendResponse;
import io.github.s3eg.pipeline.TaggingOperations;
import io.github.s3eg.pipeline.VersioningOperations;
import io.github.s3eg.recovery.Scrubber;
import io.github.s3eg.recovery.StoredObjectReader;
import io.github.s3eg.recovery.Throttle;
import io.github.s3eg.s3.S3RequestParser;
import io.github.s3eg.s3.auth.Authenticator;
import io.github.s3eg.versions.BucketFeatures;
import io.github.s3eg.versions.DeleteMarkers;
import io.github.s3eg.versions.NewVersions;
import io.github.s3eg.versions.RecordLocks;
import io.github.s3eg.versions.SettingsEnforcer;
import io.github.s3eg.versions.TransientRecords;
import io.github.s3eg.versions.VersionDeletion;
import io.github.s3eg.versions.VersionListing;
import io.github.s3eg.versions.VersionRecords;
import io.github.s3eg.versions.WriteRequirements;
import java.net.URI;
import java.time.Clock;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.apache.camel.CamelContext;
import org.apache.camel.health.HealthCheckRegistry;
import org.apache.camel.impl.health.AbstractHealthCheck;
import org.apache.camel.spi.Registry;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What one gateway is made of and how the parts are wired: the backend (configured or embedded),
 * the key manager, the beans the YAML routes name, and the HTTP server in front. {@link #bind}
 * builds the parts into a Camel context's registry before the routes start; {@link #startServing}
 * opens the HTTP port once they have; {@link #stopServing} drains and closes it before the routes
 * stop; {@link #close} releases the rest after.
 *
 * <p>This is the only place the gateway is assembled. {@link GatewayConfiguration} calls it from
 * inside any camel-main ({@link Gateway#start}, or {@code org.apache.camel.main.Main} started with
 * the jar's {@code application.properties}, as under Camel K).
 */
final class GatewayAssembly implements AutoCloseable {

  /** Where the last line of a gateway's life goes, beside the start-up report. */
  private static final Logger STOPPED = LoggerFactory.getLogger(StartupReport.LOGGER);

  /** The name this assembly is bound under, so that {@link Gateway} can reach its parts. */
  static final String BEAN = "s3egGateway";

  private final GatewayConfig config;
  private EmbeddedBackend embedded;
  private URI endpoint;
  private BackendClients backend;
  private GatewayHttpServer server;
  private Operations ops;
  private KeyManager keys;
  private ScrubJobs scrubs;
  private String keySource;
  private boolean serverClosed;
  private boolean closed;

  private GatewayAssembly(GatewayConfig config) {
    this.config = config;
  }

  /**
   * Builds every part and binds the route beans and the HTTP router into the context's registry. On
   * failure, what was already built is closed before the exception travels on.
   */
  static GatewayAssembly bind(GatewayConfig config, Clock clock, CamelContext context)
      throws Exception {
    GatewayAssembly assembly = new GatewayAssembly(config);
    try {
      assembly.build(clock, context.getRegistry());
    } catch (Exception | Error e) {
      assembly.close();
      throw e;
    }
    // camel-main collects route policy factories from the registry before configuration classes
    // run: give it to the context directly, or the routes would start without it.
    context.addRoutePolicyFactory(
        context.getRegistry().lookupByNameAndType("operationNaming", OperationNaming.class));
    context.getRegistry().bind(BEAN, assembly);
    return assembly;
  }

  private void build(Clock clock, Registry registry) throws Exception {
    if (config.backend().embedded()) {
      embedded = EmbeddedBackend.start(config.backend().dataDir());
      endpoint = embedded.endpoint();
      backend = BackendClients.create(config.backend(), endpoint, embedded.credentials());
    } else {
      endpoint = config.backend().endpoint().get();
      backend =
          BackendClients.create(
              config.backend(), endpoint, BackendClients.credentials(config.backend()));
    }

    server = new GatewayHttpServer(config);
    // How long the client may leave the request body or the response without progress.
    long clientTimeoutMillis = config.requestTimeout().toMillis();
    ResponseSender sender = new ResponseSender(clientTimeoutMillis);
    ops = Operations.create(config.ops(), server::activeConnections);
    ops.bindings().forEach(registry::bind);
    registry.bind("operationNaming", new OperationNaming());
    registry.bind("backendS3", backend.s3());
    registry.bind(BackendComponent.DEFAULT_BACKEND, backend);
    registry.bind("backend", new BackendComponent());
    EncryptionConfig enc = config.encryption();
    StoredObjectSample stored = StoredObjectSample.take(backend.s3());
    keys = KeySetup.create(enc, config.backend(), stored);
    keySource = KeySetup.describe(enc, config.backend(), keys);
    StoredKeyCheck.verify(
        new ObjectDecryptor(keys, enc.supportedAlgorithms()), stored, enc, keySource);
    ObjectEncryptor encryptor =
        new ObjectEncryptor(keys, enc.preferredAlgorithm(), enc.segmentSize());
    DecryptObject decryption =
        new DecryptObject(
            new ObjectDecryptor(keys, enc.supportedAlgorithms()),
            backend,
            enc.allowPlaintextReads());
    CompressionPolicy compression = new CompressionPolicy(config.compression());
    ObjectCache cache =
        ObjectCache.create(
            config.ops().cache(), ObjectCache.ticker(clock), ops.metrics().registry());
    ListOperations lists = new ListOperations(backend, encryptor.layout());
    if (enc.s3ec().read()) {
      // Objects of the AWS S3 Encryption Client, read with the configured keys (docs/s3ec.md).
      decryption.readS3ec(
          new S3ecReads(backend, new S3ecKeys(keys, enc.s3ec().keys()), enc.spoolLimit()));
      lists.hideS3ecInstructionFiles();
    }
    MultipartState multipartState = new MultipartState(backend);
    BucketFeatures bucketFeatures = new BucketFeatures(backend.s3());
    VersionRecords versionRecords = new VersionRecords(backend.s3(), bucketFeatures);
    VersionDeletion versionDeletion = new VersionDeletion(backend.s3(), versionRecords);
    ObjectOperations objects =
        new ObjectOperations(backend, ops.metrics(), multipartState, versionDeletion);
    Rewrapper rewrapper = new Rewrapper(backend.s3(), keys, cache::invalidate);
    boolean convertible = !enc.s3ec().keys().isEmpty();
    if (convertible) {
      rewrapper.converting(
          new S3ecConverter(backend.s3(), new S3ecKeys(keys, enc.s3ec().keys()), encryptor));
    }
    Optional<S3ecKeys> scrubS3ec =
        convertible ? Optional.of(new S3ecKeys(keys, enc.s3ec().keys())) : Optional.empty();
    scrubs =
        new ScrubJobs(
            () ->
                new Scrubber(
                    backend,
                    new StoredObjectReader(backend, keys, scrubS3ec),
                    keys.activeKey(),
                    new Throttle(
                        config.ops().scrub().objectsPerSecond(),
                        config.ops().scrub().bytesPerSecond())),
            ops.metrics().registry());
    // Multipart uploads: upload records and part indexes live in the backend (stateless).
    MultipartIndexes multipartIndexes = new MultipartIndexes(backend, multipartState);
    decryption.readMultipart(multipartIndexes);
    MultipartChecksums multipartChecksums = new MultipartChecksums(backend);
    decryption.readChecksums(multipartChecksums);
    BackendKeys backendKeys = new BackendKeys(config.backend().keysArePaths());
    if (!config.backend().multipartEtagsCountParts()) {
      lists.partCountsFrom(multipartState);
    }
    ConditionalWrites conditions = new ConditionalWrites(decryption, multipartState);
    BucketOperations buckets = new BucketOperations(backend, config.backend().region());
    buckets.forgetMultipartStateIn(multipartState);
    multipartIndexes.readOlderVersionsWith(versionRecords);
    multipartChecksums.readOlderVersionsWith(versionRecords);
    TransientRecords transientRecords = new TransientRecords(backend.s3(), bucketFeatures);
    multipartState.deleteTransientRecordsWith(transientRecords);
    multipartChecksums.deleteTransientRecordsWith(transientRecords);
    registry.bind(BackendComponent.TRANSIENT_RECORDS, transientRecords);
    RecordLocks recordLocks = new RecordLocks(backend.s3(), versionRecords);
    buckets.checkObjectLockWith(bucketFeatures);
    NewVersions newVersions =
        new NewVersions(
            backend.s3(), bucketFeatures, new SettingsEnforcer(backend.s3()), recordLocks);
    WriteRequirements writeRequirements =
        new WriteRequirements(bucketFeatures, backend.acceptsChecksumHeaders());
    Authenticator authenticator = authenticator(config, clock);
    RejectUnsupported rules =
        new RejectUnsupported(
            config.disableMultipartUploads() ? Set.of("uploads", "uploadId") : Set.of(),
            backendKeys,
            enc.s3ec().read(),
            config.subresourcesForwarded());
    rules.checkVersionIdsWith(bucketFeatures);
    EncryptObject encrypt = new EncryptObject(encryptor, enc.spoolLimit(), compression.level());
    encrypt.followBucketRequirements(writeRequirements);
    CopySteps copySteps =
        new CopySteps(
            decryption,
            new ObjectRebinder(keys),
            encryptor,
            compression,
            enc.spoolLimit(),
            multipartState,
            backend);
    copySteps.followVersioning(newVersions, writeRequirements);
    MultipartSteps multipartSteps =
        new MultipartSteps(
            encryptor,
            new ObjectDecryptor(keys, enc.supportedAlgorithms()),
            multipartState,
            ops.metrics());
    multipartSteps.followVersioning(newVersions, writeRequirements, enc.spoolLimit());
    DeleteObjectsOperation deleteObjects =
        new DeleteObjectsOperation(backend, cache, multipartState, backendKeys);
    deleteObjects.deleteVersionsWith(versionDeletion);
    PipelineSteps steps =
        new PipelineSteps(
            new PipelineSteps.Services(
                new ParseRequest(
                    new S3RequestParser(config.serverDomain()), config.ops().metricsPublic()),
                new Authenticate(authenticator),
                ops.rateLimit(),
                rules,
                new HealthEndpoint(config.ops().healthDetailsPublic()),
                ops.metricsEndpoint(),
                new AuditEventsEndpoint(ops.audit()),
                new RewrapEndpoint(rewrapper, convertible),
                new ReadRequestBody(clientTimeoutMillis),
                new ChooseCompression(compression),
                encrypt,
                new ObjectReads(
                    decryption,
                    encryptor.layout(),
                    multipartState,
                    ops.metrics(),
                    new DeleteMarkers(backend.s3(), bucketFeatures),
                    versionRecords),
                objects,
                new ObjectCacheSteps(cache),
                buckets,
                lists,
                copySteps,
                deleteObjects,
                MultipartOperations.create(
                    backend,
                    encryptor,
                    new ObjectDecryptor(keys, enc.supportedAlgorithms()),
                    decryption,
                    multipartState,
                    multipartIndexes,
                    ops.metrics(),
                    multipartChecksums),
                multipartSteps,
                conditions,
                new SendResponse(sender, ops.listener(), clock),
                new SendError(sender, ops.listener(), clock),
                ops.concurrencyLimit(),
                new ScrubEndpoint(scrubs),
                new VersioningOperations(backend, bucketFeatures),
                new ObjectLockOperations(backend, bucketFeatures, recordLocks),
                ListVersionsOperation.create(
                    new VersionListing(backend.s3()), backend, decryption, multipartIndexes),
                new TaggingOperations(backend),
                new ForwardedConfiguration(backend, bucket -> {}),
                new BrowserUpload(
                    authenticator, rules, encryptor, enc.spoolLimit(), clientTimeoutMillis, clock),
                bucketFeatures));
    steps.beans().forEach(registry::bind);
    server.routerBindings().forEach(registry::bind);
  }

  private static Authenticator authenticator(GatewayConfig config, Clock clock) {
    if (!config.auth().enabled()) {
      return null; // StartupReport warns
    }
    return Authenticator.builder(config.auth().credentials())
        .clock(clock)
        .allowSigV2(config.auth().allowSigV2())
        .virtualHostDomains(config.serverDomain().map(Set::of).orElse(Set.of()))
        .build();
  }

  /**
   * Once the routes have started: the readiness checks beyond Camel's own (context, routes), then
   * the HTTP port, so that no request arrives before the routes can take it.
   */
  void startServing(CamelContext context) throws Exception {
    HealthCheckRegistry registry = HealthCheckRegistry.get(context);
    for (AbstractHealthCheck check :
        List.of(new BackendHealthCheck(backend), new KeyManagerHealthCheck(keys))) {
      check.setCamelContext(context);
      registry.register(check);
    }
    server.start();
    StartupReport.log(config, server.port(), endpoint, keySource);
  }

  /**
   * Before the routes stop: stop accepting, wait for the requests in progress (up to the shutdown
   * timeout), close the server. Routes stopped first would fail those requests half-way.
   */
  synchronized void stopServing() throws Exception {
    if (server != null && !serverClosed) {
      serverClosed = true;
      server.close();
    }
  }

  /** Requests being answered right now. */
  int requestsInProgress() {
    return server.requestsInProgress();
  }

  int port() {
    return server.port();
  }

  /** The embedded store's endpoint, or null when a backend is configured. */
  URI embeddedEndpoint() {
    return embedded != null ? embedded.endpoint() : null;
  }

  Operations ops() {
    return ops;
  }

  /** Releases every part (once): the server if still open, backend clients, keys, store. */
  @Override
  public synchronized void close() throws Exception {
    if (closed) {
      return;
    }
    closed = true;
    try {
      if (scrubs != null) {
        scrubs.close();
      }
      stopServing();
    } finally {
      try {
        releaseParts();
      } finally {
        if (server != null) {
          server.drained().ifPresent(how -> STOPPED.info("s3-encryption-gateway stopped: {}", how));
        }
      }
    }
  }

  private void releaseParts() throws Exception {
    try {
      if (backend != null) {
        backend.close();
      }
    } finally {
      try {
        if (ops != null) {
          ops.close();
        }
      } finally {
        try {
          if (keys != null) {
            keys.close();
          }
        } finally {
          if (embedded != null) {
            embedded.close();
          }
        }
      }
    }
  }
}
