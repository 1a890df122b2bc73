package io.github.s3eg.conformance;

/**
 * A backend feature some cases need before they mean anything. A backend that lacks one of a case's
 * capabilities does not run it (the case is "not applicable" there, counted neither way); every
 * other case runs everywhere and simply fails directly where the backend lacks the behaviour.
 */
public enum Capability {
  /** PutBucketVersioning, version ids, ListObjectVersions of several versions. */
  VERSIONING,
  /** Object Lock configuration, retention, legal holds. */
  OBJECT_LOCK,
  /** Object and bucket tagging. */
  TAGGING
}
