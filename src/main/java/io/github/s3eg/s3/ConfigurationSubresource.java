package io.github.s3eg.s3;

import java.util.Arrays;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * The configuration sub-resources the gateway forwards to its backend as the client sent them:
 * bucket settings that hold no object data (ACLs, policy, CORS, lifecycle, …) and object ACLs. Each
 * is named by its query parameter ({@code ?policy}); {@link #setting()} is the word an operator
 * uses in {@code SUBRESOURCES_FORWARDED} to keep or refuse it ({@code policyStatus} goes with
 * {@code policy}).
 *
 * <p>The table also says, per level and method, which S3 operation a request is ({@code PUT
 * /bucket?policy} is PutBucketPolicy), and which request headers travel with it; nothing else the
 * client sent reaches the backend.
 */
public enum ConfigurationSubresource {
  ACL(
      "acl",
      "AccessControlPolicy",
      "acl",
      Map.of("GET", "GetBucketAcl", "PUT", "PutBucketAcl"),
      Map.of("GET", "GetObjectAcl", "PUT", "PutObjectAcl"),
      AclHeaders.NAMES),
  POLICY(
      "policy",
      "{",
      "policy",
      Map.of("GET", "GetBucketPolicy", "PUT", "PutBucketPolicy", "DELETE", "DeleteBucketPolicy"),
      Map.of(),
      List.of("x-amz-confirm-remove-self-bucket-access")),
  POLICY_STATUS(
      "policyStatus",
      "PolicyStatus",
      "policy",
      Map.of("GET", "GetBucketPolicyStatus"),
      Map.of(),
      List.of()),
  CORS(
      "cors",
      "CORSConfiguration",
      "cors",
      Map.of("GET", "GetBucketCors", "PUT", "PutBucketCors", "DELETE", "DeleteBucketCors"),
      Map.of(),
      List.of()),
  LIFECYCLE(
      "lifecycle",
      "LifecycleConfiguration",
      "lifecycle",
      Map.of(
          "GET", "GetBucketLifecycleConfiguration",
          "PUT", "PutBucketLifecycleConfiguration",
          "DELETE", "DeleteBucketLifecycle"),
      Map.of(),
      List.of("x-amz-transition-default-minimum-object-size")),
  ENCRYPTION(
      "encryption",
      "ServerSideEncryptionConfiguration",
      "encryption",
      Map.of(
          "GET", "GetBucketEncryption",
          "PUT", "PutBucketEncryption",
          "DELETE", "DeleteBucketEncryption"),
      Map.of(),
      List.of()),
  OWNERSHIP_CONTROLS(
      "ownershipControls",
      "OwnershipControls",
      "ownershipControls",
      Map.of(
          "GET", "GetBucketOwnershipControls",
          "PUT", "PutBucketOwnershipControls",
          "DELETE", "DeleteBucketOwnershipControls"),
      Map.of(),
      List.of()),
  PUBLIC_ACCESS_BLOCK(
      "publicAccessBlock",
      "PublicAccessBlockConfiguration BlockPublicAccessBlockConfiguration",
      "publicAccessBlock",
      Map.of(
          "GET", "GetPublicAccessBlock",
          "PUT", "PutPublicAccessBlock",
          "DELETE", "DeletePublicAccessBlock"),
      Map.of(),
      List.of()),
  NOTIFICATION(
      "notification",
      "NotificationConfiguration",
      "notification",
      Map.of(
          "GET", "GetBucketNotificationConfiguration",
          "PUT", "PutBucketNotificationConfiguration"),
      Map.of(),
      List.of("x-amz-skip-destination-validation")),
  LOGGING(
      "logging",
      "BucketLoggingStatus",
      "logging",
      Map.of("GET", "GetBucketLogging", "PUT", "PutBucketLogging"),
      Map.of(),
      List.of()),
  WEBSITE(
      "website",
      "WebsiteConfiguration",
      "website",
      Map.of("GET", "GetBucketWebsite", "PUT", "PutBucketWebsite", "DELETE", "DeleteBucketWebsite"),
      Map.of(),
      List.of()),
  REQUEST_PAYMENT(
      "requestPayment",
      "RequestPaymentConfiguration",
      "requestPayment",
      Map.of("GET", "GetBucketRequestPayment", "PUT", "PutBucketRequestPayment"),
      Map.of(),
      List.of());

  /** Headers every forwarded request keeps: the body's type and S3's owner check. */
  public static final List<String> COMMON_HEADERS =
      List.of("Content-Type", "x-amz-expected-bucket-owner");

  private final String parameter;
  private final String answerRoot;
  private final String setting;
  private final Map<String, String> bucketOperations;
  private final Map<String, String> objectOperations;
  private final List<String> headers;

  ConfigurationSubresource(
      String parameter,
      String answerRoot,
      String setting,
      Map<String, String> bucketOperations,
      Map<String, String> objectOperations,
      List<String> headers) {
    this.parameter = parameter;
    this.answerRoot = answerRoot;
    this.setting = setting;
    this.bucketOperations = bucketOperations;
    this.objectOperations = objectOperations;
    this.headers = headers;
  }

  /** The query parameter that names it, e.g. {@code policy}. */
  public String parameter() {
    return parameter;
  }

  /**
   * The root elements a GET's answer may have ({@code CORSConfiguration}), or {@code "{"} for the
   * JSON policy. A backend without the sub-resource may answer a GET with something else (Ceph RGW
   * 16.2 answers GET ?encryption with a bucket listing), which the gateway must not pass off as the
   * configuration. (RGW 16.2 names its public access block {@code
   * BlockPublicAccessBlockConfiguration}; clients read it all the same.)
   */
  public Set<String> answerRoots() {
    return Set.of(answerRoot.split(" "));
  }

  /** Its name in {@code SUBRESOURCES_FORWARDED}. */
  public String setting() {
    return setting;
  }

  /** The request headers forwarded with it besides {@link #COMMON_HEADERS}. */
  public List<String> headers() {
    return headers;
  }

  /** Whether it exists at this level ({@code bucket} or {@code object}) for some method. */
  public boolean existsAt(String level) {
    return !operations(level).isEmpty();
  }

  /** The S3 operation of {@code method} at {@code level}, or null (405 MethodNotAllowed). */
  public String operation(String level, String method) {
    return operations(level).get(method);
  }

  private Map<String, String> operations(String level) {
    return switch (level) {
      case "bucket" -> bucketOperations;
      case "object" -> objectOperations;
      default -> Map.of();
    };
  }

  /** Every setting name, in table order: the values {@code SUBRESOURCES_FORWARDED} accepts. */
  public static Set<String> settings() {
    Set<String> names = new LinkedHashSet<>();
    for (ConfigurationSubresource s : values()) {
      names.add(s.setting);
    }
    return names;
  }

  /** The setting name spelled {@code text} in any case, if there is one. */
  public static Optional<String> setting(String text) {
    String wanted = text.trim().toLowerCase(Locale.ROOT);
    return settings().stream().filter(s -> s.toLowerCase(Locale.ROOT).equals(wanted)).findFirst();
  }

  /** The configuration sub-resource a request names in its query, if any. */
  public static Optional<ConfigurationSubresource> of(S3Request request) {
    return Arrays.stream(values()).filter(s -> request.has(s.parameter)).findFirst();
  }

  /** The one named by this query parameter, if any. */
  public static Optional<ConfigurationSubresource> byParameter(String parameter) {
    return Arrays.stream(values()).filter(s -> s.parameter.equals(parameter)).findFirst();
  }
}
