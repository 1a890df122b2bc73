package io.github.s3eg.keys.ttlv;

import java.util.HashMap;
import java.util.Map;
import java.util.Optional;

/**
 * The tag table: every KMIP 1.x/2.0 tag this codebase reads or writes, with the code from the OASIS
 * specifications (cross-checked against PyKMIP 0.10's {@code enums.Tags}) and the PascalCase name
 * of the JSON profile as Cosmian spells it. Tags not listed here still decode from binary (named by
 * their code) so that a server adding attributes does not break us; JSON decoding only accepts
 * listed names or hex codes.
 */
public final class Tags {

  private static final Map<Integer, Tag> BY_CODE = new HashMap<>();
  private static final Map<String, Tag> BY_NAME = new HashMap<>();

  // Message structure
  public static final Tag ASYNCHRONOUS_INDICATOR = define(0x420007, "AsynchronousIndicator");
  public static final Tag ATTRIBUTE = define(0x420008, "Attribute");
  public static final Tag ATTRIBUTE_INDEX = define(0x420009, "AttributeIndex");
  public static final Tag ATTRIBUTE_NAME = define(0x42000A, "AttributeName");
  public static final Tag ATTRIBUTE_VALUE = define(0x42000B, "AttributeValue");
  public static final Tag AUTHENTICATION = define(0x42000C, "Authentication");
  public static final Tag BATCH_COUNT = define(0x42000D, "BatchCount");
  public static final Tag BATCH_ERROR_CONTINUATION_OPTION =
      define(0x42000E, "BatchErrorContinuationOption");
  public static final Tag BATCH_ITEM = define(0x42000F, "BatchItem");
  public static final Tag MAXIMUM_RESPONSE_SIZE = define(0x420050, "MaximumResponseSize");
  public static final Tag OPERATION = define(0x42005C, "Operation");
  public static final Tag PROTOCOL_VERSION = define(0x420069, "ProtocolVersion");
  public static final Tag PROTOCOL_VERSION_MAJOR = define(0x42006A, "ProtocolVersionMajor");
  public static final Tag PROTOCOL_VERSION_MINOR = define(0x42006B, "ProtocolVersionMinor");
  public static final Tag REQUEST_HEADER = define(0x420077, "RequestHeader");
  public static final Tag REQUEST_MESSAGE = define(0x420078, "RequestMessage");
  public static final Tag REQUEST_PAYLOAD = define(0x420079, "RequestPayload");
  public static final Tag RESPONSE_HEADER = define(0x42007A, "ResponseHeader");
  public static final Tag RESPONSE_MESSAGE = define(0x42007B, "ResponseMessage");
  public static final Tag RESPONSE_PAYLOAD = define(0x42007C, "ResponsePayload");
  public static final Tag RESULT_MESSAGE = define(0x42007D, "ResultMessage");
  public static final Tag RESULT_REASON = define(0x42007E, "ResultReason");
  public static final Tag RESULT_STATUS = define(0x42007F, "ResultStatus");
  public static final Tag TIME_STAMP = define(0x420092, "TimeStamp");
  public static final Tag UNIQUE_BATCH_ITEM_ID = define(0x420093, "UniqueBatchItemID");
  public static final Tag SERVER_HASHED_PASSWORD = define(0x420155, "ServerHashedPassword");

  // Objects and attributes
  public static final Tag ACTIVATION_DATE = define(0x420001, "ActivationDate");
  public static final Tag CRYPTOGRAPHIC_ALGORITHM = define(0x420028, "CryptographicAlgorithm");
  public static final Tag CRYPTOGRAPHIC_LENGTH = define(0x42002A, "CryptographicLength");
  public static final Tag CRYPTOGRAPHIC_PARAMETERS = define(0x42002B, "CryptographicParameters");
  public static final Tag CRYPTOGRAPHIC_USAGE_MASK = define(0x42002C, "CryptographicUsageMask");
  public static final Tag DEACTIVATION_DATE = define(0x42002F, "DeactivationDate");
  public static final Tag INITIAL_DATE = define(0x420039, "InitialDate");
  public static final Tag KEY_FORMAT_TYPE = define(0x420042, "KeyFormatType");
  public static final Tag LAST_CHANGE_DATE = define(0x420048, "LastChangeDate");
  public static final Tag NAME = define(0x420053, "Name");
  public static final Tag NAME_TYPE = define(0x420054, "NameType");
  public static final Tag NAME_VALUE = define(0x420055, "NameValue");
  public static final Tag OBJECT_TYPE = define(0x420057, "ObjectType");
  public static final Tag OPERATION_POLICY_NAME = define(0x42005D, "OperationPolicyName");
  public static final Tag STATE = define(0x42008D, "State");
  public static final Tag TEMPLATE_ATTRIBUTE = define(0x420091, "TemplateAttribute");
  public static final Tag UNIQUE_IDENTIFIER = define(0x420094, "UniqueIdentifier");
  public static final Tag ATTRIBUTES = define(0x420125, "Attributes");
  public static final Tag ATTRIBUTE_REFERENCE = define(0x42013B, "AttributeReference");

