package io.github.s3eg.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.BiFunction;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.BucketCannedACL;
import software.amazon.awssdk.services.s3.model.CORSRule;
import software.amazon.awssdk.services.s3.model.CompletedPart;
import software.amazon.awssdk.services.s3.model.ExpirationStatus;
import software.amazon.awssdk.services.s3.model.Grant;
import software.amazon.awssdk.services.s3.model.LifecycleRule;
import software.amazon.awssdk.services.s3.model.ObjectCannedACL;
import software.amazon.awssdk.services.s3.model.ObjectOwnership;
import software.amazon.awssdk.services.s3.model.OwnershipControlsRule;
import software.amazon.awssdk.services.s3.model.Payer;
import software.amazon.awssdk.services.s3.model.Permission;
import software.amazon.awssdk.services.s3.model.S3Exception;
import software.amazon.awssdk.services.s3.model.ServerSideEncryption;
import software.amazon.awssdk.services.s3.model.ServerSideEncryptionRule;
import software.amazon.awssdk.services.s3.model.Type;

/**
 * Bucket configuration forwarded to a backend that implements it: Ceph RGW 16.2 (ACLs, policy,
 * CORS, lifecycle, public access block and request payment work there; encryption, ownership
 * controls, notification, logging and website answer errors in this cluster). Each call runs once
 * against RGW directly and once through the gateway, and both must answer alike: the gateway adds
 * nothing and loses nothing. Also here, on a backend that really stores ACLs: the ACL headers of
 * every kind of write, and that a public bucket at the backend does not open the gateway.
 */
class CephForwardedConfigurationTest {

  private static final String ALL_USERS = "http://acs.amazonaws.com/groups/global/AllUsers";

  private static CephBackend ceph;
  private static GatewayFixture gateway;
  private static S3Client client;
  private static S3Client direct;

  @BeforeAll
  static void start() throws Exception {
    ceph = CephBackend.shared();
    // A small spool limit: uploads without Content-MD5 above it get their ETag by a self-copy.
    gateway = GatewayFixture.startOn(ceph, Map.of("ENCRYPTION_SPOOL_LIMIT", "4096"));
    client = gateway.defaultClient();
    direct = ceph.directClient();
  }

  @AfterAll
  static void stop() throws Exception {
    if (gateway != null) {
      client.close();
      direct.close();
      gateway.close();
    }
  }

  /** What a call answered, with the bucket's name taken out: equal answers compare equal. */
  private static String outcome(String bucket, java.util.function.Supplier<Object> call) {
    try {
      Object answer = call.get();
      String text = answer instanceof String s ? s : String.valueOf(answer);
      return "OK " + text.replace(bucket, "BUCKET");
    } catch (S3Exception e) {
      return "ERROR " + e.statusCode() + " " + e.awsErrorDetails().errorCode();
    }
  }

