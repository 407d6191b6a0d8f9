package dev.millrace.yarn;

import dev.millrace.crds.launch.DriverStatusClient;
import dev.millrace.crds.launch.DriverStatusReport;
import dev.millrace.crds.supervision.ExitReport;
import dev.millrace.crds.supervision.FailureClass;
import dev.millrace.crds.supervision.SupervisionBackend;
import dev.millrace.crds.supervision.SupervisionLoop;
import dev.millrace.crds.supervision.Supervisor;
import dev.millrace.crds.supervision.SupervisorAction;
import dev.millrace.crds.supervision.SupervisorAction.GiveUp;
import dev.millrace.crds.supervision.SupervisorAction.KillDriver;
import dev.millrace.crds.supervision.SupervisorAction.LaunchDriver;
import dev.millrace.crds.supervision.SupervisorAction.LaunchExecutor;
import dev.millrace.crds.supervision.SupervisorAction.RestartScheduled;
import dev.millrace.crds.supervision.SupervisorAction.StopDriver;
import dev.millrace.crds.supervision.SupervisorAction.StopExecutor;
import dev.millrace.crds.supervision.SupervisorEvent;
import dev.millrace.crds.supervision.SupervisorEvent.DriverExited;
import dev.millrace.crds.supervision.SupervisorEvent.DriverStarted;
import dev.millrace.crds.supervision.SupervisorEvent.ExecutorExited;
import dev.millrace.crds.supervision.SupervisorEvent.ExecutorStarted;
import dev.millrace.crds.supervision.SupervisorView;
import dev.millrace.yarn.AmLedger.Role;
import dev.millrace.yarn.ContainerAllocator.Allocation;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.HashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import org.apache.hadoop.yarn.api.records.Container;
import org.apache.hadoop.yarn.api.records.ContainerId;
import org.apache.hadoop.yarn.api.records.ContainerLaunchContext;
import org.apache.hadoop.yarn.api.records.ContainerStatus;
import org.apache.hadoop.yarn.api.records.SignalContainerCommand;
import org.apache.hadoop.yarn.client.api.YarnClient;
import org.apache.hadoop.yarn.client.api.async.NMClientAsync;
import org.apache.hadoop.yarn.exceptions.YarnException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The {@link SupervisionBackend} for YARN: carries the Supervisor's actions out with the
 * application's containers (asks the {@link ContainerAllocator} for them, launches in each
 * allocated one what it was asked for, signals and stops them), turns what YARN reports about them
 * into the Supervisor's events, reads the current driver's status at the address its container
 * published, and keeps the {@link AmLedger} a next ApplicationMaster attempt continues from. It
 * holds which container runs what, adopted ones included, so the ApplicationMaster is left with
 * wiring YARN's clients, adoption and the {@link SupervisionLoop} together.
 *
 * <p>Everything here runs on the loop's thread: YARN's callback threads hand the container facts
 * ({@link #allocated}, {@link #started}, {@link #startFailed}, {@link #completed}) to it as work;
 * only {@link #driverStatusAddress()} is read by other threads.
 */
final class YarnSupervisionBackend implements SupervisionBackend {
  private static final Logger LOG = LoggerFactory.getLogger(YarnSupervisionBackend.class);

  private final ContainerLaunches launches;
  private final StagingDirectory staging;
  private final ContainerAllocator allocator;
  private final NMClientAsync nodeManagers;
  private final YarnClient yarn;
  private final LedgerStore ledger;
  private final Supervisor supervisor;
  private final ProjectedStatus status;
  private final Clock clock;
  private final DriverStatusClient statusClient = new DriverStatusClient();
  private final Map<ContainerId, RunningContainer> running = new HashMap<>();
  private int driverAttempt;
  private volatile String driverStatusAddress;
  // Set once by reportTo, before the loop runs: the loop is built around this backend.
  private SupervisionLoop loop;

  /**
   * A backend continuing {@code adoption}: its Supervisor, driver attempt and adopted containers.
   */
  YarnSupervisionBackend(
      ContainerAdoption adoption,
      ContainerLaunches launches,
      StagingDirectory staging,
      ContainerAllocator allocator,
      NMClientAsync nodeManagers,
      YarnClient yarn,
      LedgerStore ledger,
      ProjectedStatus status,
      Clock clock) {
    this.supervisor = adoption.supervisor();
    this.driverAttempt = adoption.driverAttempt();
    this.running.putAll(adoption.adopted());
    this.launches = launches;
    this.staging = staging;
    this.allocator = allocator;
    this.nodeManagers = nodeManagers;
    this.yarn = yarn;
    this.ledger = ledger;
    this.status = status;
    this.clock = clock;
  }

  /** Hands the container events this backend sees to {@code loop}, the one built around it. */
  void reportTo(SupervisionLoop loop) {
    this.loop = Objects.requireNonNull(loop, "loop");
  }

  /** The current driver's status {@code host:port}, once it answered; safe from any thread. */
  Optional<String> driverStatusAddress() {
    return Optional.ofNullable(driverStatusAddress);
  }

  /** Stops every container still running, when supervision has ended. */
  void stopAll() {
    for (RunningContainer container : running.values()) {
      nodeManagers.stopContainerAsync(container.container.getId(), container.container.getNodeId());
    }
  }

  /** YARN allocated {@code container}: launches what it was asked for, or gives it back. */
  void allocated(Container container) {
    Optional<Allocation> allocation = allocator.allocated(container);
    if (allocation.isEmpty()) {
      return;
    }
    Role role = allocation.get().role();
    running.put(container.getId(), new RunningContainer(container, role));
    if (role.isDriver()) {
      driverStatusAddress = null;
      launch(
          container,
          launches.driver(
              role.driverAttempt(), allocation.get().freshCheckpoint(), staging.uri(), container));
    } else {
      launch(
          container,
          launches.executor(
              role.executorId(), staging.uri(StagingDirectory.DRIVER_EXECUTORS_ADDRESS)));
    }
  }

  /** A NodeManager started container {@code id}. */
  void started(ContainerId id) {
    RunningContainer r = running.get(id);
    if (r == null) {
      return;
    }
    loop.handle(
        r.isDriver()
            ? new DriverStarted(clock.instant(), r.role.driverAttempt())
            : new ExecutorStarted(clock.instant(), r.role.executorId()));
  }

  /** A NodeManager could not start container {@code id}. */
  void startFailed(ContainerId id, Throwable t) {
    allocator.release(id);
    ended(id, new ExitReport(null, "LaunchFailed: " + t.getMessage(), FailureClass.APPLICATION));
  }

  /** The ResourceManager reports a container ended. */
  void completed(ContainerStatus completed) {
    RunningContainer r = running.get(completed.getContainerId());
    boolean requested = r != null && r.endRequested;
    ExitReport exit = ContainerExits.classify(completed.getExitStatus(), requested);
    if (r != null && !completed.getDiagnostics().isBlank()) {
      LOG.info("{} diagnostics: {}", r.role, completed.getDiagnostics().strip());
    }
    ended(completed.getContainerId(), exit);
  }

  @Override
  public void launchDriver(LaunchDriver launch) {
    logAction(launch);
    driverAttempt = launch.attempt();
    allocator.requestDriver(launch.attempt(), launch.freshCheckpoint());
  }

  @Override
  public void stopDriver(StopDriver stop) {
    logAction(stop);
    driverContainer(stop.attempt())
        .ifPresent(
            driver -> {
              driver.endRequested = true;
              signalGracefulShutdown(driver);
            });
  }

  @Override
  public void killDriver(KillDriver kill) {
    logAction(kill);
    driverContainer(kill.attempt()).ifPresent(this::stopContainer);
  }

  @Override
  public void launchExecutor(LaunchExecutor launch) {
    logAction(launch);
    allocator.requestExecutor(launch.executorId());
  }

  @Override
  public void stopExecutor(StopExecutor stop) {
    logAction(stop);
    if (allocator.cancelExecutor(stop.executorId())) {
      // Submitted, not handled here: the Supervisor is still returning this event's actions.
      loop.submit(
          new ExecutorExited(
              clock.instant(),
              stop.executorId(),
              new ExitReport(null, "NeverStarted", FailureClass.REQUESTED)));
    }
    running.values().stream()
        .filter(r -> stop.executorId().equals(r.role.executorId()))
        .findFirst()
        .ifPresent(this::stopContainer);
  }

  @Override
  public void restartScheduled(RestartScheduled scheduled) {
    logAction(scheduled);
  }

  @Override
  public void gaveUp(GiveUp giveUp) {
    logAction(giveUp);
  }

  /**
   * The current driver's report. Its status address is the one its container published; one that
   * does not answer for the current attempt (the previous driver's, not yet replaced) is read again
   * on the next poll.
   */
  @Override
  public Optional<DriverStatusReport> pollDriver() {
    if (driverContainer(driverAttempt).isEmpty()) {
      return Optional.empty();
    }
    String address = driverStatusAddress;
    if (address == null) {
      address = published(StagingDirectory.DRIVER_STATUS_ADDRESS).orElse(null);
      if (address == null) {
        return Optional.empty();
      }
    }
    Optional<DriverStatusReport> report = statusClient.poll(address);
    if (report.isEmpty() || report.get().attempt() != driverAttempt) {
      driverStatusAddress = null;
      return Optional.empty();
    }
    driverStatusAddress = address;
    status.driverReported(report.get());
    publishStatus(loop.view());
    return report;
  }

  @Override
  public void observe(SupervisorEvent event) {
    if (event instanceof DriverExited exited && exited.attempt() == driverAttempt) {
      status.driverExited(exited.at());
    }
  }

  @Override
  public void handled(SupervisorEvent event, SupervisorView view) {
    publishStatus(view);
  }

  /** Keeps the ledger a next attempt would continue from. */
  @Override
  public void turnEnded() {
    Map<String, Role> roles = new HashMap<>();
    running.forEach((id, r) -> roles.put(id.toString(), r.role));
    ledger.keep(new AmLedger(supervisor.snapshot(), roles), clock.instant());
  }

  private void publishStatus(SupervisorView view) {
    status.update(view, driverContainer(driverAttempt).map(r -> r.container.getId().toString()));
  }

  private Optional<RunningContainer> driverContainer(int attempt) {
    return running.values().stream().filter(r -> r.runsDriver(attempt)).findFirst();
  }

  private void launch(Container container, ContainerLaunchContext context) {
    LOG.info(
        "launching {} in {} on {}",
        running.get(container.getId()).role,
        container.getId(),
        container.getNodeId());
    nodeManagers.startContainerAsync(container, context);
  }

  private void ended(ContainerId id, ExitReport exit) {
    RunningContainer r = running.remove(id);
    if (r == null) {
      return; // an extra container given back
    }
    LOG.info("{} in {} ended: {}", r.role, id, exit.describe());
    if (r.isDriver()) {
      if (r.runsDriver(driverAttempt)) {
        driverStatusAddress = null;
      }
      loop.handle(new DriverExited(clock.instant(), r.role.driverAttempt(), exit));
    } else {
      loop.handle(new ExecutorExited(clock.instant(), r.role.executorId(), exit));
    }
  }

  private void stopContainer(RunningContainer container) {
    container.endRequested = true;
    nodeManagers.stopContainerAsync(container.container.getId(), container.container.getNodeId());
  }

  /**
   * SIGTERM to the driver (YARN's {@code GRACEFUL_SHUTDOWN}), without the SIGKILL that a container
   * stop sends 250 ms later: the driver finishes its batch and checkpoints; the Supervisor's grace
   * period bounds it with a {@link KillDriver}.
   */
  private void signalGracefulShutdown(RunningContainer driver) {
    try {
      yarn.signalToContainer(driver.container.getId(), SignalContainerCommand.GRACEFUL_SHUTDOWN);
    } catch (YarnException | IOException e) {
      LOG.warn(
          "cannot signal driver container {}: {}; stopping it",
          driver.container.getId(),
          e.toString());
      stopContainer(driver);
    }
  }

  private Optional<String> published(String name) {
    try {
      return staging.read(name).map(b -> new String(b, StandardCharsets.UTF_8).strip());
    } catch (IOException e) {
      LOG.warn("cannot read {}: {}", staging.uri(name), e.toString());
      return Optional.empty();
    }
  }

  private void logAction(SupervisorAction action) {
    LOG.info("{}", action);
  }
}
