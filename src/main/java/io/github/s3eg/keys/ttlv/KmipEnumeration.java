package io.github.s3eg.keys.ttlv;

/**
 * One value of a KMIP enumeration: the 32-bit wire value and the name the JSON encoding uses.
 * Implemented by the enums in {@link KmipEnums}.
 */
public interface KmipEnumeration {

  int value();

  String jsonName();
}
