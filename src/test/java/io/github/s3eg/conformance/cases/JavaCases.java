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
    return t.cases();
  }
}
