package dev.millrace.runtime.config;

import dev.millrace.crds.launch.EnvironmentVariable;
import java.util.List;
import java.util.stream.Collectors;

/**
 * The configuration reference of {@code docs/configuration.md}, rendered from the typed options and
 * variables themselves, so the document cannot drift from the code: a test compares the committed
 * document with what this renders.
 */
public final class ConfigurationReference {
  /** The line before the generated part of the document. */
  public static final String BEGIN =
      "<!-- generated from code by ConfigurationDocTest: edit the options, not this table -->";

  /** The line after the generated part of the document. */
  public static final String END = "<!-- end of generated reference -->";

  private ConfigurationReference() {}

  /** A markdown table of {@code options}: key, default, meaning. */
  public static String optionTable(List<ConfigOption<?>> options) {
    return "| Key | Default | Meaning |\n|---|---|---|\n"
        + options.stream()
            .map(o -> row(o.key(), o.defaultText(), o.description()))
            .collect(Collectors.joining());
  }

  /** A markdown table of {@code variables}: name, default, meaning. */
  public static String variableTable(List<EnvironmentVariable> variables) {
    return "| Variable | Default | Meaning |\n|---|---|---|\n"
        + variables.stream()
            .map(v -> row(v.name(), v.defaultText(), v.description()))
            .collect(Collectors.joining());
  }

  /** A section of the reference: a heading and the table of {@code options}. */
  public static String section(String heading, List<ConfigOption<?>> options) {
    return "### " + heading + "\n\n" + optionTable(options) + "\n";
  }

  /** A section of the reference: a heading and the table of {@code variables}. */
  public static String variableSection(String heading, List<EnvironmentVariable> variables) {
    return "### " + heading + "\n\n" + variableTable(variables) + "\n";
  }

  /**
   * The generated part of the reference: {@code sections} between {@link #BEGIN} and {@link #END}.
   */
  public static String render(List<String> sections) {
    return BEGIN + "\n\n" + String.join("", sections) + END + "\n";
  }

  private static String row(String name, String defaultText, String description) {
    return "| `" + name + "` | `" + defaultText + "` | " + description.replace("|", "\\|") + " |\n";
  }
}
