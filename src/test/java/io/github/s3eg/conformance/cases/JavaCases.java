package io.github.s3eg.conformance.cases;

import io.github.s3eg.conformance.CaseTable;
import io.github.s3eg.conformance.ConformanceCase;
import java.util.List;

/** Every Java case, group by group. A new group is one more line here. */
public final class JavaCases {

  private JavaCases() {}

  public static List<ConformanceCase> all() {
    CaseTable t = new CaseTable();
    ObjectCases.addTo(t);
    HeaderCases.addTo(t);
    RangeCases.addTo(t);
    ConditionalCases.addTo(t);
    CopyCases.addTo(t);
    MultipartCases.addTo(t);
    ListingCases.addTo(t);
    BucketCases.addTo(t);
    ErrorCases.addTo(t);
    SubresourceCases.addTo(t);
    VersioningCases.addTo(t);
    ChecksumCases.addTo(t);
    PresignedCases.addTo(t);
    PostFormCases.addTo(t);
    return t.cases();
  }
}
