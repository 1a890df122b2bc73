package io.github.s3eg.pipeline;

import io.github.s3eg.ops.AuditEventsEndpoint;
import io.github.s3eg.ops.ConcurrencyLimit;
import io.github.s3eg.ops.GatewayMetrics;
import io.github.s3eg.ops.HealthEndpoint;
import io.github.s3eg.ops.MetricsEndpoint;
import io.github.s3eg.ops.RateLimit;
import io.github.s3eg.ops.RewrapEndpoint;
import io.github.s3eg.ops.ScrubEndpoint;
import io.github.s3eg.s3.S3ErrorCode;
import io.github.s3eg.s3.S3Exception;
import io.github.s3eg.s3.auth.AuthResult;
import java.util.LinkedHashMap;
import java.util.Map;
import org.apache.camel.Exchange;

/**
 * Every step the routes name, with its contract (what it requires, what it provides), built from
 * the services that do the work. This is the catalogue that {@code docs/customizing.md} describes
 * and that {@link RouteValidator} checks the routes against; the steps themselves are thin adapters
 * (a few lines each) between the exchange and a plain service.
 */
public final class PipelineSteps {

  private final Map<String, Object> beans = new LinkedHashMap<>();

  /** The services behind the steps. */
  public record Services(
      ParseRequest parseRequest,
      Authenticate authenticate,
      RateLimit rateLimit,
      RejectUnsupported rejectUnsupported,
      HealthEndpoint health,
      MetricsEndpoint metrics,
      AuditEventsEndpoint auditEvents,
      RewrapEndpoint rewrap,
      ReadRequestBody readRequestBody,
      ChooseCompression compress,
      EncryptObject encrypt,
      ObjectReads reads,
      ObjectOperations objects,
      ObjectCacheSteps cache,
      BucketOperations buckets,
      ListOperations lists,
      CopySteps copySteps,
      DeleteObjectsOperation deleteObjects,
      MultipartOperations multipart,
      MultipartSteps multipartSteps,
      ConditionalWrites writeConditions,
      SendResponse sendResponse,
      SendError sendError,
      ConcurrencyLimit concurrencyLimit,
      ScrubEndpoint scrub,
      VersioningOperations versioning,
      ObjectLockOperations objectLock,
      ListVersionsOperation listVersions,
      TaggingOperations tagging,
      ForwardedConfiguration forwarded,
      BrowserUpload browserUpload,
      io.github.s3eg.versions.BucketFeatures bucketFeatures) {}