  // Operations' payload fields
  public static final Tag BLOCK_CIPHER_MODE = define(0x420011, "BlockCipherMode");
  public static final Tag IV_COUNTER_NONCE = define(0x42003D, "IVCounterNonce");
  public static final Tag LOCATED_ITEMS = define(0x4200D5, "LocatedItems");
  public static final Tag MAXIMUM_ITEMS = define(0x42004F, "MaximumItems");
  public static final Tag PADDING_METHOD = define(0x42005F, "PaddingMethod");
  public static final Tag QUERY_FUNCTION = define(0x420074, "QueryFunction");
  public static final Tag REVOCATION_MESSAGE = define(0x420080, "RevocationMessage");
  public static final Tag REVOCATION_REASON = define(0x420081, "RevocationReason");
  public static final Tag REVOCATION_REASON_CODE = define(0x420082, "RevocationReasonCode");
  public static final Tag SERVER_INFORMATION = define(0x420088, "ServerInformation");
  public static final Tag VENDOR_IDENTIFICATION = define(0x42009D, "VendorIdentification");
  public static final Tag DATA = define(0x4200C2, "Data");
  public static final Tag RANDOM_IV = define(0x4200C5, "RandomIV");
  public static final Tag TAG_LENGTH = define(0x4200CE, "TagLength");
  public static final Tag AUTHENTICATED_ENCRYPTION_ADDITIONAL_DATA =
      define(0x4200FE, "AuthenticatedEncryptionAdditionalData");
  public static final Tag AUTHENTICATED_ENCRYPTION_TAG =
      define(0x4200FF, "AuthenticatedEncryptionTag");
  public static final Tag CORRELATION_VALUE = define(0x4200D6, "CorrelationValue");

  // Cosmian JSON TTLV only: the operation structures and Cosmian's tag extension.
  public static final Tag COSMIAN_CREATE = defineJsonOnly("Create");
  public static final Tag COSMIAN_CREATE_RESPONSE = defineJsonOnly("CreateResponse");
  public static final Tag COSMIAN_ENCRYPT = defineJsonOnly("Encrypt");
  public static final Tag COSMIAN_ENCRYPT_RESPONSE = defineJsonOnly("EncryptResponse");
  public static final Tag COSMIAN_DECRYPT = defineJsonOnly("Decrypt");
  public static final Tag COSMIAN_DECRYPT_RESPONSE = defineJsonOnly("DecryptResponse");
  public static final Tag COSMIAN_VENDOR_ATTRIBUTES = defineJsonOnly("VendorAttributes");

  static {
    // Cosmian's documentation spells this tag both ways; its Rust source uses "IVCounterNonce".
    BY_NAME.put("IvCounterNonce", IV_COUNTER_NONCE);
  }

  private Tags() {}

  public static Optional<Tag> byCode(int code) {
    return Optional.ofNullable(BY_CODE.get(code));
  }

  public static Optional<Tag> byName(String name) {
    return Optional.ofNullable(BY_NAME.get(name));
  }

  /** The known tag for {@code code}, or one named by its hex code. */
  public static Tag forCode(int code) {
    Tag known = BY_CODE.get(code);
    return known != null ? known : Tag.unnamed(code);
  }

  private static Tag define(int code, String name) {
    Tag tag = new Tag(code, name);
    if (BY_CODE.putIfAbsent(code, tag) != null || BY_NAME.putIfAbsent(name, tag) != null) {
      throw new ExceptionInInitializerError("duplicate tag " + tag);
    }
    return tag;
  }

  private static Tag defineJsonOnly(String name) {
    Tag tag = new Tag(Tag.NO_CODE, name);
    if (BY_NAME.putIfAbsent(name, tag) != null) {
      throw new ExceptionInInitializerError("duplicate tag " + tag);
    }
    return tag;
  }
}
