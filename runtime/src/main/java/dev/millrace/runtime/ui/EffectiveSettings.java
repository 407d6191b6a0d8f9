package dev.millrace.runtime.ui;

import dev.millrace.runtime.config.ConfigOption;
import dev.millrace.runtime.config.StreamingOptions;
import dev.millrace.runtime.transport.TransportOptions;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * The settings a driver runs with, as its Configuration page shows them: every typed option with
 * its value (configured or default), and the other entries it was given (the {@code
 * millrace.hadoop.*} ones), whose values are hidden when their key names a secret.
 *
 * @param options every option of the registry, in the reference's order
 * @param others the configured entries that are no option, sorted by key
 */
public record EffectiveSettings(List<Setting> options, List<Setting> others) {
  /** Keys whose values are never shown: passwords, secrets, tokens, credentials, access keys. */
  private static final Pattern SECRET =
      Pattern.compile("(?i).*(password|secret|token|credential|access\\.key|session).*");

  /** What is shown instead of a secret's value. */
  static final String HIDDEN = "(hidden)";

  /**
   * One setting.
   *
   * @param key its key
   * @param value its value, {@value EffectiveSettings#HIDDEN} for a secret
   * @param defaultValue its default as the reference shows it, or null for an entry that is no
   *     option
   * @param configured whether the configuration sets it
   * @param description what it is for, or null
   */
  public record Setting(
      String key, String value, String defaultValue, boolean configured, String description) {}

  /** Copies the lists. */
  public EffectiveSettings {
    options = List.copyOf(options);
    others = List.copyOf(others);
  }

  /** The settings of a driver configured with {@code conf}. */
  public static EffectiveSettings of(Map<String, String> conf) {
    List<Setting> options = new ArrayList<>();
    Map<String, String> rest = new TreeMap<>(conf);
    Stream.concat(StreamingOptions.all().stream(), TransportOptions.limits().stream())
        .forEach(
            (ConfigOption<?> option) -> {
              String given = rest.remove(option.key());
              options.add(
                  new Setting(
                      option.key(),
                      given == null ? option.defaultText() : shown(option.key(), given),
                      option.defaultText(),
                      given != null,
                      option.description()));
            });
    List<Setting> others = new ArrayList<>();
    rest.forEach((key, value) -> others.add(new Setting(key, shown(key, value), null, true, null)));
    return new EffectiveSettings(options, others);
  }

  private static String shown(String key, String value) {
    return SECRET.matcher(key).matches() ? HIDDEN : value;
  }
}