  @Test
  void everySubresourceAnswersThroughTheGatewayAsAtTheBackend() {
    String policy =
        "{\"Version\":\"2012-10-17\",\"Statement\":[{\"Effect\":\"Allow\",\"Principal\":\"*\","
            + "\"Action\":\"s3:GetObject\",\"Resource\":\"arn:aws:s3:::%s/*\"}]}";
    Map<String, BiFunction<S3Client, String, Object>> calls = new LinkedHashMap<>();
    calls.put("GetBucketAcl", (c, b) -> c.getBucketAcl(x -> x.bucket(b)));
    calls.put(
        "PutBucketAcl canned",
        (c, b) -> c.putBucketAcl(x -> x.bucket(b).acl(BucketCannedACL.PUBLIC_READ)));
    calls.put("GetBucketAcl after", (c, b) -> c.getBucketAcl(x -> x.bucket(b)));
    calls.put(
        "PutBucketAcl document",
        (c, b) -> {
          var current = c.getBucketAcl(x -> x.bucket(b));
          List<Grant> grants = new ArrayList<>(current.grants());
          grants.add(
              Grant.builder()
                  .grantee(g -> g.type(Type.GROUP).uri(ALL_USERS))
                  .permission(Permission.WRITE)
                  .build());
          return c.putBucketAcl(
              x -> x.bucket(b).accessControlPolicy(p -> p.owner(current.owner()).grants(grants)));
        });
    calls.put("GetBucketAcl document", (c, b) -> c.getBucketAcl(x -> x.bucket(b)));
    calls.put(
        "PutObjectAcl grant header",
        (c, b) ->
            c.putObjectAcl(x -> x.bucket(b).key("doc").grantRead("uri=\"" + ALL_USERS + "\"")));
    calls.put("GetObjectAcl", (c, b) -> c.getObjectAcl(x -> x.bucket(b).key("doc")));
    calls.put("GetBucketPolicy none", (c, b) -> c.getBucketPolicy(x -> x.bucket(b)).policy());
    calls.put(
        "PutBucketPolicy",
        (c, b) -> c.putBucketPolicy(x -> x.bucket(b).policy(String.format(policy, b))));
    calls.put("GetBucketPolicy", (c, b) -> c.getBucketPolicy(x -> x.bucket(b)).policy());
    calls.put("GetBucketPolicyStatus", (c, b) -> c.getBucketPolicyStatus(x -> x.bucket(b)));
    calls.put("DeleteBucketPolicy", (c, b) -> c.deleteBucketPolicy(x -> x.bucket(b)));
    calls.put("GetBucketPolicy deleted", (c, b) -> c.getBucketPolicy(x -> x.bucket(b)).policy());
    calls.put("GetBucketCors none", (c, b) -> c.getBucketCors(x -> x.bucket(b)));
    calls.put(
        "PutBucketCors",
        (c, b) ->
            c.putBucketCors(
                x ->
                    x.bucket(b)
                        .corsConfiguration(
                            cc ->
                                cc.corsRules(
                                    CORSRule.builder()
                                        .allowedMethods("GET", "PUT")
                                        .allowedOrigins("https://app.example")
                                        .allowedHeaders("*")
                                        .exposeHeaders("ETag")
                                        .maxAgeSeconds(60)
                                        .build()))));
    calls.put("GetBucketCors", (c, b) -> c.getBucketCors(x -> x.bucket(b)));
    calls.put("DeleteBucketCors", (c, b) -> c.deleteBucketCors(x -> x.bucket(b)));
    calls.put("GetBucketCors deleted", (c, b) -> c.getBucketCors(x -> x.bucket(b)));
    calls.put(
        "PutBucketLifecycleConfiguration",
        (c, b) ->
            c.putBucketLifecycleConfiguration(
                x ->
                    x.bucket(b)
                        .lifecycleConfiguration(
                            l ->
                                l.rules(
                                    LifecycleRule.builder()
                                        .id("logs")
                                        .status(ExpirationStatus.ENABLED)
                                        .filter(f -> f.prefix("logs/"))
                                        .expiration(e -> e.days(30))
                                        .build(),
                                    LifecycleRule.builder()
                                        .id("everything")
                                        .status(ExpirationStatus.ENABLED)
                                        .filter(f -> f.prefix(""))
                                        .abortIncompleteMultipartUpload(
                                            a -> a.daysAfterInitiation(7))
                                        .build()))));
    calls.put(
        "GetBucketLifecycleConfiguration",
        (c, b) -> c.getBucketLifecycleConfiguration(x -> x.bucket(b)));
    calls.put("DeleteBucketLifecycle", (c, b) -> c.deleteBucketLifecycle(x -> x.bucket(b)));
    calls.put(
        "GetBucketLifecycleConfiguration deleted",
        (c, b) -> c.getBucketLifecycleConfiguration(x -> x.bucket(b)));
    calls.put(
        "PutPublicAccessBlock",
        (c, b) ->
            c.putPublicAccessBlock(
                x ->
                    x.bucket(b)
                        .publicAccessBlockConfiguration(
                            p ->
                                p.blockPublicAcls(true)
                                    .ignorePublicAcls(false)
                                    .blockPublicPolicy(true)
                                    .restrictPublicBuckets(false))));
    calls.put("GetPublicAccessBlock", (c, b) -> c.getPublicAccessBlock(x -> x.bucket(b)));
    calls.put("DeletePublicAccessBlock", (c, b) -> c.deletePublicAccessBlock(x -> x.bucket(b)));
    calls.put(
        "PutBucketRequestPayment",
        (c, b) ->
            c.putBucketRequestPayment(
                x -> x.bucket(b).requestPaymentConfiguration(r -> r.payer(Payer.REQUESTER))));
    calls.put("GetBucketRequestPayment", (c, b) -> c.getBucketRequestPayment(x -> x.bucket(b)));
    // RGW 16.2 in this cluster: errors or empty answers, which must come through unchanged.
    calls.put("GetBucketEncryption", (c, b) -> c.getBucketEncryption(x -> x.bucket(b)));
    calls.put(
        "PutBucketEncryption",
        (c, b) ->
            c.putBucketEncryption(
                x ->
                    x.bucket(b)
                        .serverSideEncryptionConfiguration(
                            s ->
                                s.rules(
                                    ServerSideEncryptionRule.builder()
                                        .applyServerSideEncryptionByDefault(
                                            d -> d.sseAlgorithm(ServerSideEncryption.AES256))
                                        .build()))));
    calls.put(
        "GetBucketOwnershipControls", (c, b) -> c.getBucketOwnershipControls(x -> x.bucket(b)));
    calls.put(
        "PutBucketOwnershipControls",
        (c, b) ->
            c.putBucketOwnershipControls(
                x ->
                    x.bucket(b)
                        .ownershipControls(
                            o ->
                                o.rules(
                                    OwnershipControlsRule.builder()
                                        .objectOwnership(ObjectOwnership.BUCKET_OWNER_PREFERRED)
                                        .build()))));
    calls.put(
        "GetBucketNotificationConfiguration",
        (c, b) -> c.getBucketNotificationConfiguration(x -> x.bucket(b)));
    calls.put(
        "PutBucketNotificationConfiguration",
        (c, b) ->
            c.putBucketNotificationConfiguration(
                x -> x.bucket(b).notificationConfiguration(n -> {})));
    calls.put("GetBucketLogging", (c, b) -> c.getBucketLogging(x -> x.bucket(b)));
    calls.put(
        "PutBucketLogging",
        (c, b) ->
            c.putBucketLogging(
                x ->
                    x.bucket(b)
                        .bucketLoggingStatus(
                            s -> s.loggingEnabled(l -> l.targetBucket(b).targetPrefix("logs/")))));
    calls.put("GetBucketWebsite", (c, b) -> c.getBucketWebsite(x -> x.bucket(b)));
    calls.put(
        "PutBucketWebsite",
        (c, b) ->
            c.putBucketWebsite(
                x -> x.bucket(b).websiteConfiguration(w -> w.indexDocument(i -> i.suffix("i")))));

    String atBackend = ceph.newBucket("config-direct");
    direct.putObject(b -> b.bucket(atBackend).key("doc"), RequestBody.fromString("doc"));
    String throughGateway = ceph.newBucket("config-gateway");
    client.putObject(b -> b.bucket(throughGateway).key("doc"), RequestBody.fromString("doc"));

    Map<String, String> expected = new LinkedHashMap<>();
    Map<String, String> actual = new LinkedHashMap<>();
    calls.forEach(
        (name, call) -> {
          expected.put(name, outcome(atBackend, () -> call.apply(direct, atBackend)));
          actual.put(name, outcome(throughGateway, () -> call.apply(client, throughGateway)));
        });
    // RGW 16.2 answers GET ?encryption and GET ?ownershipControls with a listing of the bucket
    // (ListBucketResult, key names included), which the SDK reads as an empty configuration. The
    // gateway does not pass a listing off as a configuration.
    for (String listing : List.of("GetBucketEncryption", "GetBucketOwnershipControls")) {
      assertThat(expected.remove(listing)).as("%s at RGW", listing).startsWith("OK ");
      assertThat(actual.remove(listing))
          .as("%s through the gateway", listing)
          .isEqualTo("ERROR 501 NotImplemented");
    }
    assertThat(actual).isEqualTo(expected);
    // And the calls that succeed at RGW did something there.
    assertThat(expected.get("GetBucketCors")).contains("https://app.example");
    assertThat(expected.get("GetBucketPolicy")).contains("arn:aws:s3:::BUCKET/*");
    assertThat(expected.get("GetBucketLifecycleConfiguration")).contains("logs/");
    assertThat(expected.get("GetBucketAcl document")).contains("WRITE");
    assertThat(expected.get("GetBucketRequestPayment")).contains("Requester");
  }

