package dev.millrace.examples;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.millrace.crds.StreamingApp;
import dev.millrace.crds.validation.StreamingAppFiles;
import dev.millrace.crds.validation.Target;
import dev.millrace.streaming.StreamingApplication;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/** The specs in {@code examples/apps/} that the README tells users to run. */
class ExampleSpecsTest {

  @Test
  void everyExampleSpecIsValidForMillraceRunAndNamesAnExampleApplication() throws Exception {
    List<Path> specs;
    try (Stream<Path> files = Files.list(Path.of("apps"))) {
      specs = files.filter(p -> p.toString().endsWith(".yaml")).sorted().toList();
    }
    assertFalse(specs.isEmpty(), "no example specs in examples/apps");
    for (Path spec : specs) {
      StreamingApp app = StreamingAppFiles.readValid(spec, Target.LOCAL);
      Class<?> main = Class.forName(app.getSpec().getApplication().getMainClass());
      assertTrue(
          StreamingApplication.class.isAssignableFrom(main),
          spec + ": " + main + " is not a StreamingApplication");
    }
  }
}
