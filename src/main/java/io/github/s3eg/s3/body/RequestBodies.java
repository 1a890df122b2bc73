package io.github.s3eg.s3.body;

import io.github.s3eg.s3.S3ErrorCode;
import io.github.s3eg.s3.S3Exception;
import io.github.s3eg.s3.auth.AuthResult;
import io.github.s3eg.s3.auth.PayloadMode;
import io.github.s3eg.s3.auth.RequestHeaders;
import io.github.s3eg.s3.auth.SignedRequest;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.stream.Collectors;

/**
 * Turns a raw request body into a {@link VerifiedBody}, picking the decoding and checks from the
 * authentication result and the headers:
 *
 * <ul>
 *   <li>aws-chunked modes → {@link AwsChunkedInputStream} (chunk signatures, trailer checksum and
 *       signature, decoded length), then {@link PayloadVerifyingInputStream} for {@code
 *       Content-MD5} and an {@code x-amz-checksum-*} header;
 *   <li>otherwise → {@link PayloadVerifyingInputStream} for {@code Content-Length}, the {@code
 *       x-amz-content-sha256} digest, {@code Content-MD5} and an {@code x-amz-checksum-*} header.
 * </ul>
 *
 * Header problems are found here, before any byte is read: malformed {@code Content-MD5} →
 * InvalidDigest; malformed or several checksum headers, unsupported {@code x-amz-trailer}, {@code
 * Content-Encoding: aws-chunked} without a streaming {@code x-amz-content-sha256} → InvalidRequest;
 * aws-chunked without {@code x-amz-decoded-content-length} → MissingContentLength.
 *
 * <p>On {@code CompleteMultipartUpload} ({@code POST ?uploadId=…}) the {@code x-amz-checksum-*}
 * headers describe the assembled object, not the XML body, and are not checked against it.
 */
public final class RequestBodies {

  private static final String AWS_CHUNKED = "aws-chunked";

  private RequestBodies() {}

  /**
   * Wraps {@code raw}. Call it for every request that has a body (PUT, POST), after {@code
   * Authenticator.authenticate}.
   *
   * @throws S3Exception for header problems (nothing has been read yet)
   */
  public static VerifiedBody open(AuthResult auth, SignedRequest request, InputStream raw) {
    RequestHeaders headers = request.headers();
    PayloadMode mode = auth.payloadMode();
    byte[] md5 = contentMd5(headers);
    Optional<HeaderChecksum> headerChecksum =
        isCompleteMultipartUpload(request) ? Optional.empty() : headerChecksum(headers);
    List<String> encodings = contentEncodings(headers);
    boolean chunkedEncoding = encodings.remove(AWS_CHUNKED);
    Optional<String> storedEncoding =
        encodings.isEmpty() ? Optional.empty() : Optional.of(String.join(",", encodings));

    if (mode.isStreaming()) {
      long decodedLength =
          length(headers, "x-amz-decoded-content-length")
              .orElseThrow(
                  () ->
                      new S3Exception(
                          S3ErrorCode.MISSING_CONTENT_LENGTH,
                          "aws-chunked uploads must send x-amz-decoded-content-length."));
      ChecksumAlgorithm trailer = trailerChecksum(headers, mode);
      AwsChunkedInputStream decoded =
          new AwsChunkedInputStream(
              raw, mode, auth.signingContext().orElse(null), decodedLength, trailer);
      PayloadExpectations expectations = PayloadExpectations.length(decodedLength).withMd5(md5);
      Optional<ClientChecksum> checksum = Optional.empty();
      if (headerChecksum.isPresent()) {
        expectations =
            expectations.withChecksum(
                headerChecksum.get().algorithm(), headerChecksum.get().value());
        checksum = Optional.of(headerChecksum.get().toClientChecksum());
      } else if (trailer != null) {
        checksum = Optional.of(ClientChecksum.trailer(trailer, decoded::trailerChecksumValue));
      }
      return new VerifiedBody(
          new PayloadVerifyingInputStream(decoded, expectations),
          decodedLength,
          storedEncoding,
          checksum);
    }

    if (chunkedEncoding) {
      throw new S3Exception(
          S3ErrorCode.INVALID_REQUEST,
          "Content-Encoding aws-chunked requires a STREAMING-… x-amz-content-sha256 value.");
    }
    if (headers.contains("x-amz-trailer")) {
      throw new S3Exception(
          S3ErrorCode.INVALID_REQUEST, "x-amz-trailer is only allowed with aws-chunked uploads.");
    }
    long length = length(headers, "content-length").orElse(-1L);
    PayloadExpectations expectations = PayloadExpectations.length(length).withMd5(md5);
    if (mode == PayloadMode.SHA256) {
      expectations = expectations.withSha256Hex(auth.payloadSha256().orElseThrow());
    }
    if (headerChecksum.isPresent()) {
      expectations =
          expectations.withChecksum(headerChecksum.get().algorithm(), headerChecksum.get().value());
    }
    return new VerifiedBody(
        new PayloadVerifyingInputStream(raw, expectations),
        length,
        storedEncoding,
        headerChecksum.map(HeaderChecksum::toClientChecksum));
  }

