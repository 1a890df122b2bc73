package io.github.s3eg.versions;

import java.security.MessageDigest;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.ObjectVersion;
import software.amazon.awssdk.services.s3.model.S3Exception;

/**
 * Deleting one version of an object ({@code DELETE ?versionId=}, or a DeleteObjects entry with a
 * version) deletes only what belongs to that version: the version at the backend, then the
 * gateway's records of it ({@link VersionRecords}: the records whose upload header is the
 * version's). The records are found before the version goes (its metadata names its upload) and
 * deleted only after the backend deleted it, and only if no other version of the key names the same
 * upload (an object copied onto its own key by an earlier release, or re-wrapped in place, shares
 * its source's): a version the backend refuses to delete (Object Lock) keeps them all, and no
 * remaining version loses a record it needs. A DELETE without a version in a versioned bucket only
 * adds a delete marker and touches no record at all.
 */
public final class VersionDeletion {

  private static final Logger LOG = LoggerFactory.getLogger(VersionDeletion.class);

  /** The records of a version about to be deleted, and the upload header that names them. */
  public record Pending(byte[] uploadHeader, List<VersionRecords.Record> records) {
    static final Pending NONE = new Pending(null, List.of());
  }

  private final S3Client backend;
  private final VersionRecords records;

  public VersionDeletion(S3Client backend, VersionRecords records) {
    this.backend = backend;
    this.records = records;
  }

  /**
   * The records of version {@code versionId} of {@code key}, looked up before it is deleted: none
   * for a delete marker, a missing version or an object that is not multipart.
   */
  public Pending recordsOf(String bucket, String key, String versionId) {
    java.util.Map<String, String> metadata;
    try {
      metadata = backend.headObject(h -> h.bucket(bucket).key(key).versionId(versionId)).metadata();
    } catch (S3Exception e) {
      if (e.statusCode() == 404 || e.statusCode() == 405) {
        return Pending.NONE; // a delete marker (405 on S3, 404 on RGW) or nothing at all
      }
      throw e;
    }
    byte[] header = VersionRecords.uploadHeader(metadata);
    if (header == null) {
      return Pending.NONE;
    }
    return new Pending(header, records.of(bucket, key, metadata));
  }

  /**
   * Deletes the records of a version the backend has just deleted, unless another version of the
   * key still names their upload. A record that cannot be deleted (its own retention outlasts the
   * version's by the moment it was written later) stays, verifying for no object, and is logged.
   */
  public void deleteRecords(String bucket, String key, Pending pending, boolean bypass) {
    if (pending.records().isEmpty()
        || sharedByAnotherVersion(bucket, key, pending.uploadHeader())) {
      return;
    }
    for (VersionRecords.Record r : pending.records()) {
      try {
        backend.deleteObject(
            d ->
                d.bucket(bucket)
                    .key(r.name())
                    .versionId(r.versionId())
                    .bypassGovernanceRetention(bypass ? Boolean.TRUE : null));
      } catch (RuntimeException e) {
        LOG.warn(
            "could not delete record {} version {} in {}: {}",
            r.name(),
            r.versionId(),
            bucket,
            e.getMessage());
      }
    }
  }

  private boolean sharedByAnotherVersion(String bucket, String key, byte[] header) {
    for (ObjectVersion v : records.versionsOfKey(bucket, key)) {
      byte[] other;
      try {
        other =
            VersionRecords.uploadHeader(
                backend
                    .headObject(h -> h.bucket(bucket).key(key).versionId(v.versionId()))
                    .metadata());
      } catch (S3Exception e) {
        continue; // deleted meanwhile
      }
      if (other != null && MessageDigest.isEqual(other, header)) {
        LOG.info(
            "{}/{}: version {} shares the deleted version's upload; its records stay",
            bucket,
            key,
            v.versionId());
        return true;
      }
    }
    return false;
  }
}
