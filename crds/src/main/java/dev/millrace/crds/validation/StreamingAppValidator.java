package dev.millrace.crds.validation;

import static dev.millrace.crds.validation.SpecViolation.MISSING;

import dev.millrace.crds.ApplicationSpec;
import dev.millrace.crds.BackoffSpec;
import dev.millrace.crds.CheckpointSpec;
import dev.millrace.crds.DriverSpec;
import dev.millrace.crds.ExecutorSpec;
import dev.millrace.crds.HealthCheckSpec;
import dev.millrace.crds.LoggingSpec;
import dev.millrace.crds.RestartPolicySpec;
import dev.millrace.crds.SpecDurations;
import dev.millrace.crds.SpecMemory;
import dev.millrace.crds.StreamingApp;
import dev.millrace.crds.StreamingAppSpec;
import dev.millrace.crds.YarnSpec;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.ObjectMeta;
import java.net.URI;
import java.net.URISyntaxException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The one check of a {@link StreamingApp} before it runs, used by every backend with its {@link
 * Target}: each violation names the field, the value and the rule, and all of them are reported at
 * once.
 *
 * <p>{@code apiVersion} and {@code kind} are fixed by the {@link StreamingApp} class, so {@link
 * StreamingAppFiles} checks them where they can be wrong: in a file. Keys of {@code
 * spec.application.conf} other than the ones the spec owns are the runtime's to check.
 */
public final class StreamingAppValidator {
  /** Pod names are {@code <name>-driver-<attempt>}; Kubernetes allows 63 characters. */
  private static final int MAX_NAME_LENGTH = 45;

  // A DNS-1035 label rather than the looser DNS-1123 one: the operator names a Service after the
  // application, and Kubernetes requires Service names to start with a letter.
  private static final Pattern DNS_1035_LABEL = Pattern.compile("[a-z]([-a-z0-9]*[a-z0-9])?");

  // Two letters at least, so that a Windows drive (C:\app.jar) reads as a path.
  private static final Pattern URI_SCHEME = Pattern.compile("^([A-Za-z][A-Za-z0-9+.-]+):");

  private static final Set<String> JAR_SCHEMES = Set.of("local", "file", "hdfs", "s3a");

  // Kubernetes' rule for variable names; every process environment takes them as well.
  private static final Pattern ENV_NAME = Pattern.compile("[-._a-zA-Z][-._a-zA-Z0-9]*");

  private static final Pattern CONFIG_MAP_NAME = Pattern.compile("[a-z0-9]([-a-z0-9.]*[a-z0-9])?");

  private static final Pattern DURATION = Pattern.compile(SpecDurations.PATTERN);

  private static final Pattern MEMORY = Pattern.compile(SpecMemory.PATTERN);

  private static final Duration MIN_BATCH_INTERVAL = Duration.ofMillis(10);

  private static final String MIN_MEMORY = "256Mi";

  private static final Map<String, String> CONF_KEYS_OF_SPEC_FIELDS =
      Map.of(
          "millrace.checkpoint.dir", "spec.checkpoint.dir",
          "millrace.checkpoint.interval", "spec.checkpoint.interval",
          "millrace.checkpoint.retain", "spec.checkpoint.retain",
          "millrace.stop.graceful-timeout", "spec.gracefulStopTimeout");

  private static final String DURATION_RULE =
      "must be a duration: a whole number and a unit (ms, s, m or h), e.g. 500ms, 10s or 5m";

  private final Target target;
  private final List<SpecViolation> violations = new ArrayList<>();

  private StreamingAppValidator(Target target) {
    this.target = Objects.requireNonNull(target, "target");
  }

  /** Every violation of {@code app} for {@code target}, in document order; empty if it is valid. */
  public static List<SpecViolation> validate(StreamingApp app, Target target) {
    Objects.requireNonNull(app, "app");
    StreamingAppValidator validator = new StreamingAppValidator(target);
    validator.checkMetadata(app.getMetadata());
    validator.checkSpec(app.getSpec());
    return List.copyOf(validator.violations);
  }

  /**
   * Returns {@code app} if it is valid for {@code target}.
   *
   * @param source where the spec came from, for the message: a file name, {@code <stdin>}, or a
   *     resource's namespace/name
   * @throws InvalidSpecException listing every violation
   */
  public static StreamingApp requireValid(StreamingApp app, Target target, String source) {
    List<SpecViolation> found = validate(app, target);
    if (!found.isEmpty()) {
      throw new InvalidSpecException(source, found);
    }
    return app;
  }

