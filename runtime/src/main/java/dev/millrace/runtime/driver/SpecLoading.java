package dev.millrace.runtime.driver;

import dev.millrace.crds.StreamingApp;
import dev.millrace.crds.validation.InvalidSpecException;
import dev.millrace.crds.validation.StreamingAppFiles;
import dev.millrace.crds.validation.Target;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** Reads the StreamingApp a driver runs, with the one reader and validator every backend uses. */
final class SpecLoading {
  private SpecLoading() {}

  /**
   * The valid StreamingApp in the YAML file {@code file}. Backends validate for their own target
   * before launching; the driver checks what every target shares ({@link Target#LOCAL}), so a spec
   * handed to it directly is refused just as clearly.
   *
   * @throws DriverConfigurationException if the file cannot be read or holds no valid StreamingApp
   */
  static StreamingApp load(Path file) {
    if (!Files.isRegularFile(file)) {
      throw new DriverConfigurationException(
          "spec file " + file.toAbsolutePath() + " does not exist or is not a file");
    }
    try {
      return StreamingAppFiles.readValid(file, Target.LOCAL);
    } catch (InvalidSpecException e) {
      throw new DriverConfigurationException(e.getMessage(), e);
    } catch (UncheckedIOException e) {
      throw new DriverConfigurationException("cannot read spec file " + file + ": " + e, e);
    }
  }
}
