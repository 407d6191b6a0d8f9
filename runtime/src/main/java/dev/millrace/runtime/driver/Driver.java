package dev.millrace.runtime.driver;

import dev.millrace.crds.ApplicationSpec;
import dev.millrace.crds.ExecutorSpec;
import dev.millrace.crds.HealthCheckSpec;
import dev.millrace.crds.SpecDurations;
import dev.millrace.crds.StreamingApp;
import dev.millrace.crds.StreamingAppSpec;
import dev.millrace.crds.launch.ExecutorReport;
import dev.millrace.runtime.Contexts;
import dev.millrace.runtime.EngineLaunch;
import dev.millrace.runtime.checkpoint.CheckpointInUseException;
import dev.millrace.runtime.checkpoint.CheckpointLease;
import dev.millrace.runtime.checkpoint.CheckpointStore;
import dev.millrace.runtime.checkpoint.LeaseClaimant;
import dev.millrace.runtime.checkpoint.LeaseHolder;
import dev.millrace.runtime.cluster.DistributedShuffleMapRunner;
import dev.millrace.runtime.cluster.DistributedStateRunner;
import dev.millrace.runtime.cluster.ExecutorInfo;
import dev.millrace.runtime.cluster.ExecutorRegistry;
import dev.millrace.runtime.config.StreamingOptions;
import dev.millrace.runtime.history.BatchHistory;
import dev.millrace.runtime.history.HistoryStore;
import dev.millrace.runtime.history.HistoryWriter;
import dev.millrace.runtime.launch.ExitCode;
import dev.millrace.runtime.metrics.DriverMetrics;
import dev.millrace.runtime.shuffle.ShuffleMapRunner;
import dev.millrace.runtime.state.StateUpdateRunner;
import dev.millrace.runtime.stream.StreamGraph;
import dev.millrace.runtime.transport.Transport;
import dev.millrace.runtime.transport.TransportOptions;
import dev.millrace.runtime.ui.CheckpointsView;
import dev.millrace.runtime.ui.EffectiveSettings;
import dev.millrace.runtime.ui.WebUi;
import dev.millrace.streaming.ConfigurationException;
import dev.millrace.streaming.StreamingApplication;
import dev.millrace.streaming.StreamingContext;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Consumer;
import java.util.function.Function;
import org.apache.hadoop.conf.Configuration;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import sun.misc.Signal;

/**
 * The driver process of the launch contract, {@code millrace driver --spec <file>}: reads the
 * StreamingApp, serves its status over HTTP, loads the application's jars, builds the streaming
 * context the spec describes (checkpointing to {@code spec.checkpoint.dir}, so every attempt
 * resumes where the last one stopped), lets the application define its graph, and runs it until it
 * fails or a SIGTERM stops it gracefully. The status endpoint is up before the context starts and
 * stops last.
 */
public final class Driver {
  private static final Logger LOG = LoggerFactory.getLogger(Driver.class);

  /**
   * How often the batch history is saved to the checkpoint directory, when a batch ended since: a
   * SIGKILL loses at most this much of it, and a save costs one small file write.
   */
  private static final java.time.Duration HISTORY_SAVE_INTERVAL = java.time.Duration.ofSeconds(1);

  private final DriverOptions options;

  /** A driver started with {@code options}. */
  public Driver(DriverOptions options) {
    this.options = options;
  }

