/**
 * Request bodies the gateway can trust: {@link io.github.s3eg.s3.body.RequestBodies#open} wraps the
 * raw body in streams that decode {@code aws-chunked} framing and verify chunk signatures, trailer
 * checksums and signatures, {@code x-amz-content-sha256}, {@code Content-MD5} and {@code
 * x-amz-checksum-*} headers while the body streams, in bounded memory.
 *
 * <p>A failure is a {@link io.github.s3eg.s3.body.BodyVerificationException} (an {@code
 * IOException}) thrown by a read — at the failing chunk, or at the end of the body for whole-body
 * digests. Bytes read before it may already have gone to the backend, so the caller must then abort
 * the backend upload; {@link io.github.s3eg.s3.body.BodyVerificationException#find} recovers the S3
 * error to answer with from whatever wrapped it.
 */
package io.github.s3eg.s3.body;
