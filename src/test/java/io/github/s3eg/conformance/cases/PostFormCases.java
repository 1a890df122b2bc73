package io.github.s3eg.conformance.cases;

import static io.github.s3eg.conformance.CaseContext.bytes;
import static io.github.s3eg.conformance.CaseContext.expectError;
import static org.assertj.core.api.Assertions.assertThat;

import io.github.s3eg.conformance.Capability;
import io.github.s3eg.conformance.CaseContext;
import io.github.s3eg.conformance.CaseTable;
import io.github.s3eg.conformance.HttpResult;
import io.github.s3eg.it.PostForm;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * Browser uploads (S3 API reference, "POST Object" and "Creating a POST policy"): a SigV4-signed
 * policy and the form's fields as {@code multipart/form-data} to {@code POST /bucket}, built by
 * {@link PostForm} independently of the gateway's code, signed with the target's own credentials.
 */
final class PostFormCases {

  private PostFormCases() {}

  private static final String TAGGING =
      "<Tagging><TagSet><Tag><Key>colour</Key><Value>blue</Value></Tag></TagSet></Tagging>";

  /** Posts {@code form} signed by the target's credentials. */
  static HttpResult post(CaseContext c, PostForm form, byte[] file) {
    return post(
        c,
        form.signedFields(c.bucket(), c.target().accessKey(), c.target().secretKey()),
        form,
        file);
  }

