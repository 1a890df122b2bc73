package io.github.s3eg.keys.ttlv;

import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;

/**
 * The enumeration table: values of the KMIP 1.x/2.0 enumerations this codebase uses, with their
 * wire value (cross-checked against PyKMIP 0.10's {@code enums}) and the JSON name. Values outside
 * the table still decode; they are written in JSON as {@code 0x0000000A}, as the KMIP JSON profile
 * allows.
 */
public final class KmipEnums {

  /** KMIP operations: those our requests name and those a Query answer may list. */
  public enum Operation implements KmipEnumeration {
    CREATE(0x01, "Create"),
    CREATE_KEY_PAIR(0x02, "CreateKeyPair"),
    REGISTER(0x03, "Register"),
    REKEY(0x04, "ReKey"),
    DERIVE_KEY(0x05, "DeriveKey"),
    LOCATE(0x08, "Locate"),
    CHECK(0x09, "Check"),
    GET(0x0A, "Get"),
    GET_ATTRIBUTES(0x0B, "GetAttributes"),
    GET_ATTRIBUTE_LIST(0x0C, "GetAttributeList"),
    ADD_ATTRIBUTE(0x0D, "AddAttribute"),
    MODIFY_ATTRIBUTE(0x0E, "ModifyAttribute"),
    DELETE_ATTRIBUTE(0x0F, "DeleteAttribute"),
    ACTIVATE(0x12, "Activate"),
    REVOKE(0x13, "Revoke"),
    DESTROY(0x14, "Destroy"),
    ARCHIVE(0x15, "Archive"),
    RECOVER(0x16, "Recover"),
    QUERY(0x18, "Query"),
    DISCOVER_VERSIONS(0x1E, "DiscoverVersions"),
    ENCRYPT(0x1F, "Encrypt"),
    DECRYPT(0x20, "Decrypt"),
    SIGN(0x21, "Sign"),
    SIGNATURE_VERIFY(0x22, "SignatureVerify"),
    MAC(0x23, "MAC"),
    MAC_VERIFY(0x24, "MACVerify"),
    SET_ATTRIBUTE(0x31, "SetAttribute");

    private final int value;
    private final String jsonName;

    Operation(int value, String jsonName) {
      this.value = value;
      this.jsonName = jsonName;
    }

    @Override
    public int value() {
      return value;
    }

    @Override
    public String jsonName() {
      return jsonName;
    }
  }

  /** Outcome of one batch item. */
  public enum ResultStatus implements KmipEnumeration {
    SUCCESS(0x00, "Success"),
    OPERATION_FAILED(0x01, "OperationFailed"),
    OPERATION_PENDING(0x02, "OperationPending"),
    OPERATION_UNDONE(0x03, "OperationUndone");

    private final int value;
    private final String jsonName;

    ResultStatus(int value, String jsonName) {
      this.value = value;
      this.jsonName = jsonName;
    }

    @Override
    public int value() {
      return value;
    }

    @Override
    public String jsonName() {
      return jsonName;
    }
  }