  @Test
  void aDeleteRgwTakesForDeleteBucketLeavesTheBucketThroughTheGateway() {
    // RGW 16.2 has no DeleteBucketEncryption: it deletes the (empty) bucket instead.
    String atBackend = ceph.newBucket("lost");
    direct.deleteBucketEncryption(b -> b.bucket(atBackend));
    assertThat(outcome(atBackend, () -> direct.headBucket(b -> b.bucket(atBackend))))
        .startsWith("ERROR 404");

    String throughGateway = ceph.newBucket("kept");
    assertThat(
            outcome(
                throughGateway, () -> client.deleteBucketEncryption(b -> b.bucket(throughGateway))))
        .isEqualTo("ERROR 501 NotImplemented");
    assertThat(
            outcome(
                throughGateway,
                () -> client.deleteBucketOwnershipControls(b -> b.bucket(throughGateway))))
        .isEqualTo("ERROR 501 NotImplemented");
    direct.headBucket(b -> b.bucket(throughGateway));
    assertThat(direct.listObjectVersions(b -> b.bucket(throughGateway)).versions()).isEmpty();
  }

  private static boolean publicRead(List<Grant> grants) {
    return grants.stream()
        .anyMatch(
            g ->
                g.grantee().type() == Type.GROUP
                    && ALL_USERS.equals(g.grantee().uri())
                    && g.permission() == Permission.READ);
  }