  /**
   * Runs the application until it stops; returns the exit code.
   *
   * @throws DriverConfigurationException if the spec, the jars, the main class, the configuration
   *     or the application's arguments cannot run
   */
  public ExitCode run() throws InterruptedException {
    long startTimeMs = System.currentTimeMillis();
    StreamingApp app = SpecLoading.load(options.spec());
    ContextSettings settings = ContextSettings.of(app);
    StreamingAppSpec spec = app.getSpec();
    if (options.freshCheckpoint()) {
      try {
        startStateless(settings, options);
      } catch (CheckpointInUseException e) {
        LOG.error("application '{}' does not start: {}", settings.appName(), e.getMessage());
        return ExitCode.CHECKPOINT_IN_USE;
      }
    }
    java.time.Duration taskTimeout =
        toJava(StreamingOptions.EXECUTOR_TASK_TIMEOUT.read(settings.conf()));
    InetAddress bindAddress = bindAddress();
    try (Transport transport = new Transport("driver", TransportOptions.defaults());
        ExecutorRegistry executors =
            acceptExecutors(transport, bindAddress, settings, ApplicationGraphs.fingerprint(app))) {
      AtomicReference<DistributedShuffleMapRunner> shuffleMaps = new AtomicReference<>();
      AtomicReference<DistributedStateRunner> stateUpdates = new AtomicReference<>();
      AtomicReference<StreamGraph> graph = new AtomicReference<>();
      HealthCheckSpec healthCheck =
          Objects.requireNonNullElseGet(spec.getHealthCheck(), HealthCheckSpec::new);
      DriverStatusTracker status =
          new DriverStatusTracker(
              settings.appName(),
              options.attempt(),
              startTimeMs,
              settings.batchInterval().milliseconds(),
              () -> reports(executors.executors(), shuffleMaps.get(), stateUpdates.get()),
              () -> graph.get() == null ? List.of() : graph.get().inputs(),
              SpecDurations.parse(Objects.requireNonNullElse(healthCheck.getMaxInputOutage(), "1m"))
                  .toMillis(),
              Objects.requireNonNullElse(
                  healthCheck.getFallingBehindBatches(),
                  DriverStatusTracker.DEFAULT_FALLING_BEHIND_BATCHES),
              System::currentTimeMillis);
      DriverMetrics metrics =
          new DriverMetrics(
              settings.appName(),
              settings.batchInterval().milliseconds(),
              () -> executors.executors().size(),
              () -> graph.get() == null ? List.of() : graph.get().inputs());
      executors.addListener(metrics);
      Configuration hadoop = StreamingOptions.hadoopConfiguration(settings.conf());
      HistoryStore historyStore = HistoryStore.in(settings.checkpointDir(), hadoop);
      BatchHistory history =
          historyStore.restore(
              StreamingOptions.UI_RETAINED_BATCHES.read(settings.conf()), options.attempt());
      CheckpointsView checkpoints =
          new CheckpointsView(
              settings.checkpointDir(),
              StreamingOptions.CHECKPOINT_RETAIN.read(settings.conf()),
              System::currentTimeMillis);
      StatusServer server =
          serve(
              bindAddress,
              status,
              metrics,
              new WebUi(
                  history,
                  status::report,
                  settings.batchInterval().milliseconds(),
                  EffectiveSettings.of(settings.conf()),
                  checkpoints,
                  () ->
                      graph.get() == null
                          ? List.of()
                          : StateOperators.of(
                              graph.get(),
                              stateUpdates.get(),
                              executors.executors(),
                              checkpoints.lastWritten())));
      LeaseClaimant self = LeaseClaimant.thisProcess(options.attempt(), options.supervisionId());
      HistoryWriter historyWriter =
          HistoryWriter.start(
              history,
              historyStore,
              settings.appName(),
              HISTORY_SAVE_INTERVAL,
              () -> CheckpointStore.isHeldBy(settings.checkpointDir(), hadoop, self));
      try {
        ExitCode exit =
            runApplication(
                spec,
                settings,
                status,
                metrics,
                history,
                checkpoints,
                graph::set,
                defined -> {
                  DistributedShuffleMapRunner runner =
                      new DistributedShuffleMapRunner(defined, executors, taskTimeout, metrics);
                  shuffleMaps.set(runner);
                  return runner;
                },
                defined -> {
                  // Once the state lives on executors and all are gone, a batch waits as long as
                  // for a task's answer before the driver gives up and restarts from the
                  // checkpoint.
                  DistributedStateRunner runner =
                      new DistributedStateRunner(defined, executors, taskTimeout);
                  stateUpdates.set(runner);
                  return runner;
                });
        status.ended(exit);
        return exit;
      } catch (RuntimeException e) {
        status.ended(ExitCode.APPLICATION_FAILURE);
        throw e;
      } finally {
        historyWriter.close();
        server.close();
      }
    }
  }