  /** Why a batch item failed. */
  public enum ResultReason implements KmipEnumeration {
    ITEM_NOT_FOUND(0x01, "ItemNotFound"),
    RESPONSE_TOO_LARGE(0x02, "ResponseTooLarge"),
    AUTHENTICATION_NOT_SUCCESSFUL(0x03, "AuthenticationNotSuccessful"),
    INVALID_MESSAGE(0x04, "InvalidMessage"),
    OPERATION_NOT_SUPPORTED(0x05, "OperationNotSupported"),
    MISSING_DATA(0x06, "MissingData"),
    INVALID_FIELD(0x07, "InvalidField"),
    FEATURE_NOT_SUPPORTED(0x08, "FeatureNotSupported"),
    OPERATION_CANCELED_BY_REQUESTER(0x09, "OperationCanceledByRequester"),
    CRYPTOGRAPHIC_FAILURE(0x0A, "CryptographicFailure"),
    ILLEGAL_OPERATION(0x0B, "IllegalOperation"),
    PERMISSION_DENIED(0x0C, "PermissionDenied"),
    OBJECT_ARCHIVED(0x0D, "ObjectArchived"),
    INDEX_OUT_OF_BOUNDS(0x0E, "IndexOutOfBounds"),
    APPLICATION_NAMESPACE_NOT_SUPPORTED(0x0F, "ApplicationNamespaceNotSupported"),
    KEY_FORMAT_TYPE_NOT_SUPPORTED(0x10, "KeyFormatTypeNotSupported"),
    KEY_COMPRESSION_TYPE_NOT_SUPPORTED(0x11, "KeyCompressionTypeNotSupported"),
    ENCODING_OPTION_ERROR(0x12, "EncodingOptionError"),
    KEY_VALUE_NOT_PRESENT(0x13, "KeyValueNotPresent"),
    ATTESTATION_REQUIRED(0x14, "AttestationRequired"),
    ATTESTATION_FAILED(0x15, "AttestationFailed"),
    SENSITIVE(0x16, "Sensitive"),
    NOT_EXTRACTABLE(0x17, "NotExtractable"),
    OBJECT_ALREADY_EXISTS(0x18, "ObjectAlreadyExists"),
    INVALID_TICKET(0x19, "InvalidTicket"),
    USAGE_LIMIT_EXCEEDED(0x1A, "UsageLimitExceeded"),
    NUMERIC_RANGE(0x1B, "NumericRange"),
    INVALID_DATA_TYPE(0x1C, "InvalidDataType"),
    READ_ONLY_ATTRIBUTE(0x1D, "ReadOnlyAttribute"),
    MULTI_VALUED_ATTRIBUTE(0x1E, "MultiValuedAttribute"),
    UNSUPPORTED_ATTRIBUTE(0x1F, "UnsupportedAttribute"),
    ATTRIBUTE_INSTANCE_NOT_FOUND(0x20, "AttributeInstanceNotFound"),
    ATTRIBUTE_NOT_FOUND(0x21, "AttributeNotFound"),
    ATTRIBUTE_READ_ONLY(0x22, "AttributeReadOnly"),
    ATTRIBUTE_SINGLE_VALUED(0x23, "AttributeSingleValued"),
    BAD_CRYPTOGRAPHIC_PARAMETERS(0x24, "BadCryptographicParameters"),
    BAD_PASSWORD(0x25, "BadPassword"),
    CODEC_ERROR(0x26, "CodecError"),
    ILLEGAL_OBJECT_TYPE(0x28, "IllegalObjectType"),
    INCOMPATIBLE_CRYPTOGRAPHIC_USAGE_MASK(0x29, "IncompatibleCryptographicUsageMask"),
    INTERNAL_SERVER_ERROR(0x2A, "InternalServerError"),
    INVALID_ASYNCHRONOUS_CORRELATION_VALUE(0x2B, "InvalidAsynchronousCorrelationValue"),
    INVALID_ATTRIBUTE(0x2C, "InvalidAttribute"),
    INVALID_ATTRIBUTE_VALUE(0x2D, "InvalidAttributeValue"),
    INVALID_CORRELATION_VALUE(0x2E, "InvalidCorrelationValue"),
    INVALID_CSR(0x2F, "InvalidCSR"),
    INVALID_OBJECT_TYPE(0x30, "InvalidObjectType"),
    KEY_WRAP_TYPE_NOT_SUPPORTED(0x32, "KeyWrapTypeNotSupported"),
    MISSING_INITIALIZATION_VECTOR(0x34, "MissingInitializationVector"),
    NON_UNIQUE_NAME_ATTRIBUTE(0x35, "NonUniqueNameAttribute"),
    OBJECT_DESTROYED(0x36, "ObjectDestroyed"),
    OBJECT_NOT_FOUND(0x37, "ObjectNotFound"),
    NOT_AUTHORISED(0x39, "NotAuthorised"),
    SERVER_LIMIT_EXCEEDED(0x3A, "ServerLimitExceeded"),
    UNKNOWN_ENUMERATION(0x3B, "UnknownEnumeration"),
    UNKNOWN_MESSAGE_EXTENSION(0x3C, "UnknownMessageExtension"),
    UNKNOWN_TAG(0x3D, "UnknownTag"),
    UNSUPPORTED_CRYPTOGRAPHIC_PARAMETERS(0x3E, "UnsupportedCryptographicParameters"),
    UNSUPPORTED_PROTOCOL_VERSION(0x3F, "UnsupportedProtocolVersion"),
    WRONG_KEY_LIFECYCLE_STATE(0x43, "WrongKeyLifecycleState"),
    GENERAL_FAILURE(0x100, "GeneralFailure");