  private void checkMetadata(ObjectMeta metadata) {
    if (!present("metadata", metadata)) {
      return;
    }
    String name = metadata.getName();
    if (name == null || name.isEmpty()) {
      add("metadata.name", shown(name), "is required: the application's name, e.g. word-count");
    } else if (!DNS_1035_LABEL.matcher(name).matches()) {
      add(
          "metadata.name",
          name,
          "must be a DNS-1035 label: lowercase letters, digits and '-', starting with a letter"
              + " and ending with a letter or digit (it names the application's pods and"
              + " service)");
    } else if (name.length() > MAX_NAME_LENGTH) {
      add(
          "metadata.name",
          name,
          "is "
              + name.length()
              + " characters long; at most "
              + MAX_NAME_LENGTH
              + " fit, so that pod names <name>-driver-<attempt> stay within Kubernetes' 63");
    }
  }

  private void checkSpec(StreamingAppSpec spec) {
    if (!present("spec", spec)) {
      return;
    }
    if (target == Target.KUBERNETES) {
      if (spec.getImage() == null || spec.getImage().isBlank()) {
        add(
            "spec.image",
            shown(spec.getImage()),
            "is required on Kubernetes: the container image with the Millrace runtime and the"
                + " application");
      }
      present("spec.imagePullPolicy", spec.getImagePullPolicy());
    }
    checkApplication(spec.getApplication());
    Duration batchInterval = checkBatchInterval(spec.getBatchInterval());
    checkCheckpoint(spec.getCheckpoint(), batchInterval);
    checkDriver(spec.getDriver());
    checkExecutor(spec.getExecutor());
    checkYarn(spec.getYarn());
    checkLogging(spec.getLogging());
    checkRestartPolicy(spec.getRestartPolicy());
    checkHealthCheck(spec.getHealthCheck(), batchInterval);
    present("spec.upgradeMode", spec.getUpgradeMode());
    positiveDuration("spec.gracefulStopTimeout", spec.getGracefulStopTimeout());
  }

  private void checkApplication(ApplicationSpec application) {
    if (!present("spec.application", application)) {
      return;
    }
    checkMainClass(application.getMainClass());
    List<String> jars = application.getJars();
    if (present("spec.application.jars", jars)) {
      for (int i = 0; i < jars.size(); i++) {
        checkJar(FieldPath.index("spec.application.jars", i), jars.get(i));
      }
    }
    List<String> args = application.getArgs();
    if (present("spec.application.args", args)) {
      for (int i = 0; i < args.size(); i++) {
        if (args.get(i) == null) {
          add(
              FieldPath.index("spec.application.args", i),
              MISSING,
              "must be a string; write \"\" for an empty argument");
        }
      }
    }
    Map<String, String> conf = application.getConf();
    if (present("spec.application.conf", conf)) {
      conf.forEach(
          (key, value) -> {
            String specField = CONF_KEYS_OF_SPEC_FIELDS.get(key);
            if (specField != null) {
              add(
                  FieldPath.child("spec.application.conf", key),
                  shown(value),
                  "must not be set in conf: set " + specField + " instead");
            }
          });
    }
  }

  private void checkMainClass(String mainClass) {
    String field = "spec.application.mainClass";
    if (mainClass == null || mainClass.isBlank()) {
      add(
          field,
          shown(mainClass),
          "is required: the class that implements dev.millrace.streaming.StreamingApplication,"
              + " e.g. com.example.WordCount");
      return;
    }
    if (isBinaryClassName(mainClass)) {
      return;
    }
    String fixed = mainClass.replaceFirst("\\.(class|java)$", "").replace('/', '.');
    add(
        field,
        mainClass,
        isBinaryClassName(fixed)
            ? "must be a Java class name, not a file name; write " + fixed
            : "must be a Java binary class name, e.g. com.example.WordCount"
                + " (com.example.Outer$Inner for a nested class)");
  }

  private static boolean isBinaryClassName(String name) {
    if (name.endsWith(".class") || name.endsWith(".java")) {
      return false;
    }
    for (String part : name.split("\\.", -1)) {
      if (part.isEmpty()
          || !Character.isJavaIdentifierStart(part.codePointAt(0))
          || !part.codePoints().allMatch(Character::isJavaIdentifierPart)) {
        return false;
      }
    }
    return true;
  }

