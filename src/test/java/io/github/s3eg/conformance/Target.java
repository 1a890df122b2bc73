package io.github.s3eg.conformance;

import java.net.URI;

/**
 * One S3 endpoint the conformance cases run against: a backend directly ({@code direct}) or the
 * gateway in front of it ({@code gateway}), with the credentials that endpoint accepts.
 *
 * @param name {@code direct} or {@code gateway}: also the first letter of every bucket a case
 *     creates there, so that the two runs never share a bucket on a shared backend
 */
public record Target(String name, URI endpoint, String accessKey, String secretKey) {

  public static final String REGION = "us-east-1";
}
