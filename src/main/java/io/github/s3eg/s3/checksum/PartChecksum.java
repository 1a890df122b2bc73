package io.github.s3eg.s3.checksum;

import io.github.s3eg.s3.body.ClientChecksum;
import java.io.InputStream;
import java.util.Optional;

/**
 * The checksum of one UploadPart, decided before its body is read: the client's (verified while the
 * body streams), or, for a FULL_OBJECT upload whose client sent none, computed on the way through
 * (S3 computes it then too). The client's algorithm must be the upload's; a COMPOSITE upload needs
 * every part's checksum from the client.
 */
public final class PartChecksum {

  private final Optional<UploadChecksum> upload;
  private final ClientChecksum client;
  private final ChecksumComputingStream computed;
  private final InputStream stream;

  private PartChecksum(
      Optional<UploadChecksum> upload,
      ClientChecksum client,
      ChecksumComputingStream computed,
      InputStream stream) {
    this.upload = upload;
    this.client = client;
    this.computed = computed;
    this.stream = stream;
  }

  /**
   * @param upload what the upload chose at Create, if anything
   * @param client the checksum the client sent for the part, or {@code null}
   * @param plaintext the part's verified plaintext
   * @throws io.github.s3eg.s3.S3Exception InvalidRequest (S3's "Checksum Type mismatch") when the
   *     client's algorithm is not the upload's, or a COMPOSITE upload's part has none
   */
  public static PartChecksum of(
      Optional<UploadChecksum> upload, ClientChecksum client, InputStream plaintext) {
    if (upload.isPresent()) {
      UploadChecksum u = upload.get();
      if (client != null && client.algorithm() != u.algorithm()) {
        throw u.mismatch(client.algorithm());
      }
      if (client == null && u.type() == ChecksumType.COMPOSITE) {
        throw u.mismatch(null);
      }
      if (client == null) {
        ChecksumComputingStream computing = new ChecksumComputingStream(plaintext, u.algorithm());
        return new PartChecksum(upload, null, computing, computing);
      }
    }
    return new PartChecksum(upload, client, null, plaintext);
  }

  /** The plaintext to encrypt (through the computing stream when the gateway computes). */
  public InputStream stream() {
    return stream;
  }

  /** Whether the upload chose an algorithm, so that the part's checksum must be recorded. */
  public boolean recorded() {
    return upload.isPresent();
  }

  /** The part's checksum once its body was read to the end; empty if there is none. */
  public Optional<ObjectChecksum> value() {
    if (client != null) {
      return Optional.of(ObjectChecksum.fullObject(client.algorithm(), client.value()));
    }
    if (computed != null) {
      return Optional.of(ObjectChecksum.fullObject(upload.get().algorithm(), computed.value()));
    }
    return Optional.empty();
  }
}
