package io.github.s3eg.pipeline;

import java.util.List;

/**
 * What a step of the pipeline establishes about a request, and so what a later step may rely on.
 * Each fact names the steps that provide it: a step whose requirement is missing fails with an
 * error naming them ({@link MissingStepException}), and {@link RouteValidator} refuses, at
 * start-up, a route in which a step comes before what it requires.
 */
public enum Fact {
  /** Bucket, key, sub-resources and operation taken from the raw request line. */
  PARSED("parseRequest"),
  /** The signature was verified and the principal may do this operation on this bucket. */
  AUTHENTICATED("authenticate"),
  /** The principal's request rate was checked ({@code RATE_LIMIT_*}). */
  RATE_LIMITED("rateLimit"),
  /**
   * The principal's requests in progress were counted against {@code
   * SERVER_MAX_CONCURRENT_REQUESTS_PER_PRINCIPAL}, before any body is read.
   */
  CONCURRENCY_LIMITED("concurrencyLimit"),
  /** Sub-resources the gateway does not proxy and its own reserved keys were refused. */
  REQUEST_CHECKED("rejectUnsupported"),
  /**
   * Whether the request's bucket keeps versions and has Object Lock is known to this instance (when
   * the request depends on it), and the request was checked against it.
   */
  BUCKET_FEATURES("bucketFeatures"),
  /**
   * The write's conditions (If-None-Match, If-Match) held against the ETag clients see; the backend
   * write carries them so that it is as atomic as the backend ({@code ConditionalWrites}).
   */
  WRITE_CHECKED("checkWriteConditions"),
  /** The request body, decoded and verified while it streams. */
  REQUEST_BODY("readRequestBody"),
  /** The compression policy was applied to this upload (compressed or not). */
  COMPRESSION_CHOSEN("compress"),
  /** The body that goes to the backend is ciphertext under a fresh data key. */
  CIPHERTEXT("encrypt", "encryptPart"),
  /** The object cache was asked for a copy of the object (GetObject, HeadObject). */
  CACHE_CHECKED("cacheLookup"),
  /** The object cache no longer holds the object that this request writes. */
  CACHE_INVALIDATED("invalidateCache"),
  /** The stored object's metadata, from a backend read of the request's object. */
  STORED_OBJECT("backend:getObject", "backend:headObject"),
  /** The object's data key, unwrapped for this bucket and key after its metadata was verified. */
  DATA_KEY("resolveKey"),
  /** The ciphertext that covers the requested bytes, with whatever the key needs to read it. */
  CIPHERTEXT_LOCATED("locateCiphertext"),
  /** The requested plaintext, authenticated as it is decrypted. */
  PLAINTEXT("decrypt"),
  /** The backend accepted the write: the object (or part) is stored. */
  STORED(
      "backend:putObject",
      "backend:copyObject",
      "backend:uploadPart",
      "backend:uploadPartCopy",
      "backend:completeMultipartUpload"),
  /** The parts the backend holds for a multipart upload, all pages listed. */
  PARTS_LISTED("listStoredParts"),
  /** A copy source's data key, after its metadata was verified. */
  SOURCE_KEY("resolveSourceKey"),
  /** A copy source's size and ETag (a multipart source: its part index). */
  SOURCE_LOCATED("locateSource"),
  /** The copy's conditions were checked and its way chosen. */
  COPY_PLANNED("planCopy"),
  /** Some of the gateway's own records (a key's indexes, an upload's part checksums), listed. */
  RECORDS_LISTED("listIndexes", "listPartChecksums"),
  /**
   * A CompleteMultipartUpload's part list was checked against the stored parts, its checksums
   * combined and its part index sealed.
   */
  COMPLETE_CHECKED("completeRequest"),
  /** The parts a CompleteMultipartUpload names, from its document. */
  PARTS_REQUESTED("readCompleteDocument"),
  /** An uploaded part's checksum was noted for Complete (or the upload chose no algorithm). */
  PART_CHECKSUM_NOTED("partChecksumMarker"),
  /** The upload's record was looked for, to find what an Abort must delete with it. */
  ABORTED_UPLOAD_READ("openAbortedUpload"),
  /** The part indexes that go with the deleted object or aborted upload were named for deletion. */
  INDEXES_DELETED("deleteIndexes", "abortedIndex"),
  /** One of the gateway's own records (an upload record, a part index) was written. */
  RECORDED("backend:putRecord"),
  /** A multipart upload's data key, from its upload record. */
  UPLOAD_KEY("openUpload"),
  /** A copy's tags decided: its own, or the source's (S3's COPY tagging directive). */
  SOURCE_TAGS("sourceTags"),
  /** A copy's or Complete's new version: its id known, its lock settings and tags applied. */
  VERSION_SETTLED("copyVersion", "settleUpload"),
  /**
   * A forwarded configuration's document was read whole, and checked where it could reach the
   * gateway's records (lifecycle rules, bucket policies, logging targets).
   */
  CONFIGURATION_CHECKED("readConfigurationDocument"),
  /**
   * The answer to an open request (a probe, the public metrics scrape): the rest of its branch
   * needs no authentication.
   */
  OPEN_ANSWER("answerProbe", "answerMetrics"),
  /** The answer went to the client. */
  ANSWERED("sendResponse"),
  /** The S3 answer for the client. */
  RESPONSE("the operation's response step");

  private final List<String> providers;

  Fact(String... providers) {
    this.providers = List.of(providers);
  }

  /** The steps that establish this fact. */
  public List<String> providers() {
    return providers;
  }

  /** The providers, for messages: {@code 'encrypt' or 'encryptPart'}. */
  public String describeProviders() {
    return String.join(" or ", providers.stream().map(p -> "'" + p + "'").toList());
  }
}