  /** Posts these exact fields (a case changes a signed one to see it refused). */
  static HttpResult post(CaseContext c, Map<String, String> fields, PostForm form, byte[] file) {
    try {
      HttpResponse<String> r =
          PostForm.post(
              c.target().endpoint(), c.bucket(), fields, form.fileName(), form.fileType(), file);
      Map<String, List<String>> headers =
          r.headers().map().entrySet().stream()
              .collect(Collectors.toMap(Map.Entry::getKey, Map.Entry::getValue));
      return new HttpResult(r.statusCode(), headers, r.body().getBytes(StandardCharsets.UTF_8));
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }

  static void addTo(CaseTable t) {
    t.add(
        "post-form/upload",
        "A signed form stores the file under the form's key: 204 by default, GET reads it back",
        c -> {
          byte[] file = bytes(20_000);
          HttpResult r = post(c, new PostForm().field("key", "up/a.bin"), file);
          assertThat(r.status()).as(r.toString()).isEqualTo(204);
          assertThat(c.get("up/a.bin")).isEqualTo(file);
        });
    t.add(
        "post-form/filename-variable",
        "A key ending in ${filename} takes the file part's file name",
        c -> {
          byte[] file = bytes(100);
          PostForm form =
              new PostForm()
                  .unconditionedField("key", "up/${filename}")
                  .condition("[\"starts-with\",\"$key\",\"up/\"]")
                  .fileName("photo.jpg", "image/jpeg");
          HttpResult r = post(c, form, file);
          assertThat(r.status()).as(r.toString()).isEqualTo(204);
          assertThat(c.get("up/photo.jpg")).isEqualTo(file);
        });
    t.add(
        "post-form/success-status-200",
        "success_action_status 200: 200 with an empty body",
        c -> {
          HttpResult r =
              post(
                  c,
                  new PostForm().field("key", "k").field("success_action_status", "200"),
                  bytes(10));
          assertThat(r.status()).as(r.toString()).isEqualTo(200);
          assertThat(r.body()).isEmpty();
          assertThat(c.get("k")).isEqualTo(bytes(10));
        });
    t.add(
        "post-form/success-status-201",
        "success_action_status 201: 201 with a PostResponse naming the bucket, key and ETag",
        c -> {
          byte[] file = bytes(10);
          HttpResult r =
              post(c, new PostForm().field("key", "k").field("success_action_status", "201"), file);
          assertThat(r.status()).as(r.toString()).isEqualTo(201);
          assertThat(r.text()).contains("<PostResponse");
          assertThat(r.xml().text("/PostResponse/Bucket")).isEqualTo(c.bucket());
          assertThat(r.xml().text("/PostResponse/Key")).isEqualTo("k");
          assertThat(r.xml().text("/PostResponse/ETag")).isEqualTo(CaseContext.md5Etag(file));
          assertThat(c.get("k")).isEqualTo(file);
        });
    t.add(
        "post-form/success-status-204",
        "success_action_status 204: 204 with no body",
        c -> {
          HttpResult r =
              post(
                  c,
                  new PostForm().field("key", "k").field("success_action_status", "204"),
                  bytes(10));
          assertThat(r.status()).as(r.toString()).isEqualTo(204);
          assertThat(r.body()).isEmpty();
        });
    t.add(
        "post-form/success-redirect",
        "success_action_redirect: 303 to that URL with bucket, key and etag in its query",
        c -> {
          byte[] file = bytes(10);
          HttpResult r =
              post(
                  c,
                  new PostForm()
                      .field("key", "k")
                      .field("success_action_redirect", "http://example.com/done"),
                  file);
          assertThat(r.status()).as(r.toString()).isEqualTo(303);
          String location = r.header("Location");
          assertThat(location).startsWith("http://example.com/done?");
          assertThat(location).contains("bucket=" + c.bucket()).contains("key=k");
          assertThat(location).contains("etag=");
          assertThat(c.get("k")).isEqualTo(file);
        });
    t.add(
        "post-form/tagging",
        "A form with a tagging field stores the tags: GetObjectTagging answers them",
        Set.of(Capability.TAGGING),
        c -> {
          HttpResult r =
              post(c, new PostForm().field("key", "k").field("tagging", TAGGING), bytes(10));
          assertThat(r.status()).as(r.toString()).isEqualTo(204);
          var tags = c.s3().getObjectTagging(g -> g.bucket(c.bucket()).key("k")).tagSet();
          assertThat(tags).hasSize(1);
          assertThat(tags.get(0).key()).isEqualTo("colour");
          assertThat(tags.get(0).value()).isEqualTo("blue");
        });
    t.add(
        "post-form/expired-policy",
        "A policy past its expiration: 403 AccessDenied, nothing stored",
        c -> {
          PostForm form =
              new PostForm().field("key", "k").expiration(Instant.now().minusSeconds(3600));
          expectError(403, "AccessDenied", post(c, form, bytes(10)));
          expectError(404, "NoSuchKey", () -> c.get("k"));
        });
    t.add(
        "post-form/key-starts-with-mismatch",
        "A key outside the policy's starts-with: 403 AccessDenied, nothing stored",
        c -> {
          PostForm form =
              new PostForm()
                  .unconditionedField("key", "other/k")
                  .condition("[\"starts-with\",\"$key\",\"uploads/\"]");
          expectError(403, "AccessDenied", post(c, form, bytes(10)));
          expectError(404, "NoSuchKey", () -> c.get("other/k"));
        });
    t.add(
        "post-form/content-length-range-too-large",
        "A file over the policy's content-length-range: 400 EntityTooLarge, nothing stored",
        c -> {
          PostForm form =
              new PostForm().field("key", "k").condition("[\"content-length-range\",1,10]");
          expectError(400, "EntityTooLarge", post(c, form, bytes(11)));
          expectError(404, "NoSuchKey", () -> c.get("k"));
        });
    t.add(
        "post-form/content-length-range-too-small",
        "A file under the policy's content-length-range: 400 EntityTooSmall, nothing stored",
        c -> {
          PostForm form =
              new PostForm().field("key", "k").condition("[\"content-length-range\",5,10]");
          expectError(400, "EntityTooSmall", post(c, form, bytes(1)));
          expectError(404, "NoSuchKey", () -> c.get("k"));
        });
    t.add(
        "post-form/condition-field-missing",
        "A field the policy's conditions name but the form lacks: 403 AccessDenied",
        c -> {
          PostForm form =
              new PostForm().field("key", "k").condition("{\"x-amz-meta-owner\":\"alice\"}");
          expectError(403, "AccessDenied", post(c, form, bytes(10)));
          expectError(404, "NoSuchKey", () -> c.get("k"));
        });
    t.add(
        "post-form/extra-field",
        "A form field no condition allows: 403 AccessDenied",
        c -> {
          PostForm form =
              new PostForm().field("key", "k").unconditionedField("x-amz-meta-extra", "x");
          expectError(403, "AccessDenied", post(c, form, bytes(10)));
          expectError(404, "NoSuchKey", () -> c.get("k"));
        });
    t.add(
        "post-form/missing-key-field",
        "A form without a key field: 400 InvalidArgument",
        c -> {
          expectError(400, "InvalidArgument", post(c, new PostForm(), bytes(10)));
        });
    t.add(
        "post-form/bad-signature",
        "A form whose signature was changed: 403 SignatureDoesNotMatch, nothing stored",
        c -> {
          PostForm form = new PostForm().field("key", "k");
          Map<String, String> fields =
              new java.util.LinkedHashMap<>(
                  form.signedFields(c.bucket(), c.target().accessKey(), c.target().secretKey()));
          String sig = fields.get("x-amz-signature");
          fields.put("x-amz-signature", (sig.charAt(0) == '0' ? "1" : "0") + sig.substring(1));
          expectError(403, "SignatureDoesNotMatch", post(c, fields, form, bytes(10)));
          expectError(404, "NoSuchKey", () -> c.get("k"));
        });
  }
}
