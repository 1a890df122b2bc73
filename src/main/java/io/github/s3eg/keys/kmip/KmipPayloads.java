package io.github.s3eg.keys.kmip;

import static io.github.s3eg.keys.ttlv.Ttlv.bytes;
import static io.github.s3eg.keys.ttlv.Ttlv.enumeration;
import static io.github.s3eg.keys.ttlv.Ttlv.integer;
import static io.github.s3eg.keys.ttlv.Ttlv.structure;
import static io.github.s3eg.keys.ttlv.Ttlv.text;

import io.github.s3eg.keys.GcmCiphertext;
import io.github.s3eg.keys.ttlv.KmipEnums.BlockCipherMode;
import io.github.s3eg.keys.ttlv.KmipEnums.CryptographicAlgorithm;
import io.github.s3eg.keys.ttlv.KmipEnums.NameType;
import io.github.s3eg.keys.ttlv.KmipEnums.ObjectType;
import io.github.s3eg.keys.ttlv.KmipEnums.QueryFunction;
import io.github.s3eg.keys.ttlv.KmipEnums.RevocationReasonCode;
import io.github.s3eg.keys.ttlv.Tag;
import io.github.s3eg.keys.ttlv.Tags;
import io.github.s3eg.keys.ttlv.Ttlv;
import io.github.s3eg.keys.ttlv.Ttlv.Structure;
import java.util.ArrayList;
import java.util.List;

/**
 * Request payloads of the operations {@link KmipClient} uses, in the field order the KMIP
 * specification fixes (servers such as PyKMIP read fields sequentially).
 *
 * <p>The two protocol generations differ only where attributes appear: KMIP 1.x wraps each in an
 * {@code Attribute} structure with a text {@code AttributeName} (inside a {@code TemplateAttribute}
 * for Create), while KMIP 2.0 lists attribute items directly inside an {@code Attributes} structure
 * and refers to attributes by tag ({@code AttributeReference}).
 */
final class KmipPayloads {

  /** KEKs are AES-256. */
  static final int KEY_BITS = 256;

  /** Cryptographic Usage Mask Encrypt (0x4) | Decrypt (0x8): the KEK can do nothing else. */
  static final int USAGE_ENCRYPT_DECRYPT = 0x04 | 0x08;

  private static final Tag PAYLOAD = Tags.REQUEST_PAYLOAD;

  private KmipPayloads() {}

  static Structure create(KmipVersion version, String name) {
    List<Ttlv> attributes = new ArrayList<>();
    if (version.atLeast(KmipVersion.V2_0)) {
      attributes.add(enumeration(Tags.CRYPTOGRAPHIC_ALGORITHM, CryptographicAlgorithm.AES));
      attributes.add(integer(Tags.CRYPTOGRAPHIC_LENGTH, KEY_BITS));
      attributes.add(integer(Tags.CRYPTOGRAPHIC_USAGE_MASK, USAGE_ENCRYPT_DECRYPT));
      attributes.add(nameValue(Tags.NAME, name));
      return structure(
          PAYLOAD,
          enumeration(Tags.OBJECT_TYPE, ObjectType.SYMMETRIC_KEY),
          structure(Tags.ATTRIBUTES, attributes));
    }
    attributes.add(
        attribute1x(
            "Cryptographic Algorithm",
            enumeration(Tags.ATTRIBUTE_VALUE, CryptographicAlgorithm.AES)));
    attributes.add(attribute1x("Cryptographic Length", integer(Tags.ATTRIBUTE_VALUE, KEY_BITS)));
    attributes.add(
        attribute1x(
            "Cryptographic Usage Mask", integer(Tags.ATTRIBUTE_VALUE, USAGE_ENCRYPT_DECRYPT)));
    attributes.add(attribute1x("Name", nameValue(Tags.ATTRIBUTE_VALUE, name)));
    return structure(
        PAYLOAD,
        enumeration(Tags.OBJECT_TYPE, ObjectType.SYMMETRIC_KEY),
        structure(Tags.TEMPLATE_ATTRIBUTE, attributes));
  }

