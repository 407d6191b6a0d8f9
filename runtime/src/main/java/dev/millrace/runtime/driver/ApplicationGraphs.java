package dev.millrace.runtime.driver;

import dev.millrace.crds.ApplicationSpec;
import dev.millrace.crds.StreamingApp;
import dev.millrace.runtime.Contexts;
import dev.millrace.runtime.Engine;
import dev.millrace.runtime.checkpoint.CheckpointStore;
import dev.millrace.runtime.config.StreamingOptions;
import dev.millrace.runtime.stream.StreamGraph;
import dev.millrace.streaming.ConfigurationException;
import dev.millrace.streaming.StreamingApplication;
import dev.millrace.streaming.StreamingContext;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;

/**
 * The application a spec file names, loaded as the driver loads it (the same jars, main class,
 * arguments and context settings), for a process that needs its graph but never runs it: an
 * executor rebuilds the driver's graph from code with it. Defining never starts the context or its
 * sources and never writes to the checkpoint directory.
 */
public final class ApplicationGraphs implements AutoCloseable {
  private final ContextSettings settings;
  private final ApplicationCode code;
  private final StreamingApplication main;
  private final List<String> args;
  private final String fingerprint;

  private ApplicationGraphs(
      ContextSettings settings,
      ApplicationCode code,
      StreamingApplication main,
      List<String> args,
      String fingerprint) {
    this.settings = settings;
    this.code = code;
    this.main = main;
    this.args = args;
    this.fingerprint = fingerprint;
  }

  /**
   * What the graph of {@code app} is built from, as a short hash: its name, jars, main class,
   * arguments, configuration, batch interval, cores and checkpoint directory. A driver accepts only
   * executors started from a spec with the same fingerprint, so an executor left running across an
   * application upgrade is refused and restarted with the new spec instead of running old code.
   * Fields that do not change the graph (executor count, restart policy, suspend) do not count.
   *
   * @throws DriverConfigurationException if the spec cannot run
   */
  public static String fingerprint(StreamingApp app) {
    ContextSettings settings = ContextSettings.of(app);
    ApplicationSpec application =
        Objects.requireNonNullElseGet(app.getSpec().getApplication(), ApplicationSpec::new);
    String canonical =
        String.join(
            "\n",
            "name=" + settings.appName(),
            "master=" + settings.master(),
            "batchInterval=" + settings.batchInterval().milliseconds(),
            "checkpoint=" + settings.checkpointDir(),
            "mainClass=" + application.getMainClass(),
            "jars=" + Objects.requireNonNullElse(application.getJars(), List.of()),
            "args=" + Objects.requireNonNullElse(application.getArgs(), List.of()),
            "conf=" + new TreeMap<>(settings.conf()));
    try {
      byte[] hash =
          MessageDigest.getInstance("SHA-256").digest(canonical.getBytes(StandardCharsets.UTF_8));
      return HexFormat.of().formatHex(hash, 0, 8);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("every Java runtime has SHA-256", e);
    }
  }

  /**
   * Loads the application of the spec in {@code specFile}, fetching remote jars into a directory
   * named after {@code processName}.
   *
   * @throws DriverConfigurationException if the spec, the jars or the main class cannot be used,
   *     exactly as the driver would refuse them
   */
  public static ApplicationGraphs load(Path specFile, String processName) {
    StreamingApp app = SpecLoading.load(specFile);
    ContextSettings settings = ContextSettings.of(app);
    ApplicationSpec application =
        Objects.requireNonNullElseGet(app.getSpec().getApplication(), ApplicationSpec::new);
    List<String> jars = Objects.requireNonNullElse(application.getJars(), List.of());
    List<String> args = Objects.requireNonNullElse(application.getArgs(), List.of());
    ApplicationCode code =
        ApplicationCode.fetch(
            jars, StreamingOptions.hadoopConfiguration(settings.conf()), processName);
    try {
      return new ApplicationGraphs(
          settings,
          code,
          code.instantiate(application.getMainClass()),
          List.copyOf(args),
          fingerprint(app));
    } catch (RuntimeException e) {
      code.close();
      throw e;
    }
  }

  /** The application's name, {@code metadata.name}. */
  public String appName() {
    return settings.appName();
  }

  /** The {@link #fingerprint} of the spec this was loaded from. */
  public String fingerprint() {
    return fingerprint;
  }

  /** The class loader of the application's classes, for threads that decode its records. */
  public ClassLoader classLoader() {
    return code.classLoader();
  }

  /**
   * A new graph defined by the application, with batch times counted from {@code zeroTime}. Call on
   * a thread whose context class loader is {@link #classLoader()}.
   *
   * @throws DriverConfigurationException if the engine refuses a setting, or the engine or the
   *     application an argument ({@link ConfigurationException}); whatever else the application's
   *     {@code define} throws is passed on as it is: it is the application's failure
   */
  public StreamGraph define(long zeroTime) {
    StreamingContext context = settings.newContext();
    try {
      main.define(context, args.toArray(String[]::new));
    } catch (ConfigurationException e) {
      throw new DriverConfigurationException(e.getMessage(), e);
    }
    StreamGraph graph = Engine.graphOf(Contexts.description(context));
    graph.start(zeroTime);
    return graph;
  }

  /**
   * The application's checkpoint directory, opened for reading what a state partition is rebuilt
   * from and for writing the partitions this executor owns, never creating it: the driver does, and
   * a directory that vanished stays gone. Null if the spec names none.
   */
  public CheckpointStore checkpointStore() {
    Map<String, String> conf = settings.conf();
    String dir = StreamingOptions.CHECKPOINT_DIR.read(conf);
    if (dir == null) {
      return null;
    }
    return CheckpointStore.existing(
        dir,
        StreamingOptions.hadoopConfiguration(conf),
        StreamingOptions.CHECKPOINT_RETAIN.read(conf));
  }

  /** Closes the application's class loader and deletes fetched jars. */
  @Override
  public void close() {
    code.close();
  }
}
