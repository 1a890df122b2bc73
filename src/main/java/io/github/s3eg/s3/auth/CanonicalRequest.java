package io.github.s3eg.s3.auth;

import io.github.s3eg.s3.S3ErrorCode;
import io.github.s3eg.s3.S3Exception;
import java.util.List;

/**
 * Builds the SigV4 canonical request of an S3 request:
 *
 * <pre>
 * METHOD \n canonical URI \n canonical query \n (name:value \n)* \n signed;headers \n payload hash
 * </pre>
 *
 * The canonical URI follows S3's rule (decode once, encode once, keep slashes, no dot-segment
 * normalisation). Header values are trimmed and runs of whitespace folded to one space; a header
 * sent several times is joined with commas.
 */
final class CanonicalRequest {

  private CanonicalRequest() {}

  static String build(SignedRequest request, SigV4Request claims) {
    StringBuilder sb = new StringBuilder(512);
    sb.append(request.method()).append('\n');
    sb.append(UriEncoding.canonicalPath(request.rawPath())).append('\n');
    sb.append(claims.canonicalQuery()).append('\n');
    for (String name : claims.signedHeaders()) {
      List<String> values = request.headers().all(name);
      if (values.isEmpty()) {
        throw new S3Exception(
                S3ErrorCode.SIGNATURE_DOES_NOT_MATCH,
                "The request signature we calculated does not match the signature you provided."
                    + " Signed header '"
                    + name
                    + "' is not present in the request.")
            .with("AWSAccessKeyId", claims.credential().accessKey());
      }
      sb.append(name).append(':');
      for (int i = 0; i < values.size(); i++) {
        if (i > 0) {
          sb.append(',');
        }
        appendFolded(sb, values.get(i));
      }
      sb.append('\n');
    }
    sb.append('\n').append(claims.signedHeadersLine()).append('\n');
    sb.append(claims.payloadHash());
    return sb.toString();
  }

  /** Appends {@code value} trimmed, with every run of whitespace replaced by one space. */
  static void appendFolded(StringBuilder sb, String value) {
    boolean pendingSpace = false;
    boolean started = false;
    for (int i = 0; i < value.length(); i++) {
      char c = value.charAt(i);
      if (c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' || c == 0x0B) {
        pendingSpace = started;
      } else {
        if (pendingSpace) {
          sb.append(' ');
          pendingSpace = false;
        }
        sb.append(c);
        started = true;
      }
    }
  }
}