    private final int value;
    private final String jsonName;

    ResultReason(int value, String jsonName) {
      this.value = value;
      this.jsonName = jsonName;
    }

    @Override
    public int value() {
      return value;
    }

    @Override
    public String jsonName() {
      return jsonName;
    }
  }

  /** Kinds of managed objects. */
  public enum ObjectType implements KmipEnumeration {
    CERTIFICATE(0x01, "Certificate"),
    SYMMETRIC_KEY(0x02, "SymmetricKey"),
    PUBLIC_KEY(0x03, "PublicKey"),
    PRIVATE_KEY(0x04, "PrivateKey"),
    SPLIT_KEY(0x05, "SplitKey"),
    TEMPLATE(0x06, "Template"),
    SECRET_DATA(0x07, "SecretData"),
    OPAQUE_OBJECT(0x08, "OpaqueObject"),
    PGP_KEY(0x09, "PGPKey"),
    CERTIFICATE_REQUEST(0x0A, "CertificateRequest");

    private final int value;
    private final String jsonName;

    ObjectType(int value, String jsonName) {
      this.value = value;
      this.jsonName = jsonName;
    }

    @Override
    public int value() {
      return value;
    }

    @Override
    public String jsonName() {
      return jsonName;
    }
  }

  /** Algorithms (the subset this codebase names; others decode by value). */
  public enum CryptographicAlgorithm implements KmipEnumeration {
    AES(0x03, "AES"),
    RSA(0x04, "RSA"),
    DSA(0x05, "DSA"),
    ECDSA(0x06, "ECDSA"),
    EC(0x1A, "EC"),
    CHACHA20(0x1C, "ChaCha20"),
    CHACHA20_POLY1305(0x1E, "ChaCha20Poly1305");

    private final int value;
    private final String jsonName;

    CryptographicAlgorithm(int value, String jsonName) {
      this.value = value;
      this.jsonName = jsonName;
    }

    @Override
    public int value() {
      return value;
    }

    @Override
    public String jsonName() {
      return jsonName;
    }
  }

  /** Block cipher modes of Cryptographic Parameters. */
  public enum BlockCipherMode implements KmipEnumeration {
    CBC(0x01, "CBC"),
    ECB(0x02, "ECB"),
    PCBC(0x03, "PCBC"),
    CFB(0x04, "CFB"),
    OFB(0x05, "OFB"),
    CTR(0x06, "CTR"),
    CMAC(0x07, "CMAC"),
    CCM(0x08, "CCM"),
    GCM(0x09, "GCM"),
    CBC_MAC(0x0A, "CBCMAC"),
    XTS(0x0B, "XTS"),
    AES_KEY_WRAP_PADDING(0x0C, "AESKeyWrapPadding"),
    NIST_KEY_WRAP(0x0D, "NISTKeyWrap"),
    AEAD(0x12, "AEAD");

    private final int value;
    private final String jsonName;

    BlockCipherMode(int value, String jsonName) {
      this.value = value;
      this.jsonName = jsonName;
    }

    @Override
    public int value() {
      return value;
    }

    @Override
    public String jsonName() {
      return jsonName;
    }
  }

