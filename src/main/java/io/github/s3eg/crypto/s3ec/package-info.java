/**
 * Reading objects written by the AWS S3 Encryption Client (S3EC) with a raw AES key that the
 * gateway's key source also holds: {@link io.github.s3eg.crypto.s3ec.S3ecMetadata} parses the
 * content metadata (V2 and V3 formats, on the object or in its instruction file), {@link
 * io.github.s3eg.crypto.s3ec.S3ecKeys} opens the data key and derives the content key, and {@link
 * io.github.s3eg.crypto.s3ec.S3ecObject} decrypts the single AES-GCM message the body is. Like the
 * rest of {@code io.github.s3eg.crypto}, independent of Camel and of S3 transport: the caller
 * fetches the instruction file and the body. See {@code docs/s3ec.md}.
 */
package io.github.s3eg.crypto.s3ec;
