package io.github.s3eg.keys.kmip;

import io.github.s3eg.keys.ttlv.KmipEnums.Operation;
import java.util.Optional;
import java.util.Set;

/** What a Query told us about the server: its vendor string and the operations it supports. */
public record KmipServerInfo(Optional<String> vendorIdentification, Set<Operation> operations) {

  public KmipServerInfo {
    operations = Set.copyOf(operations);
  }

  public boolean supports(Operation operation) {
    return operations.contains(operation);
  }
}