  @Test
  void everyWriteCarriesItsAclToTheBackend() throws Exception {
    String bucket = ceph.newBucket("acl-writes");
    String grantRead = "uri=\"" + ALL_USERS + "\"";

    client.putObject(
        b -> b.bucket(bucket).key("small").grantRead(grantRead), RequestBody.fromString("x"));
    // Above the spool limit and without Content-MD5: the ETag is recorded by a self-copy after
    // the upload, which must ask for the ACL again (S3 gives a copy the default ACL).
    byte[] large = new byte[64 * 1024];
    client.putObject(
        b -> b.bucket(bucket).key("large").acl(ObjectCannedACL.PUBLIC_READ),
        RequestBody.fromBytes(large));
    client.copyObject(
        b ->
            b.sourceBucket(bucket)
                .sourceKey("small")
                .destinationBucket(bucket)
                .destinationKey("copy")
                .acl(ObjectCannedACL.PUBLIC_READ));
    String upload =
        client
            .createMultipartUpload(
                b -> b.bucket(bucket).key("multipart").acl(ObjectCannedACL.PUBLIC_READ))
            .uploadId();
    String etag =
        client
            .uploadPart(
                b -> b.bucket(bucket).key("multipart").uploadId(upload).partNumber(1),
                RequestBody.fromString("part"))
            .eTag();
    client.completeMultipartUpload(
        b ->
            b.bucket(bucket)
                .key("multipart")
                .uploadId(upload)
                .multipartUpload(
                    m -> m.parts(CompletedPart.builder().partNumber(1).eTag(etag).build())));
    String newBucket = bucket + "-new";
    client.createBucket(b -> b.bucket(newBucket).acl(BucketCannedACL.PUBLIC_READ));

    for (String key : List.of("small", "large", "copy", "multipart")) {
      assertThat(publicRead(direct.getObjectAcl(b -> b.bucket(bucket).key(key)).grants()))
          .as("%s is public-read at the backend", key)
          .isTrue();
    }
    assertThat(client.getObject(b -> b.bucket(bucket).key("large")).response().eTag())
        .as("the large upload got its plaintext ETag")
        .isEqualTo("\"" + md5Hex(large) + "\"");
    assertThat(publicRead(direct.getBucketAcl(b -> b.bucket(newBucket)).grants())).isTrue();
    // The gateway's own records stay private whatever the object's ACL says.
    direct.listObjectsV2(b -> b.bucket(bucket).prefix(".s3eg/")).contents().stream()
        .map(o -> o.key())
        .forEach(
            k ->
                assertThat(publicRead(direct.getObjectAcl(b -> b.bucket(bucket).key(k)).grants()))
                    .as("record %s", k)
                    .isFalse());
  }