  /**
   * Moves the checkpoint aside: this attempt starts without state, and nothing is deleted. Only
   * once this driver could take the checkpoint's lease, so that a directory another driver writes
   * is never moved from under it; the lease is released just before the move, and the context takes
   * a new one in the empty directory.
   */
  private static void startStateless(ContextSettings settings, DriverOptions options) {
    Configuration hadoop = StreamingOptions.hadoopConfiguration(settings.conf());
    if (CheckpointStore.exists(settings.checkpointDir(), hadoop)) {
      try (CheckpointStore held =
          CheckpointStore.held(
              settings.checkpointDir(),
              hadoop,
              StreamingOptions.CHECKPOINT_RETAIN.read(settings.conf()),
              new CheckpointLease.Request(
                  LeaseClaimant.thisProcess(options.attempt(), options.supervisionId()),
                  java.time.Duration.ofMillis(
                      StreamingOptions.CHECKPOINT_LEASE_TIMEOUT
                          .read(settings.conf())
                          .milliseconds()),
                  Clock.systemUTC(),
                  lost -> {}))) {
        LOG.info(
            "took lease epoch {} of {} to move it aside",
            held.lease().map(LeaseHolder::epoch).orElse(0L),
            held.uri());
      }
    }
    Optional<String> aside =
        CheckpointStore.setAside(settings.checkpointDir(), hadoop, Instant.now());
    if (aside.isPresent()) {
      LOG.info(
          "starting stateless (--fresh-checkpoint): the previous checkpoint {} was moved to {}",
          settings.checkpointDir(),
          aside.get());
    } else {
      LOG.info(
          "starting stateless (--fresh-checkpoint): {} held no checkpoint",
          settings.checkpointDir());
    }
  }

  private static List<ExecutorReport> reports(
      List<ExecutorInfo> executors,
      DistributedShuffleMapRunner shuffleMaps,
      DistributedStateRunner stateUpdates) {
    return executors.stream()
        .map(
            e ->
                new ExecutorReport(
                    e.executorId(),
                    e.host(),
                    e.pid(),
                    e.cores(),
                    e.sessionId(),
                    e.lastHeartbeatAt().toEpochMilli(),
                    (shuffleMaps == null ? 0 : shuffleMaps.tasksCompleted(e.executorId()))
                        + (stateUpdates == null ? 0 : stateUpdates.tasksCompleted(e.executorId())),
                    stateUpdates == null ? 0 : stateUpdates.partitionsOwned(e.sessionId()),
                    e.heapUsedBytes() < 0 ? null : e.heapUsedBytes(),
                    e.heapMaxBytes() < 0 ? null : e.heapMaxBytes(),
                    e.metricsAddress().orElse(null)))
        .toList();
  }

  /**
   * The address of {@code --bind-address}.
   *
   * @throws DriverConfigurationException if it names no address
   */
  private InetAddress bindAddress() {
    try {
      return InetAddress.getByName(options.bindAddress());
    } catch (UnknownHostException e) {
      throw new DriverConfigurationException(
          "--bind-address "
              + options.bindAddress()
              + " is not an address: give an IP address of this machine, 0.0.0.0 for every"
              + " interface, or leave it out to listen on "
              + DriverOptions.LOOPBACK
              + " only",
          e);
    }
  }

  /**
   * {@code host:port} of something listening on {@code bound}, as a process of this machine reaches
   * it: the loopback address if it listens on every interface.
   */
  private static String reachable(InetAddress bound, int port) {
    InetAddress host = bound.isAnyLocalAddress() ? InetAddress.getLoopbackAddress() : bound;
    String text = host.getHostAddress();
    return (host instanceof Inet6Address ? "[" + text + "]" : text) + ":" + port;
  }

