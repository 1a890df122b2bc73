package io.github.s3eg.keys;

/**
 * The names of the key-manager settings ({@code KEY_MANAGER_*}, {@code COSMIAN_KMS_*}, …): read by
 * {@code config.EncryptionConfig} and interpreted by {@link KeyManagerFactory}. They live with the
 * key managers; the configuration reads them.
 */
public final class KeyManagerSettingNames {

  public static final String ENABLED = "KEY_MANAGER_ENABLED";
  public static final String PROVIDER = "KEY_MANAGER_PROVIDER";
  public static final String DUAL_READ_WINDOW = "KEY_MANAGER_DUAL_READ_WINDOW";
  public static final String ACTIVE_VERSION = "KEY_MANAGER_ACTIVE_VERSION";
  public static final String CACHE_TTL = "KEY_MANAGER_CACHE_TTL";
  public static final String CACHE_MAX_ENTRIES = "KEY_MANAGER_CACHE_MAX_ENTRIES";
  public static final String ENDPOINT = "COSMIAN_KMS_ENDPOINT";
  public static final String TIMEOUT = "COSMIAN_KMS_TIMEOUT";
  public static final String KEYS = "COSMIAN_KMS_KEYS";
  public static final String CA_CERT = "COSMIAN_KMS_CA_CERT";
  public static final String CLIENT_CERT = "COSMIAN_KMS_CLIENT_CERT";
  public static final String CLIENT_KEY = "COSMIAN_KMS_CLIENT_KEY";
  public static final String KMIP_PROTOCOL_VERSION = "KMIP_PROTOCOL_VERSION";
  public static final String KEYRING_FILE = "KEYRING_FILE";

  private KeyManagerSettingNames() {}
}
