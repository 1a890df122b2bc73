package io.github.s3eg.keys;

/**
 * An invalid key-manager setting. The message starts with the setting's name and says what is
 * expected, e.g. {@code COSMIAN_KMS_TIMEOUT: '5x' is not a duration (e.g. 500ms, 5s, 1m)}; it never
 * contains secret values.
 */
public final class KeyManagerConfigException extends IllegalArgumentException {

  private final String setting;

  public KeyManagerConfigException(String setting, String problem) {
    super(setting + ": " + problem);
    this.setting = setting;
  }

  public KeyManagerConfigException(String setting, String problem, Throwable cause) {
    super(setting + ": " + problem, cause);
    this.setting = setting;
  }

  /** The name of the offending setting. */
  public String setting() {
    return setting;
  }
}