  private void checkJar(String field, String jar) {
    if (jar == null || jar.isBlank()) {
      add(field, shown(jar), "must be a jar, e.g. local:///opt/app/app.jar");
      return;
    }
    String scheme = scheme(jar);
    if (scheme == null) {
      if (target != Target.LOCAL) {
        add(
            field,
            jar,
            "must be a URI with scheme local, file, hdfs or s3a, e.g. local:///opt/app/app.jar;"
                + " a plain path works for millrace run only");
      }
      return;
    }
    if (!JAR_SCHEMES.contains(scheme)) {
      add(
          field,
          jar,
          (target == Target.LOCAL ? "must be a path, or a URI" : "must be a URI")
              + " with scheme local, file, hdfs or s3a, not "
              + scheme);
      return;
    }
    addIfProblem(field, jar, uriProblem(jar, scheme));
  }

  private Duration checkBatchInterval(String text) {
    String field = "spec.batchInterval";
    if (text == null) {
      add(field, MISSING, "is required: how often a batch starts, e.g. 1s");
      return null;
    }
    Duration interval = duration(field, text);
    if (interval != null && interval.compareTo(MIN_BATCH_INTERVAL) < 0) {
      add(field, text, "must be at least " + SpecDurations.format(MIN_BATCH_INTERVAL));
      return null;
    }
    return interval;
  }

  private void checkCheckpoint(CheckpointSpec checkpoint, Duration batchInterval) {
    if (!present("spec.checkpoint", checkpoint)) {
      return;
    }
    checkCheckpointDir(checkpoint.getDir());
    String text = checkpoint.getInterval();
    if (text != null) {
      Duration interval = duration("spec.checkpoint.interval", text);
      if (interval != null && batchInterval == null && interval.isZero()) {
        add("spec.checkpoint.interval", text, "must be longer than 0");
      } else if (interval != null
          && batchInterval != null
          && (interval.isZero() || interval.toMillis() % batchInterval.toMillis() != 0)) {
        long batches =
            Math.max(1, Math.round((double) interval.toMillis() / batchInterval.toMillis()));
        add(
            "spec.checkpoint.interval",
            text,
            "must be a positive multiple of spec.batchInterval ("
                + SpecDurations.format(batchInterval)
                + "), e.g. "
                + SpecDurations.format(batchInterval.multipliedBy(batches)));
      }
    }
    atLeast("spec.checkpoint.retain", checkpoint.getRetain(), 1);
  }

  private void checkCheckpointDir(String dir) {
    String field = "spec.checkpoint.dir";
    String example =
        target == Target.LOCAL ? "checkpoints" : "hdfs://namenode:8020/checkpoints/word-count";
    if (dir == null || dir.isBlank()) {
      add(field, shown(dir), "is required: where checkpoints go, e.g. " + example);
      return;
    }
    String scheme = scheme(dir);
    if (scheme == null) {
      if (target != Target.LOCAL) {
        add(
            field,
            dir,
            "must be an absolute URI with a scheme on "
                + name(target)
                + ", e.g. "
                + example
                + ", s3a://bucket/checkpoints/word-count, or file:///… on a filesystem every node"
                + " shares: every driver attempt resumes from it, wherever it starts");
      }
      return;
    }
    if (scheme.equals("local")) {
      String path = dir.substring("local:".length()).replaceFirst("^//", "");
      add(
          field,
          dir,
          (target == Target.LOCAL
                  ? "must be a path or a FileSystem URI, e.g. " + path
                  : "must be a FileSystem URI such as " + example)
              + "; local: only names files already on the machine or in the image");
      return;
    }
    addIfProblem(field, dir, uriProblem(dir, scheme));
  }

  private void checkDriver(DriverSpec driver) {
    if (!present("spec.driver", driver)) {
      return;
    }
    atLeast("spec.driver.cores", driver.getCores(), 1);
    memory("spec.driver.memory", driver.getMemory());
    checkEnv("spec.driver.env", driver.getEnv());
  }

  private void checkExecutor(ExecutorSpec executor) {
    if (!present("spec.executor", executor)) {
      return;
    }
    atLeast("spec.executor.instances", executor.getInstances(), 0);
    atLeast("spec.executor.cores", executor.getCores(), 1);
    memory("spec.executor.memory", executor.getMemory());
    checkEnv("spec.executor.env", executor.getEnv());
  }

  private void checkYarn(YarnSpec yarn) {
    if (!present("spec.yarn", yarn)) {
      return;
    }
    String javaHome = yarn.getJavaHome();
    if (javaHome != null && (!javaHome.startsWith("/") || javaHome.contains("\n"))) {
      add(
          "spec.yarn.javaHome",
          shown(javaHome),
          "must be an absolute path, the same on every NodeManager host, of a Java 17 or newer"
              + " home: its bin/java runs the containers, e.g. /usr/lib/jvm/java-17-openjdk");
    }
    memory("spec.yarn.amMemory", yarn.getAmMemory());
  }