  public PipelineSteps(Services s) {
    beans.put("parseRequest", s.parseRequest());
    add(
        Step.named("answerProbe")
            .requires(Fact.PARSED)
            .provides(Fact.RESPONSE, Fact.OPEN_ANSWER)
            .beforeAuthentication()
            .does(
                (state, exchange) -> {
                  if (state.probe() == null) {
                    throw new S3Exception(
                        S3ErrorCode.INTERNAL_ERROR,
                        "The gateway's pipeline is misconfigured: 'answerProbe' ran for a request"
                            + " that is not a probe.");
                  }
                  boolean details = s.health().detailsPublic();
                  if (state.request().header("Authorization") != null) {
                    // A signed probe: its credential must be one that may see the checks (403).
                    state.authenticated(
                        s.authenticate()
                            .authenticate(state, state.request(), state.http().request()));
                    details = true;
                  }
                  state.respond(s.health().respond(exchange.getContext(), state.probe(), details));
                }));
    add(
        Step.named("answerMetrics")
            .requires(Fact.PARSED)
            .provides(Fact.RESPONSE, Fact.OPEN_ANSWER)
            .beforeAuthentication()
            .does(
                (state, exchange) -> {
                  if (!state.open()) {
                    state.require(Fact.AUTHENTICATED, "answerMetrics");
                  }
                  state.nameOperation(GatewayMetrics.METRICS);
                  state.respond(s.metrics().respond());
                }));
    add(s.authenticate().step());
    add(
        Step.named("rateLimit")
            .requires(Fact.AUTHENTICATED)
            .provides(Fact.RATE_LIMITED)
            .does(
                (state, exchange) -> {
                  s.rateLimit().acquire(principalKey(state));
                  state.provide(Fact.RATE_LIMITED);
                }));
    add(
        Step.named("concurrencyLimit")
            .requires(Fact.AUTHENTICATED)
            .provides(Fact.CONCURRENCY_LIMITED)
            .does(
                (state, exchange) -> {
                  s.concurrencyLimit().acquire(principalKey(state), exchange);
                  state.provide(Fact.CONCURRENCY_LIMITED);
                }));
    add(
        Step.named("rejectUnsupported")
            .requires(Fact.AUTHENTICATED)
            .provides(Fact.REQUEST_CHECKED)
            .does(
                (state, exchange) -> {
                  state.keepAcl(s.rejectUnsupported().check(state.request(), state.operation()));
                  state.provide(Fact.REQUEST_CHECKED);
                }));
    add(new BucketFeatureLookup(s.bucketFeatures(), s.rejectUnsupported()).step());
    add(
        Step.named("methodNotAllowed")
            .requires(Fact.AUTHENTICATED)
            .alwaysFails() // the answer is the 405 error
            .does((state, exchange) -> MethodNotAllowed.refuse(state.request())));
    add(
        Step.named("rethrow")
            .alwaysFails()
            .does(
                (state, exchange) -> {
                  Exception caught =
                      exchange.getProperty(Exchange.EXCEPTION_CAUGHT, Exception.class);
                  throw caught != null
                      ? caught
                      : new IllegalStateException("'rethrow' outside a doCatch");
                }));
    beans.put("sendResponse", s.sendResponse());
    beans.put("sendError", s.sendError());

    // ---- admin
    add(
        operation("auditEvents")
            .does(
                (state, exchange) ->
                    state.respond(s.auditEvents().events(state.authentication().principal()))));
    add(
        operation("scrub")
            .does(
                (state, exchange) ->
                    state.respond(
                        s.scrub().start(state.request(), state.authentication().principal()))));
    add(
        operation("scrubStatus")
            .does(
                (state, exchange) ->
                    state.respond(
                        s.scrub().status(state.request(), state.authentication().principal()))));
    add(
        operation("rewrap")
            .does(
                (state, exchange) ->
                    state.respond(
                        s.rewrap().rewrap(state.request(), state.authentication().principal()))));

    // ---- writing an object
    add(s.writeConditions().step());
    add(s.readRequestBody().step());
    add(s.compress().step());
    add(s.encrypt().step());
    add(
        Step.named("invalidateCache")
            .requires(Fact.AUTHENTICATED)
            .provides(Fact.CACHE_INVALIDATED)
            .does(
                (state, exchange) -> {
                  s.cache().invalidate(exchange);
                  state.provide(Fact.CACHE_INVALIDATED);
                }));
    add(
        Step.named("putObjectStored")
            .requires(Fact.CIPHERTEXT, Fact.STORED)
            .provides(Fact.RESPONSE)
            .does(
                (state, exchange) ->
                    exchange
                        .getIn()
                        .setBody(
                            s.objects()
                                .putObjectStored(
                                    state,
                                    exchange
                                        .getIn()
                                        .getBody(
                                            software.amazon.awssdk.services.s3.model
                                                .PutObjectResponse.class)))));
    add(
        Step.named("etagNotRecorded")
            .does(
                (state, exchange) ->
                    ObjectOperations.etagNotRecorded(
                        state, exchange.getProperty(Exchange.EXCEPTION_CAUGHT, Exception.class))));

    // ---- reading an object
    add(
        Step.named("cacheLookup")
            .requires(Fact.AUTHENTICATED)
            .provides(Fact.CACHE_CHECKED)
            .does(
                (state, exchange) -> {
                  s.cache().lookup(exchange);
                  state.provide(Fact.CACHE_CHECKED);
                }));
    add(
        Step.named("cacheRespond")
            .requires(Fact.AUTHENTICATED, Fact.CACHE_CHECKED)
            .provides(Fact.RESPONSE)
            .does((state, exchange) -> s.cache().respond(exchange)));
    add(
        Step.named("fillCache")
            .requires(Fact.PLAINTEXT, Fact.RESPONSE)
            .does((state, exchange) -> s.cache().fill(exchange)));
    add(s.reads().planReadStep());
    add(s.reads().plannedRangeFailedStep());
    add(ObjectReads.headObjectRequestStep());
    add(s.reads().resolveKeyStep());
    add(s.reads().locateStep());
    add(s.reads().decryptStep());
    add(s.reads().readFailedStep());
    add(s.reads().getObjectResponseStep());
    add(ObjectReads.headObjectResponseStep());
    add(ObjectAttributes.requestStep());
    add(ObjectAttributes.responseStep());

    // ---- deleting and copying
    add(
        Step.named("deleteObjectRequest")
            .callsBackend()
            .does(
                (state, exchange) ->
                    exchange.getIn().setBody(s.objects().deleteObjectRequest(state))));
    add(
        Step.named("listIndexes")
            .callsBackend()
            .provides(Fact.RECORDS_LISTED)
            .does(
                (state, exchange) ->
                    exchange
                        .getIn()
                        .setBody(s.objects().listIndexes(state, exchange.getIn().getBody()))));
    add(
        Step.named("deleteIndexes")
            .callsBackend()
            .requires(Fact.RECORDS_LISTED)
            .provides(Fact.INDEXES_DELETED)
            .does(
                (state, exchange) -> {
                  exchange.getIn().setBody(ObjectOperations.deleteIndexes(state));
                  state.provide(Fact.INDEXES_DELETED);
                }));
    add(
        Step.named("deleteObjectResponse")
            .requires(Fact.CACHE_INVALIDATED, Fact.RECORDS_LISTED, Fact.INDEXES_DELETED)
            .provides(Fact.RESPONSE)
            .does(
                (state, exchange) -> state.respond(ObjectOperations.deleteObjectResponse(state))));
    s.copySteps().addTo(this::add);
    add(
        operation("deleteObjects")
            .requires(Fact.REQUEST_BODY)
            .does((state, exchange) -> s.deleteObjects().deleteObjects(exchange)));

    // ---- buckets and listings
    add(
        operation("listBucketsResponse")
            .does((state, exchange) -> s.buckets().listBucketsResponse(exchange)));
    add(
        Step.named("createBucketRequest")
            .callsBackend()
            .requires(Fact.REQUEST_BODY)
            .does((state, exchange) -> s.buckets().createBucketRequest(exchange)));
    add(
        operation("createBucketResponse")
            .does((state, exchange) -> s.buckets().createBucketResponse(exchange)));
    add(
        Step.named("deleteBucketRequest")
            .callsBackend()
            .does((state, exchange) -> s.buckets().deleteBucketRequest(exchange)));
    add(
        operation("deleteBucketResponse")
            .does((state, exchange) -> s.buckets().deleteBucketResponse(exchange)));
    add(operation("headBucket").does((state, exchange) -> s.buckets().headBucket(exchange)));
    add(
        operation("getBucketLocation")
            .does((state, exchange) -> s.buckets().getBucketLocation(exchange)));
    add(operation("listObjectsV2").does((state, exchange) -> s.lists().listObjectsV2(exchange)));
    add(operation("listObjects").does((state, exchange) -> s.lists().listObjects(exchange)));

    // ---- versioning, Object Lock, tags (versions.yaml): the backend keeps them
    add(
        operation("getBucketVersioning")
            .does((state, exchange) -> s.versioning().getBucketVersioning(exchange)));
    add(
        operation("putBucketVersioning")
            .requires(Fact.REQUEST_BODY)
            .does((state, exchange) -> s.versioning().putBucketVersioning(exchange)));
    add(
        operation("listObjectVersions")
            .does((state, exchange) -> s.listVersions().listObjectVersions(exchange)));
    add(
        operation("getObjectLockConfiguration")
            .does((state, exchange) -> s.objectLock().getObjectLockConfiguration(exchange)));
    add(
        operation("putObjectLockConfiguration")
            .requires(Fact.REQUEST_BODY)
            .does((state, exchange) -> s.objectLock().putObjectLockConfiguration(exchange)));
    add(
        operation("getObjectRetention")
            .does((state, exchange) -> s.objectLock().getObjectRetention(exchange)));
    add(
        operation("putObjectRetention")
            .requires(Fact.REQUEST_BODY)
            .does((state, exchange) -> s.objectLock().putObjectRetention(exchange)));
    add(
        operation("getObjectLegalHold")
            .does((state, exchange) -> s.objectLock().getObjectLegalHold(exchange)));
    add(
        operation("putObjectLegalHold")
            .requires(Fact.REQUEST_BODY)
            .does((state, exchange) -> s.objectLock().putObjectLegalHold(exchange)));
    add(
        operation("getObjectTagging")
            .does((state, exchange) -> s.tagging().getObjectTagging(exchange)));
    add(
        operation("putObjectTagging")
            .requires(Fact.REQUEST_BODY)
            .does((state, exchange) -> s.tagging().putObjectTagging(exchange)));
    add(
        operation("deleteObjectTagging")
            .does((state, exchange) -> s.tagging().deleteObjectTagging(exchange)));
    add(
        operation("getBucketTagging")
            .does((state, exchange) -> s.tagging().getBucketTagging(exchange)));
    add(
        operation("putBucketTagging")
            .requires(Fact.REQUEST_BODY)
            .does((state, exchange) -> s.tagging().putBucketTagging(exchange)));
    add(
        operation("deleteBucketTagging")
            .does((state, exchange) -> s.tagging().deleteBucketTagging(exchange)));

    // ---- bucket configuration forwarded (bucket-configuration.yaml)
    add(
        Step.named("readConfigurationDocument")
            .requires(Fact.AUTHENTICATED, Fact.REQUEST_BODY)
            .provides(Fact.CONFIGURATION_CHECKED)
            .does(
                (state, exchange) -> {
                  s.forwarded().readAndCheck(exchange);
                  state.provide(Fact.CONFIGURATION_CHECKED);
                }));
    add(
        operation("forwardConfiguration")
            .requires(Fact.CONFIGURATION_CHECKED)
            .does((state, exchange) -> s.forwarded().forward(exchange)));

    // ---- browser uploads (POST Object)
    add(s.browserUpload().readFormStep());
    add(s.browserUpload().responseStep());

    // ---- multipart uploads
    s.multipartSteps().addTo(this::add);
    add(
        operation("uploadPartCopy")
            .does((state, exchange) -> s.multipart().uploadPartCopy(exchange)));
  }

  /** Whom the rate and concurrency limits count: the access key, else the client's address. */
  private static String principalKey(RequestState state) {
    AuthResult auth = state.authentication().result();
    return auth.principal() != AuthResult.UNAUTHENTICATED
        ? "key:" + auth.principal().accessKey()
        : "address:" + state.request().clientAddress();
  }

  /** A step that calls the backend and provides the operation's answer. */
  private static Step.Builder operation(String name) {
    return Step.named(name).callsBackend().provides(Fact.RESPONSE);
  }

  private void add(Step step) {
    if (beans.putIfAbsent(step.name(), step) != null) {
      throw new IllegalStateException("two steps named " + step.name());
    }
  }

  /** Registry name → bean, for the Camel registry. */
  public Map<String, Object> beans() {
    return Map.copyOf(beans);
  }
}
