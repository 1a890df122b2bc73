package io.github.s3eg.pipeline;

import java.io.InputStream;

/**
 * The request body as {@code readRequestBody} opened it: decoded from its transfer framing and
 * verified as it streams (signatures, digests, checksums, length), so a read fails before its last
 * byte if anything does not match.
 *
 * @param stream the plaintext the client sent; read once
 * @param length its length (0 when the client declared none and sent none)
 */
public record RequestBody(InputStream stream, long length) {}
