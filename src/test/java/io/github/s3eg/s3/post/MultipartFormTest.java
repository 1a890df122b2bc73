package io.github.s3eg.s3.post;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.github.s3eg.s3.S3ErrorCode;
import io.github.s3eg.s3.S3Exception;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The streaming form reader: fields, the file up to its boundary, and malformed bodies. */
class MultipartFormTest {

  private static final String TYPE = "multipart/form-data; boundary=XyZ";

  private static byte[] form(byte[] file) {
    String head =
        "--XyZ\r\nContent-Disposition: form-data; name=\"key\"\r\n\r\nuploads/a\r\n"
            + "--XyZ\r\nContent-Disposition: form-data; name=\"Content-Type\"\r\n\r\ntext/plain\r\n"
            + "--XyZ\r\nContent-Disposition: form-data; name=\"file\"; filename=\"a \\\"b\\\".txt\""
            + "\r\nContent-Type: text/plain\r\n\r\n";
    String tail =
        "\r\n--XyZ\r\nContent-Disposition: form-data; name=\"after\"\r\n\r\nx\r\n--XyZ--\r\n";
    byte[] h = head.getBytes(StandardCharsets.UTF_8);
    byte[] t = tail.getBytes(StandardCharsets.UTF_8);
    byte[] all = new byte[h.length + file.length + t.length];
    System.arraycopy(h, 0, all, 0, h.length);
    System.arraycopy(file, 0, all, h.length, file.length);
    System.arraycopy(t, 0, all, h.length + file.length, t.length);
    return all;
  }

  /** Hands out at most {@code step} bytes per read: boundaries fall across reads. */
  private static InputStream trickle(byte[] data, int step) {
    return new ByteArrayInputStream(data) {
      @Override
      public synchronized int read(byte[] b, int off, int len) {
        return super.read(b, off, Math.min(len, step));
      }
    };
  }

  @ParameterizedTest
  @ValueSource(ints = {1, 3, 7, 100, 65536})
  void fieldsAndTheFileWhateverTheReadSizes(int step) throws IOException {
    byte[] file = new byte[200_000];
    new Random(step).nextBytes(file);
    // Bytes that look like the start of a delimiter inside the file.
    byte[] lookalike = "\r\n--Xy\r\n--X".getBytes(StandardCharsets.US_ASCII);
    System.arraycopy(lookalike, 0, file, 65530, lookalike.length);
    MultipartForm.Form form = MultipartForm.read(trickle(form(file), step), TYPE);

    assertThat(form.fields())
        .containsEntry("key", "uploads/a")
        .containsEntry("content-type", "text/plain");
    assertThat(form.fileName()).isEqualTo("a \"b\".txt");
    assertThat(form.file().readAllBytes()).isEqualTo(file);
    assertThat(form.fields()).doesNotContainKey("after");
  }

  @Test
  void anEmptyFile() throws IOException {
    MultipartForm.Form form = MultipartForm.read(new ByteArrayInputStream(form(new byte[0])), TYPE);
    assertThat(form.file().readAllBytes()).isEmpty();
  }

  @Test
  void aBodyThatEndsInTheFileFailsTheFileStream() throws IOException {
    byte[] whole = form(new byte[10_000]);
    byte[] cut = java.util.Arrays.copyOf(whole, whole.length - 200);
    MultipartForm.Form form = MultipartForm.read(new ByteArrayInputStream(cut), TYPE);
    assertThatThrownBy(() -> form.file().readAllBytes()).isInstanceOf(IOException.class);
  }

  @Test
  void aFormWithoutAFileIsMalformed() {
    byte[] body =
        "--XyZ\r\nContent-Disposition: form-data; name=\"key\"\r\n\r\nk\r\n--XyZ--\r\n"
            .getBytes(StandardCharsets.UTF_8);
    assertThatThrownBy(() -> MultipartForm.read(new ByteArrayInputStream(body), TYPE))
        .isInstanceOfSatisfying(
            S3Exception.class,
            e -> assertThat(e.errorCode()).isEqualTo(S3ErrorCode.MALFORMED_POST_REQUEST));
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "application/x-www-form-urlencoded",
        "multipart/form-data",
        "multipart/mixed; boundary=a"
      })
  void otherBodiesAreMalformed(String contentType) {
    assertThatThrownBy(
            () -> MultipartForm.read(new ByteArrayInputStream(form(new byte[1])), contentType))
        .isInstanceOfSatisfying(
            S3Exception.class,
            e -> assertThat(e.errorCode()).isEqualTo(S3ErrorCode.MALFORMED_POST_REQUEST));
  }

  @Test
  void fieldsBeforeTheFileAreLimitedAsInS3() {
    String big = "a".repeat(MultipartForm.MAX_FIELDS_BYTES);
    byte[] body =
        ("--XyZ\r\nContent-Disposition: form-data; name=\"x-amz-meta-big\"\r\n\r\n"
                + big
                + "\r\n--XyZ\r\nContent-Disposition: form-data; name=\"file\"\r\n\r\nf\r\n--XyZ--\r\n")
            .getBytes(StandardCharsets.UTF_8);
    assertThatThrownBy(() -> MultipartForm.read(new ByteArrayInputStream(body), TYPE))
        .isInstanceOfSatisfying(
            S3Exception.class,
            e ->
                assertThat(e.errorCode()).isEqualTo(S3ErrorCode.MAX_POST_PRE_DATA_LENGTH_EXCEEDED));
  }

  @Test
  void aQuotedBoundary() throws IOException {
    MultipartForm.Form form =
        MultipartForm.read(
            new ByteArrayInputStream(form("x".getBytes(StandardCharsets.UTF_8))),
            "Multipart/Form-Data; charset=utf-8; boundary=\"XyZ\"");
    assertThat(form.file().readAllBytes()).containsExactly('x');
  }
}
