package dev.millrace.yarn;

import dev.millrace.crds.Phase;
import dev.millrace.crds.StreamingApp;
import dev.millrace.crds.StreamingAppStatus;
import dev.millrace.crds.launch.DriverStatusClient;
import dev.millrace.crds.launch.DriverStatusReport;
import dev.millrace.crds.supervision.DriverObservation;
import dev.millrace.crds.supervision.ExitReport;
import dev.millrace.crds.supervision.FailureClass;
import dev.millrace.crds.supervision.StatusChanges;
import dev.millrace.crds.supervision.StatusProjection;
import dev.millrace.crds.supervision.SupervisionBackend;
import dev.millrace.crds.supervision.SupervisionClock;
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
import dev.millrace.crds.supervision.SupervisorEvent.StopRequested;
import dev.millrace.crds.supervision.SupervisorPolicy;
import dev.millrace.crds.supervision.SupervisorView;
import dev.millrace.crds.validation.StreamingAppFiles;
import dev.millrace.crds.validation.Target;
import dev.millrace.yarn.AmLedger.Role;
import dev.millrace.yarn.ContainerAllocator.Allocation;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.yarn.api.ApplicationConstants;
import org.apache.hadoop.yarn.api.protocolrecords.RegisterApplicationMasterResponse;
import org.apache.hadoop.yarn.api.records.Container;
import org.apache.hadoop.yarn.api.records.ContainerId;
import org.apache.hadoop.yarn.api.records.ContainerLaunchContext;
import org.apache.hadoop.yarn.api.records.ContainerStatus;
import org.apache.hadoop.yarn.api.records.FinalApplicationStatus;
import org.apache.hadoop.yarn.api.records.NodeReport;
import org.apache.hadoop.yarn.api.records.Resource;
import org.apache.hadoop.yarn.api.records.SignalContainerCommand;
import org.apache.hadoop.yarn.api.records.UpdatedContainer;
import org.apache.hadoop.yarn.client.api.AMRMClient.ContainerRequest;
import org.apache.hadoop.yarn.client.api.YarnClient;
import org.apache.hadoop.yarn.client.api.async.AMRMClientAsync;
import org.apache.hadoop.yarn.client.api.async.NMClientAsync;
import org.apache.hadoop.yarn.conf.YarnConfiguration;
import org.apache.hadoop.yarn.exceptions.YarnException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The ApplicationMaster of a StreamingApp on YARN: {@code ApplicationMaster --staging <dir>}, in a
 * container holding the staged jars and the spec ({@code app.yaml}). It registers with a tracking
 * URL that leads to the driver's status, requests a driver container and {@code executor.instances}
 * executor containers, launches them, and supervises them with the {@link Supervisor}: the
 * Supervisor decides, this class carries its decisions out and feeds it container exits, batch
 * progress and stop requests. It unregisters SUCCEEDED after a graceful stop, FAILED when the
 * Supervisor gives up, and deletes the staging directory.
 *
 * <p>An ApplicationMaster that dies takes nothing with it. The application is submitted with {@code
 * keepContainersAcrossApplicationAttempts}, so its driver and executors keep running, and each
 * attempt keeps an {@link AmLedger} in the staging directory ({@link LedgerStore}): the
 * Supervisor's snapshot and which container runs what. The next attempt reads it, adopts ({@link
 * ContainerAdoption}) the containers YARN hands it from the previous attempts, and continues the
 * same supervision; a container it cannot place is released, and what the ledger says runs but YARN
 * no longer has ended while no ApplicationMaster watched, which is not the application's fault.
 * Executors find the driver, and this class finds the driver's status, through the addresses the
 * driver container publishes in the staging directory ({@link DriverContainer}), never through this
 * process.
 *
 * <p>All supervision runs on the thread that calls {@link #run()}; YARN's callback threads and the
 * HTTP endpoint only queue work for it.
 */
public final class ApplicationMaster implements AmEndpoint.Listener {
  private static final Logger LOG = LoggerFactory.getLogger(ApplicationMaster.class);
  private static final Duration POLL_INTERVAL = Duration.ofSeconds(1);

  private final StreamingApp app;
  private final ContainerLaunches launches;
  private final StagingDirectory staging;
  private final YarnConfiguration conf;
  private final Clock clock = Clock.systemUTC();
  private final SupervisorPolicy policy;
  private final DriverStatusClient statusClient = new DriverStatusClient();
  private final LedgerStore ledger;
  // Work for the supervision thread; callbacks may queue it before the loop is built.
  private final BlockingQueue<Runnable> work = new LinkedBlockingQueue<>();
  private final String host;

  // Owned by the thread in run().
  private AMRMClientAsync<ContainerRequest> resourceManager;
  private NMClientAsync nodeManagers;
  private YarnClient yarn;
  private ContainerAllocator allocator;
  private Supervisor supervisor;
  private volatile SupervisionLoop loop;
  private final Map<ContainerId, RunningContainer> running = new HashMap<>();
  private int driverAttempt;
  private volatile String driverStatusAddress;
  // The status every backend projects, as millrace status and GET /status show it; the driver's
  // newest report and the time its attempt last exited feed it.
  private volatile StreamingAppStatus status;
  private DriverStatusReport lastReport;
  private Instant lastExitTime;

  ApplicationMaster(
      StreamingApp app,
      ContainerLaunches launches,
      StagingDirectory staging,
      YarnConfiguration conf) {
    this.app = app;
    this.launches = launches;
    this.staging = staging;
    this.conf = conf;
    this.policy = SupervisorPolicy.from(app.getSpec());
    this.ledger = new LedgerStore(staging);
    String nmHost = System.getenv(ApplicationConstants.Environment.NM_HOST.name());
    this.host = nmHost == null ? "localhost" : nmHost;
  }

  /** Reads the staged spec and runs the ApplicationMaster; exits 0 when it has unregistered. */
  public static void main(String[] args) throws Exception {
    if (args.length != 2 || !args[0].equals("--staging")) {
      System.err.println("usage: ApplicationMaster --staging <staging directory URI>");
      System.exit(78);
    }
    YarnConfiguration conf = new YarnConfiguration();
    StreamingApp app =
        StreamingAppFiles.readValid(Path.of(StagingDirectory.SPEC_NAME), Target.YARN);
    StagingDirectory staging =
        StagingDirectory.existing(
            FileSystem.get(java.net.URI.create(args[1]), conf),
            new org.apache.hadoop.fs.Path(args[1]));
    ContainerLaunches launches =
        new ContainerLaunches(app, staging.localResources(), applicationId());
    ApplicationMaster am = new ApplicationMaster(app, launches, staging, conf);
    boolean succeeded = am.run();
    staging.delete();
    System.exit(succeeded ? 0 : 1);
  }

  /** This application's id, constant across its ApplicationMaster attempts. */
  private static String applicationId() {
    String container = System.getenv(ApplicationConstants.Environment.CONTAINER_ID.name());
    if (container == null) {
      throw new IllegalStateException(
          "no "
              + ApplicationConstants.Environment.CONTAINER_ID.name()
              + " in the environment:"
              + " the ApplicationMaster runs only in a YARN container");
    }
    return ContainerId.fromString(container)
        .getApplicationAttemptId()
        .getApplicationId()
        .toString();
  }

  /** Supervises until the application ends; true if it Succeeded. */
  boolean run() throws IOException, YarnException, InterruptedException {
    Optional<StopToken> stopToken = StopToken.ofThisContainer();
    if (stopToken.isEmpty()) {
      LOG.warn(
          "this container's credentials hold no stop token (submitted by an older millrace?), so"
              + " POST /stop refuses every caller: end the application with 'yarn application"
              + " -kill'");
    }
    AmEndpoint endpoint =
        AmEndpoint.start(
            this,
            stopToken,
            () -> Optional.ofNullable(driverStatusAddress),
            this::describe,
            () -> Optional.ofNullable(status).map(AmStatus::toYaml));
    yarn = YarnClient.createYarnClient();
    yarn.init(conf);
    yarn.start();
    nodeManagers = NMClientAsync.createNMClientAsync(new NodeManagerCallbacks());
    nodeManagers.init(conf);
    nodeManagers.start();
    resourceManager = AMRMClientAsync.createAMRMClientAsync(500, new ResourceManagerCallbacks());
    resourceManager.init(conf);
    resourceManager.start();
    allocator =
        new ContainerAllocator(
            resourceManager, launches.driverResource(), launches.executorResource());
    String trackingUrl = "http://" + host + ":" + endpoint.port() + "/";
    RegisterApplicationMasterResponse registration =
        resourceManager.registerApplicationMaster(host, endpoint.port(), trackingUrl);
    LOG.info("{} registered; tracking URL {}", app.getMetadata().getName(), trackingUrl);
    try {
      ContainerAdoption adoption =
          ContainerAdoption.of(
              policy,
              ledger.read(),
              registration.getContainersFromPreviousAttempts(),
              clock.instant());
      adoption.released().forEach(allocator::release);
      running.putAll(adoption.adopted());
      driverAttempt = adoption.driverAttempt();
      supervisor = adoption.supervisor();
      loop =
          new SupervisionLoop(
              supervisor, new YarnContainers(), SupervisionClock.of(clock), POLL_INTERVAL, work);
      adoption.events().forEach(loop::handle);
      if (adoption.continued()) {
        LOG.info(
            "continued from the ledger of a previous attempt: driver attempt {}, {} of {}"
                + " containers adopted; {}",
            driverAttempt,
            running.size(),
            adoption.ledgerContainers(),
            loop.view().message());
      }
      SupervisorView end = loop.run();
      boolean succeeded = end.phase() == Phase.Succeeded;
      for (RunningContainer container : running.values()) {
        nodeManagers.stopContainerAsync(
            container.container.getId(), container.container.getNodeId());
      }
      resourceManager.unregisterApplicationMaster(
          succeeded ? FinalApplicationStatus.SUCCEEDED : FinalApplicationStatus.FAILED,
          end.message(),
          null);
      LOG.info("{} ended {}: {}", app.getMetadata().getName(), end.phase(), end.message());
      return succeeded;
    } finally {
      endpoint.close();
      resourceManager.stop();
      nodeManagers.stop();
      yarn.stop();
    }
  }

  private String describe() {
    SupervisionLoop current = loop;
    SupervisorView v = current == null ? new Supervisor(policy).view() : current.view();
    return v.phase() + ", driver attempt " + v.attempt() + ": " + v.message();
  }

  @Override
  public void stopRequested() {
    StopRequested stop = new StopRequested(clock.instant());
    work.add(() -> loop.handle(stop));
  }

  private boolean runsDriver(int attempt) {
    return running.values().stream().anyMatch(r -> r.runsDriver(attempt));
  }

  private Optional<RunningContainer> driverContainer(int attempt) {
    return running.values().stream().filter(r -> r.runsDriver(attempt)).findFirst();
  }

  /**
   * Projects the status as every backend does and, when it changed, logs what a person watching
   * should be told (an input out too long, falling behind).
   */
  private void publishStatus() {
    StreamingAppStatus next =
        StatusProjection.project(
            status,
            loop.view(),
            new DriverObservation(
                driverContainer(driverAttempt)
                    .map(r -> r.container.getId().toString())
                    .orElse(null),
                null,
                lastExitTime,
                lastReport),
            app.getSpec().getExecutor().getInstances(),
            null,
            clock.instant());
    if (next.equals(status)) {
      return;
    }
    for (StatusChanges.Change change : StatusChanges.between(status, next)) {
      if (change.worse()) {
        LOG.warn("{}: {}", app.getMetadata().getName(), change.sentence());
      } else {
        LOG.info("{}: {}", app.getMetadata().getName(), change.sentence());
      }
    }
    status = next;
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

  private void allocated(Container container) {
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

  private void launch(Container container, ContainerLaunchContext context) {
    LOG.info(
        "launching {} in {} on {}",
        running.get(container.getId()).role,
        container.getId(),
        container.getNodeId());
    nodeManagers.startContainerAsync(container, context);
  }

  private void started(ContainerId id) {
    RunningContainer r = running.get(id);
    if (r == null) {
      return;
    }
    loop.handle(
        r.isDriver()
            ? new DriverStarted(clock.instant(), r.role.driverAttempt())
            : new ExecutorStarted(clock.instant(), r.role.executorId()));
  }

  private void startFailed(ContainerId id, Throwable t) {
    allocator.release(id);
    ended(id, new ExitReport(null, "LaunchFailed: " + t.getMessage(), FailureClass.APPLICATION));
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

  private void completed(ContainerStatus status) {
    RunningContainer r = running.get(status.getContainerId());
    boolean requested = r != null && r.endRequested;
    ExitReport exit = ContainerExits.classify(status.getExitStatus(), requested);
    if (r != null && !status.getDiagnostics().isBlank()) {
      LOG.info("{} diagnostics: {}", r.role, status.getDiagnostics().strip());
    }
    ended(status.getContainerId(), exit);
  }

  private Optional<String> published(String name) {
    try {
      return staging.read(name).map(b -> new String(b, StandardCharsets.UTF_8).strip());
    } catch (IOException e) {
      LOG.warn("cannot read {}: {}", staging.uri(name), e.toString());
      return Optional.empty();
    }
  }

  /** Carries the Supervisor's actions out with YARN containers, for the loop's thread. */
  private final class YarnContainers implements SupervisionBackend {
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
      driverContainer(kill.attempt()).ifPresent(ApplicationMaster.this::stopContainer);
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
          .ifPresent(ApplicationMaster.this::stopContainer);
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
     * does not answer for the current attempt (the previous driver's, not yet replaced) is read
     * again on the next poll.
     */
    @Override
    public Optional<DriverStatusReport> pollDriver() {
      if (!runsDriver(driverAttempt)) {
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
      lastReport = report.get();
      publishStatus();
      return report;
    }

    @Override
    public void observe(SupervisorEvent event) {
      if (event instanceof DriverExited exited && exited.attempt() == driverAttempt) {
        lastExitTime = exited.at();
      }
    }

    @Override
    public void handled(SupervisorEvent event, SupervisorView view) {
      publishStatus();
    }

    /** Keeps the ledger a next attempt would continue from. */
    @Override
    public void turnEnded() {
      Map<String, Role> roles = new HashMap<>();
      running.forEach((id, r) -> roles.put(id.toString(), r.role));
      ledger.keep(new AmLedger(supervisor.snapshot(), roles), clock.instant());
    }

    private void logAction(SupervisorAction action) {
      LOG.info("{}", action);
    }
  }

  /** Hands the ResourceManager's callbacks to the supervision thread. */
  private final class ResourceManagerCallbacks extends AMRMClientAsync.AbstractCallbackHandler {
    @Override
    public void onContainersCompleted(List<ContainerStatus> statuses) {
      List<ContainerStatus> copy = new ArrayList<>(statuses);
      work.add(() -> copy.forEach(ApplicationMaster.this::completed));
    }

    @Override
    public void onContainersAllocated(List<Container> containers) {
      List<Container> copy = new ArrayList<>(containers);
      work.add(() -> copy.forEach(ApplicationMaster.this::allocated));
    }

    @Override
    public void onContainersUpdated(List<UpdatedContainer> containers) {}

    @Override
    public void onShutdownRequest() {
      LOG.warn("the ResourceManager asks this ApplicationMaster to shut down; stopping gracefully");
      stopRequested();
    }

    @Override
    public void onNodesUpdated(List<NodeReport> updatedNodes) {}

    @Override
    public float getProgress() {
      return 0;
    }

    @Override
    public void onError(Throwable e) {
      LOG.error("the ResourceManager client failed; stopping gracefully", e);
      stopRequested();
    }
  }

  /** Hands the NodeManagers' callbacks to the supervision thread. */
  private final class NodeManagerCallbacks extends NMClientAsync.AbstractCallbackHandler {
    @Override
    public void onContainerStarted(ContainerId id, Map<String, ByteBuffer> allServiceResponse) {
      work.add(() -> started(id));
    }

    @Override
    public void onContainerStatusReceived(ContainerId id, ContainerStatus status) {}

    @Override
    public void onContainerStopped(ContainerId id) {}

    @Override
    public void onStartContainerError(ContainerId id, Throwable t) {
      work.add(() -> startFailed(id, t));
    }

    @Override
    public void onContainerResourceIncreased(ContainerId id, Resource resource) {}

    @Override
    public void onContainerResourceUpdated(ContainerId id, Resource resource) {}

    @Override
    public void onGetContainerStatusError(ContainerId id, Throwable t) {}

    @Override
    public void onIncreaseContainerResourceError(ContainerId id, Throwable t) {}

    @Override
    public void onUpdateContainerResourceError(ContainerId id, Throwable t) {}

    @Override
    public void onStopContainerError(ContainerId id, Throwable t) {
      LOG.warn("cannot stop container {}: {}", id, t.toString());
    }
  }
}
