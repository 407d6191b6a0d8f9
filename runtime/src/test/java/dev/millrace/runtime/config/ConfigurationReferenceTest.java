package dev.millrace.runtime.config;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

class ConfigurationReferenceTest {

  @Test
  void readmeConfigurationTableListsExactlyTheOptionsInCode() throws Exception {
    String readme = Files.readString(Path.of("..", "README.md"));
    String table = readme.substring(readme.indexOf("## Configuration"));
    table = table.substring(0, table.indexOf("\n## ", 1));
    Set<String> documented = new TreeSet<>();
    Matcher m = Pattern.compile("^\\| `(millrace\\.[^`]+)`", Pattern.MULTILINE).matcher(table);
    while (m.find()) {
      documented.add(m.group(1));
    }
    Set<String> inCode =
        StreamingOptions.all().stream()
            .map(ConfigOption::key)
            .collect(Collectors.toCollection(TreeSet::new));
    assertEquals(
        inCode,
        documented,
        "README.md's Configuration table must list every option in StreamingOptions");
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