  /**
   * The registry executors register with, as driver epoch {@code --attempt}, listening on {@code
   * bindAddress}, its address written to {@code --executor-address-file}.
   */
  private ExecutorRegistry acceptExecutors(
      Transport transport,
      InetAddress bindAddress,
      ContextSettings settings,
      String applicationFingerprint)
      throws InterruptedException {
    ExecutorRegistry registry;
    try {
      registry =
          ExecutorRegistry.start(
              transport,
              new InetSocketAddress(bindAddress, options.executorPort()),
              settings.appName(),
              applicationFingerprint,
              options.attempt(),
              toJava(StreamingOptions.EXECUTOR_HEARTBEAT_INTERVAL.read(settings.conf())),
              toJava(StreamingOptions.EXECUTOR_HEARTBEAT_TIMEOUT.read(settings.conf())),
              Clock.systemUTC());
    } catch (IllegalArgumentException e) {
      throw new DriverConfigurationException(e.getMessage(), e);
    } catch (IOException e) {
      throw new DriverConfigurationException(
          "executors cannot register on "
              + options.bindAddress()
              + " port "
              + options.executorPort()
              + ": "
              + e.getMessage()
              + "; choose a free --executor-port and an address of this machine for"
              + " --bind-address",
          e);
    }
    String address = reachable(bindAddress, registry.port());
    if (options.executorAddressFile() != null) {
      try {
        writeAtomically(options.executorAddressFile(), address);
      } catch (IOException | RuntimeException e) {
        registry.close();
        throw new DriverConfigurationException(
            "cannot write the executor address to --executor-address-file "
                + options.executorAddressFile()
                + ": "
                + e,
            e);
      }
    }
    return registry;
  }

  private static java.time.Duration toJava(dev.millrace.streaming.Duration duration) {
    return java.time.Duration.ofMillis(duration.milliseconds());
  }

  private StatusServer serve(
      InetAddress bindAddress, DriverStatusTracker status, DriverMetrics metrics, WebUi ui) {
    StatusServer server;
    try {
      server =
          StatusServer.start(
              new InetSocketAddress(bindAddress, options.httpPort()), status, metrics, ui);
    } catch (IOException e) {
      throw new UncheckedIOException(
          "the status endpoint cannot listen on "
              + options.bindAddress()
              + " port "
              + options.httpPort()
              + ": "
              + e.getMessage()
              + (options.httpPort() == 0 ? "" : "; choose a free port or --http-port 0")
              + "; --bind-address must be an address of this machine",
          e);
    }
    // For a supervisor on this machine; one elsewhere knows the driver's host and asks its port.
    String address = reachable(bindAddress, server.port());
    LOG.info(
        "driver attempt {} serves its web UI at http://{}/, its status at"
            + " http://{}/api/v1/status and its Prometheus metrics at http://{}{} (listening on {})",
        options.attempt(),
        address,
        address,
        address,
        StatusServer.METRICS_PATH,
        server.address());
    if (options.addressFile() != null) {
      try {
        writeAtomically(options.addressFile(), address);
      } catch (IOException | RuntimeException e) {
        server.close();
        throw new DriverConfigurationException(
            "cannot write the driver's address to --address-file "
                + options.addressFile()
                + ": "
                + e,
            e);
      }
    }
    return server;
  }

