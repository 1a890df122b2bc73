package io.github.s3eg.config;

/**
 * Bad configuration, found at start-up. The message is one line that names the setting, so the
 * operator can fix it without reading a stack trace.
 */
public final class ConfigurationException extends RuntimeException {

  private final String setting;

  public ConfigurationException(String setting, String problem) {
    super(setting + " " + problem);
    this.setting = setting;
  }

  public String setting() {
    return setting;
  }
}