  static Structure locateByName(KmipVersion version, String name) {
    if (version.atLeast(KmipVersion.V2_0)) {
      return structure(PAYLOAD, structure(Tags.ATTRIBUTES, nameValue(Tags.NAME, name)));
    }
    return structure(PAYLOAD, attribute1x("Name", nameValue(Tags.ATTRIBUTE_VALUE, name)));
  }

  static Structure stateOf(KmipVersion version, String id) {
    if (version.atLeast(KmipVersion.V2_0)) {
      return structure(
          PAYLOAD,
          text(Tags.UNIQUE_IDENTIFIER, id),
          enumeration(Tags.ATTRIBUTE_REFERENCE, Tags.STATE.code()));
    }
    return structure(PAYLOAD, text(Tags.UNIQUE_IDENTIFIER, id), text(Tags.ATTRIBUTE_NAME, "State"));
  }

  static Structure identifierOnly(String id) {
    return structure(PAYLOAD, text(Tags.UNIQUE_IDENTIFIER, id));
  }

  static Structure revoke(String id, RevocationReasonCode reason) {
    return structure(
        PAYLOAD,
        text(Tags.UNIQUE_IDENTIFIER, id),
        structure(Tags.REVOCATION_REASON, enumeration(Tags.REVOCATION_REASON_CODE, reason)));
  }

  static Structure encrypt(String id, byte[] plaintext, byte[] iv, byte[] associatedData) {
    List<Ttlv> fields = new ArrayList<>();
    fields.add(text(Tags.UNIQUE_IDENTIFIER, id));
    fields.add(gcmParameters());
    fields.add(bytes(Tags.DATA, plaintext));
    fields.add(bytes(Tags.IV_COUNTER_NONCE, iv));
    if (associatedData.length > 0) {
      fields.add(bytes(Tags.AUTHENTICATED_ENCRYPTION_ADDITIONAL_DATA, associatedData));
    }
    return structure(PAYLOAD, fields);
  }

  static Structure decrypt(String id, GcmCiphertext sealed, byte[] associatedData) {
    List<Ttlv> fields = new ArrayList<>();
    fields.add(text(Tags.UNIQUE_IDENTIFIER, id));
    fields.add(gcmParameters());
    fields.add(bytes(Tags.DATA, sealed.ciphertext()));
    fields.add(bytes(Tags.IV_COUNTER_NONCE, sealed.iv()));
    if (associatedData.length > 0) {
      fields.add(bytes(Tags.AUTHENTICATED_ENCRYPTION_ADDITIONAL_DATA, associatedData));
    }
    fields.add(bytes(Tags.AUTHENTICATED_ENCRYPTION_TAG, sealed.tag()));
    return structure(PAYLOAD, fields);
  }

  static Structure query() {
    return structure(
        PAYLOAD,
        enumeration(Tags.QUERY_FUNCTION, QueryFunction.QUERY_OPERATIONS),
        enumeration(Tags.QUERY_FUNCTION, QueryFunction.QUERY_SERVER_INFORMATION));
  }

  static Structure discoverVersions(List<KmipVersion> versions) {
    List<Ttlv> fields = new ArrayList<>();
    for (KmipVersion version : versions) {
      fields.add(KmipMessages.protocolVersion(version));
    }
    return structure(PAYLOAD, fields);
  }

  /** AES-GCM with a 16-byte tag; the caller supplies the 12-byte IV. */
  private static Structure gcmParameters() {
    return structure(
        Tags.CRYPTOGRAPHIC_PARAMETERS,
        enumeration(Tags.BLOCK_CIPHER_MODE, BlockCipherMode.GCM),
        enumeration(Tags.CRYPTOGRAPHIC_ALGORITHM, CryptographicAlgorithm.AES),
        integer(Tags.TAG_LENGTH, GcmCiphertext.TAG_BYTES));
  }

  private static Structure nameValue(Tag tag, String name) {
    return structure(
        tag,
        text(Tags.NAME_VALUE, name),
        enumeration(Tags.NAME_TYPE, NameType.UNINTERPRETED_TEXT_STRING));
  }

  private static Structure attribute1x(String attributeName, Ttlv value) {
    return structure(Tags.ATTRIBUTE, text(Tags.ATTRIBUTE_NAME, attributeName), value);
  }
}
