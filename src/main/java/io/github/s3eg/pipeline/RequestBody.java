package io.github.s3eg.pipeline;

import io.github.s3eg.s3.body.ClientChecksum;
import java.io.InputStream;
import java.util.Optional;

/**
 * The request body as {@code readRequestBody} opened it: decoded from its transfer framing and
 * verified as it streams (signatures, digests, checksums, length), so a read fails before its last
 * byte if anything does not match.
 *
 * @param stream the plaintext the client sent; read once
 * @param length its length (0 when the client declared none and sent none)
 * @param checksum the client's {@code x-amz-checksum-*} (header or aws-chunked trailer) the body is
 *     verified against, when it sent one
 */
public record RequestBody(InputStream stream, long length, Optional<ClientChecksum> checksum) {}
