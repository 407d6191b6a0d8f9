package dev.millrace.runtime.driver;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import dev.millrace.crds.StreamingApp;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** Reads the StreamingApp a driver runs. */
final class SpecLoading {
  private SpecLoading() {}

  /**
   * The StreamingApp in the YAML file {@code file}.
   *
   * @throws DriverConfigurationException if the file cannot be read or holds no StreamingApp
   */
  static StreamingApp load(Path file) {
    if (!Files.isRegularFile(file)) {
      throw new DriverConfigurationException(
          "spec file " + file.toAbsolutePath() + " does not exist or is not a file");
    }
    StreamingApp app;
    try {
      app = new ObjectMapper(new YAMLFactory()).readValue(file.toFile(), StreamingApp.class);
    } catch (JsonProcessingException e) {
      throw new DriverConfigurationException(
          "spec file "
              + file
              + " is not a StreamingApp: "
              + e.getOriginalMessage()
              + (e.getLocation() == null ? "" : " (line " + e.getLocation().getLineNr() + ")"),
          e);
    } catch (IOException e) {
      throw new DriverConfigurationException("cannot read spec file " + file + ": " + e, e);
    }
    if (app == null || app.getSpec() == null) {
      throw new DriverConfigurationException("spec file " + file + " holds no StreamingApp spec");
    }
    return app;
  }
}