  private record HeaderChecksum(ChecksumAlgorithm algorithm, byte[] value) {
    ClientChecksum toClientChecksum() {
      return ClientChecksum.header(algorithm, value);
    }
  }

  private static byte[] contentMd5(RequestHeaders headers) {
    List<String> values = headers.all("content-md5");
    if (values.isEmpty()) {
      return null;
    }
    if (values.size() == 1) {
      try {
        byte[] md5 = Base64.getDecoder().decode(values.get(0).trim());
        if (md5.length == 16) {
          return md5;
        }
      } catch (IllegalArgumentException e) {
        // fall through to the S3 error
      }
    }
    throw new S3Exception(S3ErrorCode.INVALID_DIGEST, "The Content-MD5 you specified was invalid.");
  }

  private static Optional<HeaderChecksum> headerChecksum(RequestHeaders headers) {
    List<ChecksumAlgorithm> present = new ArrayList<>();
    for (ChecksumAlgorithm a : ChecksumAlgorithm.values()) {
      if (headers.contains(a.headerName())) {
        present.add(a);
      }
    }
    if (present.isEmpty()) {
      return Optional.empty();
    }
    if (present.size() > 1 || headers.all(present.get(0).headerName()).size() > 1) {
      throw new S3Exception(
          S3ErrorCode.INVALID_REQUEST,
          "Expecting a single x-amz-checksum- header. Multiple checksum Types are not allowed.");
    }
    ChecksumAlgorithm algorithm = present.get(0);
    String value = headers.first(algorithm.headerName()).orElseThrow();
    return Optional.of(new HeaderChecksum(algorithm, algorithm.decode(value, "header")));
  }

  private static ChecksumAlgorithm trailerChecksum(RequestHeaders headers, PayloadMode mode) {
    List<String> declared =
        headers.all("x-amz-trailer").stream()
            .flatMap(v -> List.of(v.split(",")).stream())
            .map(String::trim)
            .filter(s -> !s.isEmpty())
            .collect(Collectors.toList());
    if (declared.isEmpty()) {
      return null;
    }
    if (!mode.hasTrailer()) {
      throw new S3Exception(
          S3ErrorCode.INVALID_REQUEST,
          "x-amz-trailer requires a …-TRAILER x-amz-content-sha256 value.");
    }
    if (declared.size() > 1) {
      throw new S3Exception(
          S3ErrorCode.INVALID_REQUEST, "Only one trailing checksum header is supported.");
    }
    return ChecksumAlgorithm.fromHeaderName(declared.get(0))
        .orElseThrow(
            () ->
                new S3Exception(
                    S3ErrorCode.INVALID_REQUEST,
                    "The value specified in the x-amz-trailer header is not supported"));
  }

  private static Optional<Long> length(RequestHeaders headers, String name) {
    List<String> values = headers.all(name);
    if (values.isEmpty()) {
      return Optional.empty();
    }
    try {
      long value = Long.parseLong(values.get(0).trim());
      if (value >= 0 && values.stream().allMatch(v -> v.trim().equals(values.get(0).trim()))) {
        return Optional.of(value);
      }
    } catch (NumberFormatException e) {
      // fall through to the S3 error
    }
    throw new S3Exception(S3ErrorCode.INVALID_ARGUMENT, "The " + name + " header is invalid.");
  }

  private static List<String> contentEncodings(RequestHeaders headers) {
    List<String> result = new ArrayList<>();
    for (String value : headers.all("content-encoding")) {
      for (String token : value.split(",")) {
        String t = token.trim();
        if (!t.isEmpty()) {
          result.add(t.equalsIgnoreCase(AWS_CHUNKED) ? AWS_CHUNKED : t);
        }
      }
    }
    return result;
  }

  private static boolean isCompleteMultipartUpload(SignedRequest request) {
    if (!request.method().equals("POST")) {
      return false;
    }
    for (String part : request.rawQuery().split("&")) {
      String name = part.contains("=") ? part.substring(0, part.indexOf('=')) : part;
      if (name.toLowerCase(Locale.ROOT).equals("uploadid")) {
        return true;
      }
    }
    return false;
  }
}