  /** Padding methods of Cryptographic Parameters. */
  public enum PaddingMethod implements KmipEnumeration {
    NONE(0x01, "None"),
    OAEP(0x02, "OAEP"),
    PKCS5(0x03, "PKCS5"),
    SSL3(0x04, "SSL3"),
    ZEROS(0x05, "Zeros"),
    ANSI_X923(0x06, "ANSIX923"),
    ISO_10126(0x07, "ISO10126"),
    PKCS1_V1_5(0x08, "PKCS1v15"),
    X931(0x09, "X931"),
    PSS(0x0A, "PSS");

    private final int value;
    private final String jsonName;

    PaddingMethod(int value, String jsonName) {
      this.value = value;
      this.jsonName = jsonName;
    }

    @Override
    public int value() {
      return value;
    }

    @Override
    public String jsonName() {
      return jsonName;
    }
  }

  /** Key formats (the subset this codebase names). */
  public enum KeyFormatType implements KmipEnumeration {
    RAW(0x01, "Raw"),
    OPAQUE(0x02, "Opaque"),
    PKCS1(0x03, "PKCS1"),
    PKCS8(0x04, "PKCS8"),
    X509(0x05, "X509"),
    EC_PRIVATE_KEY(0x06, "ECPrivateKey"),
    TRANSPARENT_SYMMETRIC_KEY(0x07, "TransparentSymmetricKey");

    private final int value;
    private final String jsonName;

    KeyFormatType(int value, String jsonName) {
      this.value = value;
      this.jsonName = jsonName;
    }

    @Override
    public int value() {
      return value;
    }

    @Override
    public String jsonName() {
      return jsonName;
    }
  }

  /** Kinds of Name attribute values. */
  public enum NameType implements KmipEnumeration {
    UNINTERPRETED_TEXT_STRING(0x01, "UninterpretedTextString"),
    URI(0x02, "URI");

    private final int value;
    private final String jsonName;

    NameType(int value, String jsonName) {
      this.value = value;
      this.jsonName = jsonName;
    }

    @Override
    public int value() {
      return value;
    }

    @Override
    public String jsonName() {
      return jsonName;
    }
  }

  /** Lifecycle states of a managed object. */
  public enum State implements KmipEnumeration {
    PRE_ACTIVE(0x01, "PreActive"),
    ACTIVE(0x02, "Active"),
    DEACTIVATED(0x03, "Deactivated"),
    COMPROMISED(0x04, "Compromised"),
    DESTROYED(0x05, "Destroyed"),
    DESTROYED_COMPROMISED(0x06, "DestroyedCompromised");

    private final int value;
    private final String jsonName;

    State(int value, String jsonName) {
      this.value = value;
      this.jsonName = jsonName;
    }

    @Override
    public int value() {
      return value;
    }

    @Override
    public String jsonName() {
      return jsonName;
    }
  }

  /** Why an object is revoked. */
  public enum RevocationReasonCode implements KmipEnumeration {
    UNSPECIFIED(0x01, "Unspecified"),
    KEY_COMPROMISE(0x02, "KeyCompromise"),
    CA_COMPROMISE(0x03, "CACompromise"),
    AFFILIATION_CHANGED(0x04, "AffiliationChanged"),
    SUPERSEDED(0x05, "Superseded"),
    CESSATION_OF_OPERATION(0x06, "CessationOfOperation"),
    PRIVILEGE_WITHDRAWN(0x07, "PrivilegeWithdrawn");

    private final int value;
    private final String jsonName;

    RevocationReasonCode(int value, String jsonName) {
      this.value = value;
      this.jsonName = jsonName;
    }

    @Override
    public int value() {
      return value;
    }

    @Override
    public String jsonName() {
      return jsonName;
    }
  }