  /** Writes {@code text} to a file beside {@code file} and renames it, so no reader sees half. */
  private static void writeAtomically(Path file, String text) throws IOException {
    Path absolute = file.toAbsolutePath();
    Path temp = Files.createTempFile(absolute.getParent(), "." + absolute.getFileName(), ".tmp");
    try {
      Files.writeString(temp, text, StandardCharsets.UTF_8);
      Files.move(
          temp, absolute, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    } finally {
      Files.deleteIfExists(temp);
    }
  }

  /**
   * Runs the application; its graph, once defined, goes to {@code defined}; the map side of its
   * shuffles runs through the runner {@code shuffleMaps} makes of its graph, and its states through
   * the one {@code stateUpdates} makes, on executors when they are registered.
   */
  private ExitCode runApplication(
      StreamingAppSpec spec,
      ContextSettings settings,
      DriverStatusTracker status,
      DriverMetrics metrics,
      BatchHistory history,
      CheckpointsView checkpoints,
      Consumer<StreamGraph> defined,
      Function<StreamGraph, ShuffleMapRunner> shuffleMaps,
      Function<StreamGraph, StateUpdateRunner> stateUpdates)
      throws InterruptedException {
    ApplicationSpec application =
        Objects.requireNonNullElseGet(spec.getApplication(), ApplicationSpec::new);
    List<String> jars = Objects.requireNonNullElse(application.getJars(), List.of());
    List<String> args = Objects.requireNonNullElse(application.getArgs(), List.of());
    try (ApplicationCode code =
        ApplicationCode.fetch(
            jars,
            StreamingOptions.hadoopConfiguration(settings.conf()),
            settings.appName() + "-" + options.attempt())) {
      Thread thread = Thread.currentThread();
      ClassLoader before = thread.getContextClassLoader();
      // The engine's threads start from this one and inherit its context class loader, through
      // which the record codec finds the application's classes.
      thread.setContextClassLoader(code.classLoader());
      try {
        StreamingApplication main = code.instantiate(application.getMainClass());
        StreamingContext context = settings.newContext();
        try {
          main.define(context, args.toArray(String[]::new));
        } catch (ConfigurationException e) {
          throw new DriverConfigurationException(e.getMessage(), e);
        } catch (RuntimeException | LinkageError e) {
          // The application's own exception (a service it needs is unreachable, a bug): the next
          // attempt may well succeed, so it is a failure to restart, never a bad configuration.
          LOG.error(
              "application '{}' failed in {}.define(): {} (exit 1: restarted per"
                  + " restartPolicy)",
              settings.appName(),
              application.getMainClass(),
              e.toString(),
              e);
          return ExitCode.APPLICATION_FAILURE;
        }
        StreamingContext ssc = resumable(context, settings);
        ExecutorSpec executors =
            Objects.requireNonNullElseGet(spec.getExecutor(), ExecutorSpec::new);
        Contexts.launchWith(
            ssc,
            EngineLaunch.inProcess()
                .as(options.attempt(), options.supervisionId())
                .distributed(shuffleMaps, stateUpdates)
                .onCheckpointOpened(checkpoints::opened)
                .onGraphBuilt(
                    graph -> {
                      defined.accept(graph);
                      StateOwnership.executorsWithoutState(
                              Objects.requireNonNullElse(executors.getInstances(), 0),
                              Objects.requireNonNullElse(executors.getCores(), 1),
                              StateOwnership.partitionedStates(graph),
                              ssc.defaultParallelism())
                          .ifPresent(LOG::warn);
                    }));
        ssc.addStreamingListener(status);
        ssc.addStreamingListener(metrics);
        ssc.addStreamingListener(history);
        ssc.addStreamingListener(checkpoints);
        stopWhenSupervisorEnds();
        return ApplicationRunner.runUntilStopped(ssc, status);
      } finally {
        thread.setContextClassLoader(before);
      }
    }
  }

  /**
   * Raises SIGTERM in this process, the one graceful-stop path, when the supervisor named by {@code
   * --supervisor-pid} ends (or has already ended).
   */
  private void stopWhenSupervisorEnds() {
    if (options.supervisorPid() == null) {
      return;
    }
    long pid = options.supervisorPid();
    ProcessHandle.of(pid)
        .map(ProcessHandle::onExit)
        .orElse(java.util.concurrent.CompletableFuture.completedFuture(null))
        .thenRun(
            () -> {
              LOG.warn(
                  "the supervisor (pid {}) is gone; stopping gracefully so that no driver runs"
                      + " unsupervised",
                  pid);
              Signal.raise(new Signal("TERM"));
            });
  }

  /** {@code context}, with its graph defined, checkpointing to the spec's directory. */
  private static StreamingContext resumable(StreamingContext context, ContextSettings settings) {
    try {
      return StreamingContext.getOrCreate(settings.checkpointDir(), () -> context);
    } catch (IllegalArgumentException e) {
      // The application's define() set another checkpoint directory than the spec's.
      throw new DriverConfigurationException(e.getMessage(), e);
    }
  }
}
