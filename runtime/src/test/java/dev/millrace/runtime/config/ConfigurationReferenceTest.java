package dev.millrace.runtime.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.millrace.runtime.transport.TransportOptions;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

class ConfigurationReferenceTest {

  @Test
  void theConfigurationReferenceListsExactlyTheOptionsInCodeAndReadmeLinksIt() throws Exception {
    String reference = Files.readString(Path.of("..", "docs", "configuration.md"));
    Set<String> documented = new TreeSet<>();
    Matcher m = Pattern.compile("^\\| `(millrace\\.[^`]+)`", Pattern.MULTILINE).matcher(reference);
    while (m.find()) {
      documented.add(m.group(1));
    }
    Set<String> inCode =
        Stream.concat(StreamingOptions.all().stream(), TransportOptions.limits().stream())
            .map(ConfigOption::key)
            .collect(Collectors.toCollection(TreeSet::new));
    assertEquals(
        inCode,
        documented,
        "docs/configuration.md must list every option in StreamingOptions and TransportOptions");
    String readme = Files.readString(Path.of("..", "README.md"));
    String section = readme.substring(readme.indexOf("## Configuration"));
    section = section.substring(0, section.indexOf("\n## ", 1));
    assertTrue(
        section.contains("(docs/configuration.md)"),
        "README.md's Configuration section must link the reference");
  }

  @Test
  void everyOptionHasADescriptionAndADefaultToShow() {
    for (ConfigOption<?> option :
        Stream.concat(StreamingOptions.all().stream(), TransportOptions.limits().stream())
            .toList()) {
      assertTrue(!option.description().isBlank(), option.key());
      assertTrue(
          option.defaultText() != null && !option.defaultText().equals("null"), option.key());
    }
  }

  @Test
  void invalidValueNamesTheKeyTheValueAndWhatItIsFor() {
    IllegalArgumentException e =
        org.junit.jupiter.api.Assertions.assertThrows(
            IllegalArgumentException.class,
            () ->
                StreamingOptions.GRACEFUL_STOP_TIMEOUT.read(
                    java.util.Map.of("millrace.stop.graceful-timeout", "soon")));
    String msg = e.getMessage();
    org.junit.jupiter.api.Assertions.assertTrue(
        msg.contains("millrace.stop.graceful-timeout=soon") && msg.contains("500ms"), msg);
  }
}
