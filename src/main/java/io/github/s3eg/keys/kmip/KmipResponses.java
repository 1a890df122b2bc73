package io.github.s3eg.keys.kmip;

import io.github.s3eg.keys.GcmCiphertext;
import io.github.s3eg.keys.ttlv.KmipEnums;
import io.github.s3eg.keys.ttlv.KmipEnums.Operation;
import io.github.s3eg.keys.ttlv.KmipEnums.State;
import io.github.s3eg.keys.ttlv.Tags;
import io.github.s3eg.keys.ttlv.Ttlv;
import io.github.s3eg.keys.ttlv.Ttlv.ByteStringItem;
import io.github.s3eg.keys.ttlv.Ttlv.EnumerationItem;
import io.github.s3eg.keys.ttlv.Ttlv.Structure;
import io.github.s3eg.keys.ttlv.Ttlv.TextStringItem;
import io.github.s3eg.keys.ttlv.TtlvException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;

/**
 * Reads the response payloads of the operations {@link KmipClient} sends, mirroring {@link
 * KmipPayloads}; every inconsistency is a {@link TtlvException}, which the client reports as a
 * protocol error.
 */
final class KmipResponses {

  private KmipResponses() {}

  static String identifier(Structure payload) throws TtlvException {
    return payload.require(Tags.UNIQUE_IDENTIFIER, TextStringItem.class).value();
  }

  static List<String> identifiers(Structure payload) throws TtlvException {
    List<String> ids = new ArrayList<>();
    for (TextStringItem item : payload.all(Tags.UNIQUE_IDENTIFIER, TextStringItem.class)) {
      ids.add(item.value());
    }
    return ids;
  }

  static List<KmipVersion> versions(Structure payload) throws TtlvException {
    List<KmipVersion> versions = new ArrayList<>();
    for (Structure item : payload.all(Tags.PROTOCOL_VERSION, Structure.class)) {
      versions.add(KmipMessages.readProtocolVersion(item));
    }
    return versions;
  }

  static KmipServerInfo serverInfo(Structure payload) throws TtlvException {
    Set<Operation> operations = EnumSet.noneOf(Operation.class);
    for (EnumerationItem item : payload.all(Tags.OPERATION, EnumerationItem.class)) {
      KmipEnums.fromValue(Operation.class, item.value()).ifPresent(operations::add);
    }
    return new KmipServerInfo(
        payload
            .optional(Tags.VENDOR_IDENTIFICATION, TextStringItem.class)
            .map(TextStringItem::value),
        operations);
  }

  /**
   * The State from GetAttributes: an {@code Attributes} item in 2.0, an {@code Attribute} in 1.x.
   */
  static State state(Structure payload, KmipVersion version) throws TtlvException {
    EnumerationItem state = null;
    if (version.atLeast(KmipVersion.V2_0)) {
      state =
          payload
              .require(Tags.ATTRIBUTES, Structure.class)
              .require(Tags.STATE, EnumerationItem.class);
    } else {
      for (Structure attribute : payload.all(Tags.ATTRIBUTE, Structure.class)) {
        String name = attribute.require(Tags.ATTRIBUTE_NAME, TextStringItem.class).value();
        if (name.equals("State")) {
          state = attribute.require(Tags.ATTRIBUTE_VALUE, EnumerationItem.class);
        }
      }
    }
    if (state == null) {
      throw new TtlvException("no State attribute in the response");
    }
    int value = state.value();
    return KmipEnums.fromValue(State.class, value)
        .orElseThrow(() -> new TtlvException("unknown State " + value));
  }

  /**
   * The Encrypt result, checked to be AES-GCM of a {@code plaintextLength}-byte input under our
   * {@code iv} (a server may echo the IV; it must not substitute its own).
   */
  static GcmCiphertext encrypted(Structure payload, byte[] iv, int plaintextLength)
      throws TtlvException {
    ByteStringItem data = payload.require(Tags.DATA, ByteStringItem.class);
    ByteStringItem tag = payload.require(Tags.AUTHENTICATED_ENCRYPTION_TAG, ByteStringItem.class);
    var echoedIv = payload.optional(Tags.IV_COUNTER_NONCE, ByteStringItem.class);
    if (data.length() != plaintextLength
        || tag.length() != GcmCiphertext.TAG_BYTES
        || (echoedIv.isPresent() && !Arrays.equals(echoedIv.get().value(), iv))) {
      throw new TtlvException("Encrypt response is not AES-GCM of the request");
    }
    return new GcmCiphertext(iv, data.value(), tag.value());
  }

  /** The Decrypt plaintext; the response's own copy is zeroed. */
  static byte[] decrypted(Structure payload) throws TtlvException {
    try {
      return payload.require(Tags.DATA, ByteStringItem.class).value();
    } finally {
      Ttlv.destroyByteStrings(payload);
    }
  }
}