  /** A ConfigMap name and key Kubernetes accepts; the pods could not start with others. */
  private void checkLogging(LoggingSpec logging) {
    if (logging == null || logging.getConfigMap() == null) {
      return;
    }
    String name = logging.getConfigMap();
    if (!CONFIG_MAP_NAME.matcher(name).matches() || name.length() > 253) {
      add(
          "spec.logging.configMap",
          shown(name),
          "must be the name of a ConfigMap in the application's namespace: lower-case letters,"
              + " digits, '-' and '.', e.g. orders-logging");
    }
    String key = logging.getKey();
    if (key == null || !key.matches(LoggingSpec.KEY_PATTERN)) {
      add(
          "spec.logging.key",
          shown(key),
          "must be a key of the ConfigMap (letters, digits, '-', '_' and '.'), e.g. log4j2.xml");
    }
  }

  private void checkEnv(String field, List<EnvVar> env) {
    if (!present(field, env)) {
      return;
    }
    Map<String, Integer> firstIndexByName = new HashMap<>();
    for (int i = 0; i < env.size(); i++) {
      String item = FieldPath.index(field, i);
      EnvVar variable = env.get(i);
      if (variable == null) {
        add(item, MISSING, "must be a variable with a name and a value");
        continue;
      }
      String name = variable.getName();
      if (name == null || !ENV_NAME.matcher(name).matches()) {
        add(
            item + ".name",
            shown(name),
            name == null
                ? "is required"
                : "must be letters, digits, '_', '-' and '.', not starting with a digit");
      } else {
        Integer first = firstIndexByName.putIfAbsent(name, i);
        if (first != null) {
          add(
              item + ".name",
              name,
              "is already set by " + FieldPath.index(field, first) + "; set each variable once");
        }
      }
      if (variable.getValueFrom() != null) {
        if (variable.getValue() != null && !variable.getValue().isEmpty()) {
          // The value is left out of the message: next to a valueFrom it may well be a secret.
          add(item + ".value", "", "must not be set together with valueFrom; keep one");
        }
        if (target != Target.KUBERNETES) {
          add(
              item + ".valueFrom",
              "",
              "is resolved by Kubernetes only; for " + name(target) + " write the value itself");
        }
      }
    }
  }

  private void checkRestartPolicy(RestartPolicySpec policy) {
    if (!present("spec.restartPolicy", policy)) {
      return;
    }
    present("spec.restartPolicy.type", policy.getType());
    atLeast("spec.restartPolicy.maxRestarts", policy.getMaxRestarts(), 0);
    positiveDuration("spec.restartPolicy.window", policy.getWindow());
    checkBackoff(policy.getBackoff());
    positiveDuration("spec.restartPolicy.resetAfter", policy.getResetAfter());
  }

  private void checkBackoff(BackoffSpec backoff) {
    if (!present("spec.restartPolicy.backoff", backoff)) {
      return;
    }
    Duration initial = positiveDuration("spec.restartPolicy.backoff.initial", backoff.getInitial());
    Duration max = positiveDuration("spec.restartPolicy.backoff.max", backoff.getMax());
    if (initial != null && max != null && max.compareTo(initial) < 0) {
      add(
          "spec.restartPolicy.backoff.max",
          backoff.getMax(),
          "must be at least spec.restartPolicy.backoff.initial (" + backoff.getInitial() + ")");
    }
    Double multiplier = backoff.getMultiplier();
    if (present("spec.restartPolicy.backoff.multiplier", multiplier)
        && !(multiplier >= 1.0 && !multiplier.isInfinite())) {
      add(
          "spec.restartPolicy.backoff.multiplier",
          multiplier.toString(),
          "must be a finite number of at least 1.0 (1.0 keeps the delay constant)");
    }
  }

  private void checkHealthCheck(HealthCheckSpec healthCheck, Duration batchInterval) {
    if (!present("spec.healthCheck", healthCheck)) {
      return;
    }
    Duration maxBatchDelay =
        positiveDuration("spec.healthCheck.maxBatchDelay", healthCheck.getMaxBatchDelay());
    if (maxBatchDelay != null
        && batchInterval != null
        && maxBatchDelay.compareTo(batchInterval.multipliedBy(2)) < 0) {
      add(
          "spec.healthCheck.maxBatchDelay",
          healthCheck.getMaxBatchDelay(),
          "must be at least twice spec.batchInterval ("
              + SpecDurations.format(batchInterval.multipliedBy(2))
              + "), or a healthy driver that completes a batch every "
              + SpecDurations.format(batchInterval)
              + " gets restarted");
    }
    positiveDuration("spec.healthCheck.startTimeout", healthCheck.getStartTimeout());
    positiveDuration("spec.healthCheck.maxInputOutage", healthCheck.getMaxInputOutage());
    Integer fallingBehind = healthCheck.getFallingBehindBatches();
    if (fallingBehind != null && fallingBehind < 2) {
      add(
          "spec.healthCheck.fallingBehindBatches",
          fallingBehind.toString(),
          "must be at least 2: a delay grows only from one batch to the next");
    }
  }