  /** What a Query asks for. */
  public enum QueryFunction implements KmipEnumeration {
    QUERY_OPERATIONS(0x01, "QueryOperations"),
    QUERY_OBJECTS(0x02, "QueryObjects"),
    QUERY_SERVER_INFORMATION(0x03, "QueryServerInformation"),
    QUERY_APPLICATION_NAMESPACES(0x04, "QueryApplicationNamespaces"),
    QUERY_EXTENSION_LIST(0x05, "QueryExtensionList"),
    QUERY_EXTENSION_MAP(0x06, "QueryExtensionMap");

    private final int value;
    private final String jsonName;

    QueryFunction(int value, String jsonName) {
      this.value = value;
      this.jsonName = jsonName;
    }

    @Override
    public int value() {
      return value;
    }

    @Override
    public String jsonName() {
      return jsonName;
    }
  }

  /** What a server does after a failed batch item. */
  public enum BatchErrorContinuationOption implements KmipEnumeration {
    CONTINUE(0x01, "Continue"),
    STOP(0x02, "Stop"),
    UNDO(0x03, "Undo");

    private final int value;
    private final String jsonName;

    BatchErrorContinuationOption(int value, String jsonName) {
      this.value = value;
      this.jsonName = jsonName;
    }

    @Override
    public int value() {
      return value;
    }

    @Override
    public String jsonName() {
      return jsonName;
    }
  }

  private static final Map<Integer, KmipEnumeration[]> BY_TAG =
      Map.ofEntries(
          Map.entry(Tags.OPERATION.code(), Operation.values()),
          Map.entry(Tags.RESULT_STATUS.code(), ResultStatus.values()),
          Map.entry(Tags.RESULT_REASON.code(), ResultReason.values()),
          Map.entry(Tags.OBJECT_TYPE.code(), ObjectType.values()),
          Map.entry(Tags.CRYPTOGRAPHIC_ALGORITHM.code(), CryptographicAlgorithm.values()),
          Map.entry(Tags.BLOCK_CIPHER_MODE.code(), BlockCipherMode.values()),
          Map.entry(Tags.PADDING_METHOD.code(), PaddingMethod.values()),
          Map.entry(Tags.KEY_FORMAT_TYPE.code(), KeyFormatType.values()),
          Map.entry(Tags.NAME_TYPE.code(), NameType.values()),
          Map.entry(Tags.STATE.code(), State.values()),
          Map.entry(Tags.REVOCATION_REASON_CODE.code(), RevocationReasonCode.values()),
          Map.entry(Tags.QUERY_FUNCTION.code(), QueryFunction.values()),
          Map.entry(
              Tags.BATCH_ERROR_CONTINUATION_OPTION.code(), BatchErrorContinuationOption.values()));

  private KmipEnums() {}

  /** The JSON name of {@code value} for an enumeration item tagged {@code tag}, if known. */
  public static Optional<String> nameOf(Tag tag, int value) {
    KmipEnumeration[] table = BY_TAG.get(tag.code());
    if (table == null || !tag.hasBinaryCode()) {
      return Optional.empty();
    }
    for (KmipEnumeration entry : table) {
      if (entry.value() == value) {
        return Optional.of(entry.jsonName());
      }
    }
    return Optional.empty();
  }

  /** The wire value named {@code name} for an enumeration item tagged {@code tag}, if known. */
  public static OptionalInt valueOf(Tag tag, String name) {
    KmipEnumeration[] table = BY_TAG.get(tag.code());
    if (table == null || !tag.hasBinaryCode()) {
      return OptionalInt.empty();
    }
    for (KmipEnumeration entry : table) {
      if (entry.jsonName().equals(name)) {
        return OptionalInt.of(entry.value());
      }
    }
    return OptionalInt.empty();
  }

  /** The constant of {@code type} with wire value {@code value}, if any. */
  public static <E extends Enum<E> & KmipEnumeration> Optional<E> fromValue(
      Class<E> type, int value) {
    for (E constant : type.getEnumConstants()) {
      if (constant.value() == value) {
        return Optional.of(constant);
      }
    }
    return Optional.empty();
  }
}
