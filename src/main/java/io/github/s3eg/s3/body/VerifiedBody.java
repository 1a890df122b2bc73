package io.github.s3eg.s3.body;

import java.io.InputStream;
import java.util.Optional;

/**
 * A request body ready for the backend: decoded from aws-chunked if it was, and verified as it is
 * read.
 *
 * @param stream the decoded body; read it to the end (or to {@code contentLength}) and abort the
 *     backend upload if it throws
 * @param contentLength the decoded length ({@code x-amz-decoded-content-length} or {@code
 *     Content-Length}), or -1 if the client sent neither
 * @param contentEncoding the {@code Content-Encoding} to store with the object: the client's value
 *     without {@code aws-chunked}, empty if nothing remains
 * @param checksum the {@code x-amz-checksum-*} the body is verified against (header or trailer),
 *     empty if the client sent none
 */
public record VerifiedBody(
    InputStream stream,
    long contentLength,
    Optional<String> contentEncoding,
    Optional<ClientChecksum> checksum) {}