  /** Adds a violation and returns false if {@code value} is null. */
  private boolean present(String field, Object value) {
    if (value == null) {
      add(field, MISSING, "is required");
      return false;
    }
    return true;
  }

  private void atLeast(String field, Integer value, int min) {
    if (present(field, value) && value < min) {
      add(field, value.toString(), "must be at least " + min);
    }
  }

  /** The duration {@code text} means, or null after adding a violation. */
  private Duration duration(String field, String text) {
    if (!present(field, text)) {
      return null;
    }
    try {
      return SpecDurations.parse(text);
    } catch (IllegalArgumentException e) {
      boolean tooLong = DURATION.matcher(text.trim()).matches();
      add(field, shown(text), tooLong ? "is too long a duration" : DURATION_RULE);
      return null;
    }
  }

  /** The duration {@code text} means if it is longer than 0, or null after adding a violation. */
  private Duration positiveDuration(String field, String text) {
    Duration duration = duration(field, text);
    if (duration != null && duration.isZero()) {
      add(field, text, "must be longer than 0");
      return null;
    }
    return duration;
  }

  private void memory(String field, String text) {
    if (!present(field, text)) {
      return;
    }
    long bytes;
    try {
      bytes = SpecMemory.bytes(text);
    } catch (IllegalArgumentException e) {
      add(
          field,
          shown(text),
          MEMORY.matcher(text.trim()).matches()
              ? "is too large a memory size"
              : "must be a memory size in Kubernetes notation, e.g. 512Mi, 2Gi or 1G");
      return;
    }
    if (bytes < SpecMemory.bytes(MIN_MEMORY)) {
      add(field, text, "must be at least " + MIN_MEMORY);
    }
  }

  /** The lower-cased URI scheme of {@code text}, or null if it is a plain path. */
  private static String scheme(String text) {
    Matcher matcher = URI_SCHEME.matcher(text);
    return matcher.find() ? matcher.group(1).toLowerCase(Locale.ROOT) : null;
  }

  /** What is wrong with a file or directory URI with a known {@code scheme}, or null. */
  private static String uriProblem(String text, String scheme) {
    URI uri;
    try {
      uri = new URI(text);
    } catch (URISyntaxException e) {
      return "is not a valid URI: " + e.getReason() + " at character " + (e.getIndex() + 1);
    }
    String authority = uri.getRawAuthority();
    boolean onThisMachine = scheme.equals("local") || scheme.equals("file");
    if (onThisMachine && authority != null && !authority.equals("localhost")) {
      return "names host '"
          + authority
          + "'; a "
          + scheme
          + ": URI has three slashes before an absolute path: "
          + scheme
          + ":///"
          + authority
          + Objects.requireNonNullElse(uri.getRawPath(), "");
    }
    if (uri.isOpaque() || uri.getPath() == null || uri.getPath().length() < 2) {
      return "must have an absolute path, e.g. " + exampleUri(scheme);
    }
    if (scheme.equals("s3a") && authority == null) {
      return "must name a bucket, e.g. " + exampleUri(scheme);
    }
    return null;
  }

  private static String exampleUri(String scheme) {
    return switch (scheme) {
      case "local", "file" -> scheme + ":///absolute/path";
      case "hdfs" -> "hdfs://namenode:8020/absolute/path";
      case "s3a" -> "s3a://bucket/path";
      default -> scheme + "://host/absolute/path";
    };
  }

  private static String name(Target target) {
    return switch (target) {
      case LOCAL -> "millrace run";
      case KUBERNETES -> "Kubernetes";
      case YARN -> "YARN";
    };
  }

  /** A string value for a message: {@code <missing>} for null, quoted if blank or padded. */
  private static String shown(String value) {
    if (value == null) {
      return MISSING;
    }
    return value.isBlank() || !value.strip().equals(value) ? '"' + value + '"' : value;
  }

  private void addIfProblem(String field, String value, String rule) {
    if (rule != null) {
      add(field, value, rule);
    }
  }

  private void add(String field, String value, String rule) {
    violations.add(new SpecViolation(field, value, rule));
  }
}
