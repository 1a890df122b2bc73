package io.github.s3eg.multipart;

import io.github.s3eg.backend.WriteCondition;
import io.github.s3eg.crypto.MultipartIndex;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.CompletedPart;
import software.amazon.awssdk.services.s3.model.CreateMultipartUploadRequest;

/**
 * Copies a multipart object on the backend part by part (UploadPartCopy of each stored part under
 * its own part number, since every part is bound to its number): no byte passes through the
 * gateway, objects above 5 GiB copy like any other, and the copy is again a multipart object. Used
 * by CopyObject (to another name) and by rewrap (onto itself with a re-wrapped key). The caller
 * writes the destination's index in {@code beforeComplete}, so the completed object never lacks it;
 * a failure aborts the backend upload.
 */
public final class PartwiseCopy {

  private PartwiseCopy() {}

  /**
   * @param sourceVersionId the source's version (null for the current one)
   * @param sourceEtag the backend ETag the source must still have (copy-source-if-match)
   * @param create sets the destination's metadata and headers on the CreateMultipartUpload
   * @param condition the destination's write condition, carried by the Complete
   * @param beforeComplete runs once every part is copied, before the backend completes the copy
   * @return the version the copy made (null without versioning)
   */
  public static String copy(
      S3Client client,
      String sourceBucket,
      String sourceKey,
      String sourceVersionId,
      String sourceEtag,
      MultipartIndex index,
      String bucket,
      String key,
      Consumer<CreateMultipartUploadRequest.Builder> create,
      WriteCondition condition,
      Runnable beforeComplete) {
    CreateMultipartUploadRequest.Builder b =
        CreateMultipartUploadRequest.builder().bucket(bucket).key(key);
    create.accept(b);
    String uploadId = client.createMultipartUpload(b.build()).uploadId();
    try {
      List<CompletedPart> parts = new ArrayList<>();
      for (int i = 0; i < index.parts().size(); i++) {
        int number = index.parts().get(i).number();
        String range =
            "bytes=" + index.ciphertextStart(i) + "-" + (index.ciphertextStart(i + 1) - 1);
        String etag =
            client
                .uploadPartCopy(
                    c ->
                        c.sourceBucket(sourceBucket)
                            .sourceKey(sourceKey)
                            .sourceVersionId(sourceVersionId)
                            .copySourceIfMatch(sourceEtag)
                            .copySourceRange(range)
                            .destinationBucket(bucket)
                            .destinationKey(key)
                            .uploadId(uploadId)
                            .partNumber(number))
                .copyPartResult()
                .eTag();
        parts.add(CompletedPart.builder().partNumber(number).eTag(etag).build());
      }
      beforeComplete.run();
      return client
          .completeMultipartUpload(
              c ->
                  condition.applyTo(
                      c.bucket(bucket)
                          .key(key)
                          .uploadId(uploadId)
                          .multipartUpload(m -> m.parts(parts))))
          .versionId();
    } catch (RuntimeException e) {
      try {
        client.abortMultipartUpload(a -> a.bucket(bucket).key(key).uploadId(uploadId));
      } catch (RuntimeException suppressed) {
        e.addSuppressed(suppressed);
      }
      throw e;
    }
  }
}
