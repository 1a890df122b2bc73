package io.github.s3eg.it;

import java.io.ByteArrayOutputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * A browser upload as a web page sends it: a SigV4-signed policy, the form's fields and the file,
 * as {@code multipart/form-data}, built here by hand (the signing follows the S3 documentation,
 * "Browser-based uploads using POST", independently of the gateway's code).
 */
public final class PostForm {

  private final Map<String, String> fields = new LinkedHashMap<>();
  private final List<String> conditions = new ArrayList<>();
  private Instant expiration = Instant.now().plusSeconds(600);
  private String fileName = "file.txt";
  private String fileType = "application/octet-stream";

  /** A field and, by default, the {@code eq} condition that allows it. */
  public PostForm field(String name, String value) {
    fields.put(name, value);
    conditions.add("{\"" + name + "\":\"" + value + "\"}");
    return this;
  }

  /** A field no condition names. */
  public PostForm unconditionedField(String name, String value) {
    fields.put(name, value);
    return this;
  }

  /** A condition as JSON text, e.g. {@code ["starts-with","$key","uploads/"]}. */
  public PostForm condition(String json) {
    conditions.add(json);
    return this;
  }

  public PostForm expiration(Instant when) {
    this.expiration = when;
    return this;
  }

  public PostForm fileName(String name, String contentType) {
    this.fileName = name;
    this.fileType = contentType;
    return this;
  }

  /** The policy JSON as signed. */
  public String policyJson(String bucket) {
    return "{\"expiration\":\""
        + DateTimeFormatter.ISO_INSTANT.format(expiration)
        + "\",\"conditions\":[{\"bucket\":\""
        + bucket
        + "\"},"
        + String.join(",", conditions)
        + (conditions.isEmpty() ? "" : ",")
        + "{\"x-amz-algorithm\":\"AWS4-HMAC-SHA256\"},{\"x-amz-credential\":\"%s\"},"
        + "{\"x-amz-date\":\"%s\"}]}";
  }

  /** The fields (with the signature fields) for {@code accessKey}/{@code secret}. */
  public Map<String, String> signedFields(String bucket, String accessKey, String secret) {
    Instant now = Instant.now();
    String date = DateTimeFormatter.ofPattern("yyyyMMdd").withZone(ZoneOffset.UTC).format(now);
    String amzDate =
        DateTimeFormatter.ofPattern("yyyyMMdd'T'HHmmss'Z'").withZone(ZoneOffset.UTC).format(now);
    String credential = accessKey + "/" + date + "/us-east-1/s3/aws4_request";
    String policy =
        Base64.getEncoder()
            .encodeToString(
                String.format(policyJson(bucket), credential, amzDate)
                    .getBytes(StandardCharsets.UTF_8));
    Map<String, String> all = new LinkedHashMap<>(fields);
    all.put("x-amz-algorithm", "AWS4-HMAC-SHA256");
    all.put("x-amz-credential", credential);
    all.put("x-amz-date", amzDate);
    all.put("policy", policy);
    all.put("x-amz-signature", sign(secret, date, policy));
    return all;
  }

  static String sign(String secret, String date, String policy) {
    byte[] k = hmac(("AWS4" + secret).getBytes(StandardCharsets.UTF_8), date);
    k = hmac(k, "us-east-1");
    k = hmac(k, "s3");
    k = hmac(k, "aws4_request");
    return HexFormat.of().formatHex(hmac(k, policy));
  }

  private static byte[] hmac(byte[] key, String data) {
    try {
      Mac mac = Mac.getInstance("HmacSHA256");
      mac.init(new SecretKeySpec(key, "HmacSHA256"));
      return mac.doFinal(data.getBytes(StandardCharsets.UTF_8));
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }

  /** The {@code multipart/form-data} body: the fields in order, then the file, then a trailer. */
  public static byte[] body(
      String boundary, Map<String, String> fields, String fileName, String fileType, byte[] file) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    fields.forEach(
        (name, value) ->
            out.writeBytes(
                ("--"
                        + boundary
                        + "\r\nContent-Disposition: form-data; name=\""
                        + name
                        + "\"\r\n\r\n"
                        + value
                        + "\r\n")
                    .getBytes(StandardCharsets.UTF_8)));
    out.writeBytes(
        ("--"
                + boundary
                + "\r\nContent-Disposition: form-data; name=\"file\"; filename=\""
                + fileName
                + "\"\r\nContent-Type: "
                + fileType
                + "\r\n\r\n")
            .getBytes(StandardCharsets.UTF_8));
    out.writeBytes(file);
    out.writeBytes(
        ("\r\n--"
                + boundary
                + "\r\nContent-Disposition: form-data; name=\"submit\"\r\n\r\n"
                + "Upload\r\n--"
                + boundary
                + "--\r\n")
            .getBytes(StandardCharsets.UTF_8));
    return out.toByteArray();
  }

  /** Posts the form, signed by {@code accessKey}, to {@code endpoint/bucket}. */
  public HttpResponse<String> post(
      URI endpoint, String bucket, String accessKey, String secret, byte[] file) throws Exception {
    return post(
        endpoint, bucket, signedFields(bucket, accessKey, secret), fileName, fileType, file);
  }

  /** Posts these exact fields (tests change signed ones to see them refused). */
  public static HttpResponse<String> post(
      URI endpoint,
      String bucket,
      Map<String, String> fields,
      String fileName,
      String fileType,
      byte[] file)
      throws Exception {
    String boundary = "----s3egFormBoundary" + Long.toHexString(System.nanoTime());
    try (HttpClient http =
        HttpClient.newBuilder().followRedirects(HttpClient.Redirect.NEVER).build()) {
      return http.send(
          HttpRequest.newBuilder(URI.create(endpoint + "/" + bucket))
              .header("Content-Type", "multipart/form-data; boundary=" + boundary)
              .POST(
                  HttpRequest.BodyPublishers.ofByteArray(
                      body(boundary, fields, fileName, fileType, file)))
              .build(),
          HttpResponse.BodyHandlers.ofString());
    }
  }

  public String fileName() {
    return fileName;
  }

  public String fileType() {
    return fileType;
  }
}
