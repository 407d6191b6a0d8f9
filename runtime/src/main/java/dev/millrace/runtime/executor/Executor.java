package dev.millrace.runtime.executor;

import dev.millrace.runtime.cluster.ExecutorAgent;
import dev.millrace.runtime.cluster.TaskHandler;
import dev.millrace.runtime.driver.ApplicationGraphs;
import dev.millrace.runtime.driver.DriverConfigurationException;
import dev.millrace.runtime.launch.ExitCode;
import dev.millrace.runtime.metrics.ExecutorMetrics;
import dev.millrace.runtime.metrics.MetricsServer;
import dev.millrace.runtime.transport.Message.Register;
import dev.millrace.runtime.transport.Message.RunShuffleMap;
import dev.millrace.runtime.transport.Message.RunStateTask;
import dev.millrace.runtime.transport.Message.Task;
import dev.millrace.runtime.transport.Message.TaskResult;
import dev.millrace.runtime.transport.Transport;
import dev.millrace.runtime.transport.TransportOptions;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.util.concurrent.CompletableFuture;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import sun.misc.Signal;

/**
 * The executor process of the launch contract, {@code millrace executor --driver <host:port> --app
 * <name>}: registers with the driver and stays registered across connection losses and driver
 * restarts. With {@code --spec} (the driver's spec file) it loads the application and rebuilds its
 * graph, runs the shuffle map tasks the driver sends ({@link ShuffleMapWorker}) and owns the state
 * partitions the driver assigns it ({@link StateOwner}). Exits 0 on SIGTERM or when the supervisor
 * named by {@code --supervisor-pid} ends, and 1 when no driver has answered for the driver timeout,
 * so that its supervisor replaces it.
 */
public final class Executor {
  private static final Logger LOG = LoggerFactory.getLogger(Executor.class);

  private final ExecutorOptions options;

  /** An executor started with {@code options}. */
  public Executor(ExecutorOptions options) {
    this.options = options;
  }

  /** Runs until SIGTERM or until the driver is gone; returns the exit code. */
  public ExitCode run() {
    CompletableFuture<ExitCode> exit = new CompletableFuture<>();
    for (String name : new String[] {"TERM", "INT"}) {
      Signal.handle(
          new Signal(name),
          s -> {
            LOG.info("executor {} stops on SIG{}", options.executorId(), name);
            exit.complete(ExitCode.OK);
          });
    }
    try (ApplicationGraphs application = loadApplication();
        ShuffleMapWorker worker =
            application == null
                ? null
                : new ShuffleMapWorker(
                    options.cores(), application.classLoader(), application::define);
        StateOwner owner =
            application == null
                ? null
                : new StateOwner(
                    options.cores(),
                    application.classLoader(),
                    application::define,
                    application::checkpointStore);
        Transport transport = new Transport("executor", TransportOptions.defaults())) {
      ExecutorMetrics metrics =
          new ExecutorMetrics(
              options.app(),
              options.executorId(),
              () -> owner == null ? 0 : owner.partitionsHeld());
      try (MetricsServer metricsServer = serveMetrics(metrics);
          ExecutorAgent agent =
              new ExecutorAgent(
                  transport,
                  options.driver(),
                  identity(application, metricsServer == null ? -1 : metricsServer.port()),
                  options.driverTimeout(),
                  metrics.counting(worker == null ? TaskHandler.NONE : tasks(worker, owner)))) {
        agent.driverGone().thenRun(() -> exit.complete(ExitCode.APPLICATION_FAILURE));
        stopWhenSupervisorEnds(exit);
        agent.start();
        return exit.join();
      }
    }
  }

  /**
   * Serves {@code metrics} on {@code --metrics-port}, or returns null without one.
   *
   * @throws UncheckedIOException naming the port if it cannot be bound
   */
  private MetricsServer serveMetrics(ExecutorMetrics metrics) {
    if (options.metricsPort() == null) {
      return null;
    }
    try {
      MetricsServer server =
          MetricsServer.start(new InetSocketAddress(options.metricsPort()), metrics);
      LOG.info(
          "executor {} serves its Prometheus metrics at http://{}:{}{}",
          options.executorId(),
          hostName(),
          server.port(),
          MetricsServer.PATH);
      return server;
    } catch (IOException e) {
      throw new UncheckedIOException(
          "executor "
              + options.executorId()
              + " cannot serve its metrics on --metrics-port "
              + options.metricsPort()
              + ": "
              + e.getMessage()
              + "; choose a free port, or 0 for any",
          e);
    }
  }

  /** Map tasks to {@code worker}, state tasks to {@code owner}, which forgets a session's state. */
  private static TaskHandler tasks(ShuffleMapWorker worker, StateOwner owner) {
    return new TaskHandler() {
      @Override
      public void run(Task task, Consumer<TaskResult> reply) {
        if (task instanceof RunShuffleMap map) {
          worker.run(map, reply);
        } else if (task instanceof RunStateTask state) {
          owner.run(state, reply);
        }
      }

      @Override
      public void sessionEnded() {
        owner.clear();
      }
    };
  }

  /**
   * Completes {@code exit} with 0 when the supervisor named by {@code --supervisor-pid} ends (or
   * has already ended): its replacement starts executors of its own.
   */
  private void stopWhenSupervisorEnds(CompletableFuture<ExitCode> exit) {
    if (options.supervisorPid() == null) {
      return;
    }
    long pid = options.supervisorPid();
    ProcessHandle.of(pid)
        .map(ProcessHandle::onExit)
        .orElse(CompletableFuture.completedFuture(null))
        .thenRun(
            () -> {
              LOG.warn(
                  "executor {}: the supervisor (pid {}) is gone; stopping so that no executor"
                      + " runs unsupervised",
                  options.executorId(),
                  pid);
              exit.complete(ExitCode.OK);
            });
  }

  /** The application of {@code --spec}, or null without one: then no task can run here. */
  private ApplicationGraphs loadApplication() {
    if (options.spec() == null) {
      LOG.warn(
          "executor {} was started without --spec: it registers, but every task sent to it"
              + " fails and runs elsewhere",
          options.executorId());
      return null;
    }
    ApplicationGraphs application =
        ApplicationGraphs.load(options.spec(), options.app() + "-" + options.executorId());
    if (!application.appName().equals(options.app())) {
      application.close();
      throw new DriverConfigurationException(
          "--spec "
              + options.spec()
              + " describes application '"
              + application.appName()
              + "', but --app is '"
              + options.app()
              + "'; give the spec of the application this executor serves");
    }
    return application;
  }

  /** What it registers as: the metrics port tells the driver where Prometheus finds it. */
  private Register identity(ApplicationGraphs application, int metricsPort) {
    return new Register(
        options.executorId(),
        options.app(),
        options.cores(),
        options.memoryBytes(),
        ProcessHandle.current().pid(),
        hostName(),
        0,
        application == null ? "" : application.fingerprint(),
        metricsPort);
  }

  private static String hostName() {
    try {
      return InetAddress.getLocalHost().getHostName();
    } catch (UnknownHostException e) {
      return InetAddress.getLoopbackAddress().getHostAddress();
    }
  }
}
