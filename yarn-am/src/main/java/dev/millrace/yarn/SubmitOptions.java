package dev.millrace.yarn;

import dev.millrace.crds.StreamingApp;
import dev.millrace.crds.YarnSpec;
import java.nio.file.Path;
import java.util.List;

/**
 * {@code millrace submit --master yarn [--queue Q] [--java-home DIR] [--am-memory M] [--wait]
 * app.yaml}. {@code --java-home} and {@code --am-memory} set {@code spec.yarn.javaHome} and {@code
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
   * Reads the options of {@code submit}.
   *
   * @throws IllegalArgumentException naming what is missing or unknown
   */
  static SubmitOptions parse(List<String> args) {
    String master = null;
    String queue = null;
    String javaHome = null;
    String amMemory = null;
    boolean await = false;
    Path spec = null;
    for (int i = 0; i < args.size(); i++) {
      switch (args.get(i)) {
        case "--master" -> master = value(args, i++);
        case "--queue" -> queue = value(args, i++);
        case "--java-home" -> javaHome = value(args, i++);
        case "--am-memory" -> amMemory = value(args, i++);
        case "--wait" -> await = true;
        default -> {
          if (args.get(i).startsWith("--") || spec != null) {
            throw new IllegalArgumentException("submit does not take '" + args.get(i) + "'");
          }
          spec = Path.of(args.get(i));
        }
      }
    }
    if (!"yarn".equals(master)) {
      throw new IllegalArgumentException(
          "submit needs --master yarn (got "
              + master
              + "); to run on this machine use 'millrace run app.yaml'");
    }
    if (spec == null) {
      throw new IllegalArgumentException(
          "submit needs the StreamingApp spec, e.g. submit --master yarn app.yaml");
    }
    return new SubmitOptions(spec, queue, javaHome, amMemory, await);
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

  private static String value(List<String> args, int i) {
    if (i + 1 >= args.size()) {
      throw new IllegalArgumentException(args.get(i) + " needs a value");
    }
    return args.get(i + 1);
  }
}
