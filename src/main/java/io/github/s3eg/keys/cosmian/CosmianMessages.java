package io.github.s3eg.keys.cosmian;

import static io.github.s3eg.keys.ttlv.Ttlv.bytes;
import static io.github.s3eg.keys.ttlv.Ttlv.enumeration;
import static io.github.s3eg.keys.ttlv.Ttlv.integer;
import static io.github.s3eg.keys.ttlv.Ttlv.structure;
import static io.github.s3eg.keys.ttlv.Ttlv.text;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.github.s3eg.keys.GcmCiphertext;
import io.github.s3eg.keys.ttlv.KmipEnums.BlockCipherMode;
import io.github.s3eg.keys.ttlv.KmipEnums.CryptographicAlgorithm;
import io.github.s3eg.keys.ttlv.KmipEnums.KeyFormatType;
import io.github.s3eg.keys.ttlv.KmipEnums.ObjectType;
import io.github.s3eg.keys.ttlv.Tag;
import io.github.s3eg.keys.ttlv.Tags;
import io.github.s3eg.keys.ttlv.Ttlv;
import io.github.s3eg.keys.ttlv.Ttlv.ByteStringItem;
import io.github.s3eg.keys.ttlv.Ttlv.Structure;
import io.github.s3eg.keys.ttlv.Ttlv.TextStringItem;
import io.github.s3eg.keys.ttlv.TtlvException;
import java.util.ArrayList;
import java.util.List;

/**
 * Cosmian's JSON TTLV operations, shaped like the requests its CLI prints (see the fixtures under
 * {@code src/test/resources/cosmian}): the top-level item is named after the operation ({@code
 * Encrypt}) and its response ({@code EncryptResponse}), with KMIP 2.1 fields inside.
 */
final class CosmianMessages {

  /** Encrypt | Decrypt: the key can do nothing else. */
  static final int USAGE_ENCRYPT_DECRYPT = 0x04 | 0x08;

  private static final ObjectMapper JSON = new ObjectMapper();

  private CosmianMessages() {}

  /** Create an AES-256 key carrying Cosmian tags (a vendor attribute holding a JSON array). */
  static Structure create(List<String> tags) {
    byte[] tagArray;
    try {
      tagArray = JSON.writeValueAsBytes(tags);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("cannot encode tags", e);
    }
    return structure(
        Tags.COSMIAN_CREATE,
        enumeration(Tags.OBJECT_TYPE, ObjectType.SYMMETRIC_KEY),
        structure(
            Tags.ATTRIBUTES,
            enumeration(Tags.CRYPTOGRAPHIC_ALGORITHM, CryptographicAlgorithm.AES),
            integer(Tags.CRYPTOGRAPHIC_LENGTH, 256),
            integer(Tags.CRYPTOGRAPHIC_USAGE_MASK, USAGE_ENCRYPT_DECRYPT),
            enumeration(Tags.KEY_FORMAT_TYPE, KeyFormatType.TRANSPARENT_SYMMETRIC_KEY),
            enumeration(Tags.OBJECT_TYPE, ObjectType.SYMMETRIC_KEY),
            structure(
                Tags.COSMIAN_VENDOR_ATTRIBUTES,
                structure(
                    Tags.COSMIAN_VENDOR_ATTRIBUTES,
                    text(Tags.VENDOR_IDENTIFICATION, "cosmian"),
                    text(Tags.ATTRIBUTE_NAME, "tag"),
                    bytes(Tags.ATTRIBUTE_VALUE, tagArray)))));
  }

  /** Encrypt with AES-GCM; the server picks the 12-byte nonce and returns it. */
  static Structure encrypt(String uid, byte[] plaintext, byte[] associatedData) {
    List<Ttlv> fields = new ArrayList<>();
    fields.add(text(Tags.UNIQUE_IDENTIFIER, uid));
    fields.add(gcm());
    fields.add(bytes(Tags.DATA, plaintext));
    if (associatedData.length > 0) {
      fields.add(bytes(Tags.AUTHENTICATED_ENCRYPTION_ADDITIONAL_DATA, associatedData));
    }
    return structure(Tags.COSMIAN_ENCRYPT, fields);
  }

  static Structure decrypt(String uid, GcmCiphertext sealed, byte[] associatedData) {
    List<Ttlv> fields = new ArrayList<>();
    fields.add(text(Tags.UNIQUE_IDENTIFIER, uid));
    fields.add(gcm());
    fields.add(bytes(Tags.DATA, sealed.ciphertext()));
    fields.add(bytes(Tags.IV_COUNTER_NONCE, sealed.iv()));
    if (associatedData.length > 0) {
      fields.add(bytes(Tags.AUTHENTICATED_ENCRYPTION_ADDITIONAL_DATA, associatedData));
    }
    fields.add(bytes(Tags.AUTHENTICATED_ENCRYPTION_TAG, sealed.tag()));
    return structure(Tags.COSMIAN_DECRYPT, fields);
  }

  static String createdIdentifier(Ttlv response) throws TtlvException {
    return root(response, Tags.COSMIAN_CREATE_RESPONSE)
        .require(Tags.UNIQUE_IDENTIFIER, TextStringItem.class)
        .value();
  }

  /** The Encrypt result: a 12-byte server nonce, the ciphertext and a 16-byte tag. */
  static GcmCiphertext encrypted(Ttlv response, int plaintextLength) throws TtlvException {
    Structure payload = root(response, Tags.COSMIAN_ENCRYPT_RESPONSE);
    ByteStringItem data = payload.require(Tags.DATA, ByteStringItem.class);
    ByteStringItem nonce = payload.require(Tags.IV_COUNTER_NONCE, ByteStringItem.class);
    ByteStringItem tag = payload.require(Tags.AUTHENTICATED_ENCRYPTION_TAG, ByteStringItem.class);
    if (data.length() != plaintextLength
        || nonce.length() != GcmCiphertext.IV_BYTES
        || tag.length() != GcmCiphertext.TAG_BYTES) {
      throw new TtlvException("EncryptResponse is not AES-GCM with a 12-byte nonce of the request");
    }
    return new GcmCiphertext(nonce.value(), data.value(), tag.value());
  }

  /** The Decrypt plaintext; the response's copy is zeroed. */
  static byte[] decrypted(Ttlv response) throws TtlvException {
    try {
      return root(response, Tags.COSMIAN_DECRYPT_RESPONSE)
          .require(Tags.DATA, ByteStringItem.class)
          .value();
    } finally {
      Ttlv.destroyByteStrings(response);
    }
  }

  private static Structure gcm() {
    return structure(
        Tags.CRYPTOGRAPHIC_PARAMETERS,
        enumeration(Tags.BLOCK_CIPHER_MODE, BlockCipherMode.GCM),
        enumeration(Tags.CRYPTOGRAPHIC_ALGORITHM, CryptographicAlgorithm.AES));
  }

  private static Structure root(Ttlv response, Tag expected) throws TtlvException {
    if (!(response instanceof Structure structure) || !structure.tag().equals(expected)) {
      throw new TtlvException("expected a " + expected.name() + ", got " + response.tag().name());
    }
    return structure;
  }
}
