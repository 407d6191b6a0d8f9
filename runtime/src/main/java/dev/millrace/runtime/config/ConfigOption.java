package dev.millrace.runtime.config;

import dev.millrace.streaming.ConfigurationException;
import java.util.Map;
import java.util.function.Function;

/**
 * One setting: its key, default and description in one place, so the configuration reference is
 * generated from code and never drifts from it.
 *
 * @param key the key, e.g. {@code millrace.stop.graceful-timeout}
 * @param defaultValue used when the key is not set; null when the default is derived elsewhere
 * @param defaultText the default as the reference shows it: the value as written in a
 *     configuration, or how a derived default is found
 * @param description one sentence for the reference table
 * @param parser turns the configured text into a value, throwing on bad input
 * @param <T> value type
 */
public record ConfigOption<T>(
    String key,
    T defaultValue,
    String defaultText,
    String description,
    Function<String, T> parser) {

  /** An option whose default is shown as {@code defaultValue} is written. */
  public ConfigOption(String key, T defaultValue, String description, Function<String, T> parser) {
    this(key, defaultValue, String.valueOf(defaultValue), description, parser);
  }

  /** The configured value in {@code conf}, or the default. */
  public T read(Map<String, String> conf) {
    String text = conf.get(key);
    if (text == null) {
      return defaultValue;
    }
    try {
      return parser.apply(text.trim());
    } catch (RuntimeException e) {
      throw new ConfigurationException(
          "configuration "
              + key
              + "="
              + text
              + " is not valid: "
              + e.getMessage()
              + ". "
              + description,
          e);
    }
  }
}
