package dev.millrace.crds;

import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Default;
import io.fabric8.generator.annotation.Pattern;

/**
 * Kubernetes only: a Log4j 2 configuration file of the user's, in a ConfigMap of the application's
 * namespace, that replaces Millrace's default in the driver and executor pods (the operator mounts
 * it and names it in {@code LOG4J_CONFIGURATION_FILE}). Elsewhere a file on the machine does the
 * same: {@code LOG4J_CONFIGURATION_FILE} in {@code spec.driver.env} and {@code spec.executor.env}.
 * Levels and the JSON format need no file: {@code MILLRACE_LOG_LEVELS} and {@code
 * MILLRACE_LOG_FORMAT} in the same {@code env}.
 */
public class LoggingSpec {
  /** A ConfigMap key, as Kubernetes allows them. */
  public static final String KEY_PATTERN = "^[-._a-zA-Z0-9]+$";

  /** The key unless the spec names another. */
  public static final String DEFAULT_KEY = "log4j2.xml";

  @JsonPropertyDescription(
      "Kubernetes only: the ConfigMap (in the app's namespace) holding a Log4j 2 configuration that replaces Millrace's default in the driver and executor pods.")
  private String configMap;

  @JsonPropertyDescription(
      "The ConfigMap's key holding the file; its extension says its format (.xml, .properties, .yaml, .json).")
  @Default(DEFAULT_KEY)
  @Pattern(KEY_PATTERN)
  private String key = DEFAULT_KEY;

  /**
   * Kubernetes only: the ConfigMap holding a Log4j 2 configuration that replaces Millrace's
   * default; {@code null} for the default.
   */
  public String getConfigMap() {
    return configMap;
  }

  /** Sets {@link #getConfigMap()}. */
  public void setConfigMap(String configMap) {
    this.configMap = configMap;
  }

  /** The ConfigMap's key holding the file; its extension says its format. */
  public String getKey() {
    return key;
  }

  /** Sets {@link #getKey()}. */
  public void setKey(String key) {
    this.key = key;
  }
}
