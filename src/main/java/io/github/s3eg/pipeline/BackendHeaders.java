package io.github.s3eg.pipeline;

import io.github.s3eg.s3.HttpDate;
import io.github.s3eg.s3.ObjectHeaders;
import java.util.Map;
import software.amazon.awssdk.services.s3.model.CopyObjectRequest;
import software.amazon.awssdk.services.s3.model.CreateMultipartUploadRequest;
import software.amazon.awssdk.services.s3.model.PutObjectRequest;

/**
 * The object headers and metadata every kind of backend write carries (PutObject, CopyObject,
 * CreateMultipartUpload), in one place, so that none of them forgets one: the content headers,
 * Expires, the storage class, the website redirect and the stored metadata (the client's and the
 * gateway's own entries).
 */
final class BackendHeaders {

  private BackendHeaders() {}

  static void apply(ObjectHeaders h, Map<String, String> metadata, PutObjectRequest.Builder b) {
    b.contentType(h.contentType())
        .contentEncoding(h.contentEncoding())
        .contentDisposition(h.contentDisposition())
        .contentLanguage(h.contentLanguage())
        .cacheControl(h.cacheControl())
        .expires(HttpDate.parse(h.expires()))
        .storageClass(h.storageClass())
        .websiteRedirectLocation(h.websiteRedirectLocation())
        .metadata(metadata);
  }

  static void apply(ObjectHeaders h, Map<String, String> metadata, CopyObjectRequest.Builder b) {
    b.contentType(h.contentType())
        .contentEncoding(h.contentEncoding())
        .contentDisposition(h.contentDisposition())
        .contentLanguage(h.contentLanguage())
        .cacheControl(h.cacheControl())
        .expires(HttpDate.parse(h.expires()))
        .storageClass(h.storageClass())
        .websiteRedirectLocation(h.websiteRedirectLocation())
        .metadata(metadata);
  }

  static void apply(
      ObjectHeaders h, Map<String, String> metadata, CreateMultipartUploadRequest.Builder b) {
    b.contentType(h.contentType())
        .contentEncoding(h.contentEncoding())
        .contentDisposition(h.contentDisposition())
        .contentLanguage(h.contentLanguage())
        .cacheControl(h.cacheControl())
        .expires(HttpDate.parse(h.expires()))
        .storageClass(h.storageClass())
        .websiteRedirectLocation(h.websiteRedirectLocation())
        .metadata(metadata);
  }
}
