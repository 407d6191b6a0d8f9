package dev.millrace.yarn;

import dev.millrace.crds.StreamingApp;
import dev.millrace.crds.YarnSpec;
import dev.millrace.runtime.cli.SubmitFlags;
import dev.millrace.runtime.launch.Flags;
import dev.millrace.runtime.launch.UsageException;
import java.nio.file.Path;
import java.util.List;

/**
 * {@code millrace submit --master yarn app.yaml} with the flags {@link SubmitFlags} declares.
 * {@code --java-home} and {@code --am-memory} set {@code spec.yarn.javaHome} and {@code
 * spec.yarn.amMemory} of the submitted spec: the Java home is the cluster's to know more than the
 * application's, so a flag keeps it out of a spec that also runs elsewhere.
 *
 * @param spec the StreamingApp file
 * @param queue the YARN queue, or null for the cluster's default
 * @param javaHome replaces {@code spec.yarn.javaHome}, or null to keep the spec's
 * @param amMemory replaces {@code spec.yarn.amMemory}, or null to keep the spec's
 * @param await whether to follow the application until it ends
 */
record SubmitOptions(Path spec, String queue, String javaHome, String amMemory, boolean await) {

  /** Submits {@code spec} as it is, to the default queue, without waiting. */
  static SubmitOptions of(Path spec) {
    return new SubmitOptions(spec, null, null, null, false);
  }

  /**
   * Reads the options of {@code submit}, as {@link SubmitFlags} declares them.
   *
   * @throws IllegalArgumentException naming what is missing or unknown (a {@link UsageException})
   */
  static SubmitOptions parse(List<String> args) {
    SubmitFlags flags = Flags.parse(new SubmitFlags(), args);
    if (!"yarn".equals(flags.master)) {
      throw new UsageException(
          "submit needs --master yarn (got "
              + flags.master
              + "); to run on this machine use 'millrace run app.yaml'");
    }
    return new SubmitOptions(flags.spec, flags.queue, flags.javaHome, flags.amMemory, flags.await);
  }

  /** Whether a flag replaces a field of the spec. */
  boolean overridesSpec() {
    return javaHome != null || amMemory != null;
  }

  /** Sets the spec fields the flags replace. */
  void applyTo(StreamingApp app) {
    if (!overridesSpec()) {
      return;
    }
    if (app.getSpec().getYarn() == null) {
      app.getSpec().setYarn(new YarnSpec());
    }
    if (javaHome != null) {
      app.getSpec().getYarn().setJavaHome(javaHome);
    }
    if (amMemory != null) {
      app.getSpec().getYarn().setAmMemory(amMemory);
    }
  }
}