  private static String md5Hex(byte[] data) throws Exception {
    return java.util.HexFormat.of()
        .formatHex(java.security.MessageDigest.getInstance("MD5").digest(data));
  }

  @Test
  void aPublicBucketAtTheBackendDoesNotOpenTheGateway() throws Exception {
    String bucket = ceph.newBucket("public");
    client.putObject(
        b -> b.bucket(bucket).key("doc").acl(ObjectCannedACL.PUBLIC_READ),
        RequestBody.fromString("secret plaintext"));
    client.putBucketAcl(b -> b.bucket(bucket).acl(BucketCannedACL.PUBLIC_READ_WRITE));
    client.putBucketPolicy(
        b ->
            b.bucket(bucket)
                .policy(
                    "{\"Version\":\"2012-10-17\",\"Statement\":[{\"Effect\":\"Allow\","
                        + "\"Principal\":\"*\",\"Action\":[\"s3:GetObject\",\"s3:PutObject\"],"
                        + "\"Resource\":\"arn:aws:s3:::"
                        + bucket
                        + "/*\"}]}"));
    HttpClient http = HttpClient.newHttpClient();

    // Anyone can read the backend's copy now: ciphertext.
    HttpResponse<byte[]> atBackend =
        http.send(
            HttpRequest.newBuilder(URI.create(ceph.endpoint() + "/" + bucket + "/doc")).build(),
            HttpResponse.BodyHandlers.ofByteArray());
    assertThat(atBackend.statusCode()).isEqualTo(200);
    assertThat(new String(atBackend.body(), StandardCharsets.ISO_8859_1))
        .doesNotContain("secret plaintext");

    // The gateway still wants a signature, for reads and writes.
    HttpResponse<String> read =
        http.send(
            HttpRequest.newBuilder(URI.create(gateway.endpoint() + "/" + bucket + "/doc")).build(),
            HttpResponse.BodyHandlers.ofString());
    assertThat(read.statusCode()).isEqualTo(403);
    assertThat(read.body()).contains("<Code>AccessDenied</Code>");
    HttpResponse<String> write =
        http.send(
            HttpRequest.newBuilder(URI.create(gateway.endpoint() + "/" + bucket + "/new"))
                .PUT(HttpRequest.BodyPublishers.ofString("anonymous"))
                .build(),
            HttpResponse.BodyHandlers.ofString());
    assertThat(write.statusCode()).isEqualTo(403);
    HttpResponse<String> config =
        http.send(
            HttpRequest.newBuilder(URI.create(gateway.endpoint() + "/" + bucket + "?acl")).build(),
            HttpResponse.BodyHandlers.ofString());
    assertThat(config.statusCode()).isEqualTo(403);
    assertThat(outcome(bucket, () -> direct.headObject(b -> b.bucket(bucket).key("new"))))
        .startsWith("ERROR 404");
  }
}
