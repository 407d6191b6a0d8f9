package dev.millrace.runtime.backend.local;

import dev.millrace.crds.StreamingApp;
import dev.millrace.crds.validation.InvalidSpecException;
import dev.millrace.crds.validation.SpecViolation;
import dev.millrace.crds.validation.StreamingAppFiles;
import dev.millrace.crds.validation.Target;
import dev.millrace.runtime.driver.ApplicationCode;
import dev.millrace.runtime.driver.DriverConfigurationException;
import dev.millrace.runtime.logs.LogLimits;
import dev.millrace.runtime.logs.LogSettings;
import dev.millrace.streaming.ConfigurationException;
import io.fabric8.kubernetes.api.model.EnvVar;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * A validated spec made ready for this machine: relative paths (the checkpoint directory, plain jar
 * paths) resolved against the spec file's folder, and a run directory for its logs. The driver
 * reads the resolved copy, so it does not depend on the working directory of {@code millrace run}.
 */
final class LocalApp {
  private final StreamingApp resource;
  private final Path runDirectory;

  private LocalApp(StreamingApp resource, Path runDirectory) {
    this.resource = resource;
    this.runDirectory = runDirectory;
  }

  /**
   * Reads and validates {@code specFile}; {@code runDirectory} {@code null} means {@code
   * .millrace/<name>} in the working directory.
   *
   * @throws InvalidSpecException if the spec is not valid, or names a jar on this machine that is
   *     not there
   */
  static LocalApp load(Path specFile, Path runDirectory) {
    StreamingApp app = StreamingAppFiles.readValid(specFile, Target.LOCAL);
    Path base = specFile.toAbsolutePath().getParent();
    app.getSpec().getCheckpoint().setDir(resolve(base, app.getSpec().getCheckpoint().getDir()));
    List<String> jars = new ArrayList<>();
    List<SpecViolation> cannotRun = new ArrayList<>();
    List<String> written = app.getSpec().getApplication().getJars();
    for (int i = 0; i < written.size(); i++) {
      String jar = resolve(base, written.get(i));
      jars.add(jar);
      missingJar(specFile, i, written.get(i), jar).ifPresent(cannotRun::add);
    }
    badLogLimits("spec.driver.env", app.getSpec().getDriver().getEnv()).ifPresent(cannotRun::add);
    badLogLimits("spec.executor.env", app.getSpec().getExecutor().getEnv())
        .ifPresent(cannotRun::add);
    if (!cannotRun.isEmpty()) {
      // Refused before any JVM starts, rather than by every driver attempt in turn.
      throw new InvalidSpecException(specFile.toString(), cannotRun);
    }
    app.getSpec().getApplication().setJars(jars);
    Path dir =
        runDirectory != null
            ? runDirectory.toAbsolutePath()
            : Path.of(".millrace", app.getMetadata().getName()).toAbsolutePath();
    return new LocalApp(app, dir);
  }

  /** A violation if jar {@code index}, {@code resolved} from {@code written}, is not a file. */
  private static Optional<SpecViolation> missingJar(
      Path specFile, int index, String written, String resolved) {
    Optional<Path> local;
    try {
      local = ApplicationCode.localPathOf(resolved);
    } catch (DriverConfigurationException e) {
      return Optional.of(
          new SpecViolation("spec.application.jars[" + index + "]", written, e.getMessage()));
    }
    if (local.isEmpty() || Files.isRegularFile(local.get())) {
      return Optional.empty();
    }
    return Optional.of(
        new SpecViolation(
            "spec.application.jars[" + index + "]",
            written,
            "is not a file on this machine (looked for "
                + local.get()
                + ", relative paths are read from the folder of "
                + specFile.getFileName()
                + "); build the jar (e.g. mvn package) or correct the path"));
  }

  /**
   * A violation if the log limits or settings a process gets from this environment and {@code env}
   * of the spec's {@code field} are invalid.
   */
  private static Optional<SpecViolation> badLogLimits(String field, List<EnvVar> env) {
    Map<String, String> environment = new HashMap<>(System.getenv());
    environment.putAll(LocalProcess.environment(env));
    try {
      LogLimits.of(environment);
      LogSettings.of(environment);
      return Optional.empty();
    } catch (ConfigurationException e) {
      return Optional.of(new SpecViolation(field, "", e.getMessage()));
    }
  }

  /** {@code location} as written if it has a scheme, else a path resolved against {@code base}. */
  private static String resolve(Path base, String location) {
    if (location.contains("://") || location.startsWith("file:")) {
      return location;
    }
    return base.resolve(location).normalize().toString();
  }

  StreamingApp resource() {
    return resource;
  }

  String name() {
    return resource.getMetadata().getName();
  }

  Path runDirectory() {
    return runDirectory;
  }

  /** Where the driver reads the resolved spec. */
  Path specFile() {
    return runDirectory.resolve("spec.yaml");
  }

  /** Writes the resolved spec for the drivers, atomically. */
  void writeResolvedSpec() throws IOException {
    Files.createDirectories(runDirectory);
    Path temp = runDirectory.resolve(".spec.yaml.tmp");
    Files.writeString(temp, StreamingAppFiles.toYaml(resource), StandardCharsets.UTF_8);
    Files.move(temp, specFile(), StandardCopyOption.ATOMIC_MOVE);
  }
}
