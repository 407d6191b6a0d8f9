package dev.millrace.yarn;

import dev.millrace.crds.Phase;
import dev.millrace.crds.StreamingApp;
import dev.millrace.crds.StreamingAppStatus;
import dev.millrace.crds.launch.DriverStatusClient;
import dev.millrace.crds.launch.DriverStatusReport;
import dev.millrace.crds.supervision.DriverAttemptState;
import dev.millrace.crds.supervision.DriverObservation;
import dev.millrace.crds.supervision.ExitReport;
import dev.millrace.crds.supervision.FailureClass;
import dev.millrace.crds.supervision.StatusChanges;
import dev.millrace.crds.supervision.StatusProjection;
import dev.millrace.crds.supervision.Supervisor;
import dev.millrace.crds.supervision.SupervisorAction;
import dev.millrace.crds.supervision.SupervisorAction.KillDriver;
import dev.millrace.crds.supervision.SupervisorAction.LaunchDriver;
import dev.millrace.crds.supervision.SupervisorAction.LaunchExecutor;
import dev.millrace.crds.supervision.SupervisorAction.StopDriver;
import dev.millrace.crds.supervision.SupervisorAction.StopExecutor;
import dev.millrace.crds.supervision.SupervisorEvent;
import dev.millrace.crds.supervision.SupervisorEvent.BatchCompleted;
import dev.millrace.crds.supervision.SupervisorEvent.DriverExited;
import dev.millrace.crds.supervision.SupervisorEvent.DriverStarted;
import dev.millrace.crds.supervision.SupervisorEvent.ExecutorExited;
import dev.millrace.crds.supervision.SupervisorEvent.ExecutorStarted;
import dev.millrace.crds.supervision.SupervisorEvent.StopRequested;
import dev.millrace.crds.supervision.SupervisorEvent.Tick;
import dev.millrace.crds.supervision.SupervisorPolicy;
import dev.millrace.crds.supervision.SupervisorSnapshot;
import dev.millrace.crds.supervision.SupervisorSnapshot.ExecutorSnapshot;
import dev.millrace.crds.supervision.SupervisorSnapshot.ExecutorState;
import dev.millrace.crds.supervision.SupervisorView;
import dev.millrace.crds.validation.StreamingAppFiles;
import dev.millrace.crds.validation.Target;
import dev.millrace.yarn.AmLedger.Role;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Queue;
import java.util.Set;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.yarn.api.ApplicationConstants;
import org.apache.hadoop.yarn.api.protocolrecords.RegisterApplicationMasterResponse;
import org.apache.hadoop.yarn.api.records.Container;
import org.apache.hadoop.yarn.api.records.ContainerId;
import org.apache.hadoop.yarn.api.records.ContainerLaunchContext;
import org.apache.hadoop.yarn.api.records.ContainerStatus;
import org.apache.hadoop.yarn.api.records.FinalApplicationStatus;
import org.apache.hadoop.yarn.api.records.NodeReport;
import org.apache.hadoop.yarn.api.records.Priority;
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
 * attempt keeps an {@link AmLedger} in the staging directory: the Supervisor's snapshot and which
 * container runs what. The next attempt reads it, adopts the containers YARN hands it from the
 * previous attempts, and continues the same supervision; a container it cannot place is released,
 * and what the ledger says runs but YARN no longer has ended while no ApplicationMaster watched,
 * which is not the application's fault. Executors find the driver, and this class finds the
 * driver's status, through the addresses the driver container publishes in the staging directory
 * ({@link DriverContainer}), never through this process.
 *
 * <p>All supervision runs on the thread that calls {@link #run()}; YARN's callback threads and the
 * HTTP endpoint only queue work for it.
 */
public final class ApplicationMaster implements AmEndpoint.Listener {
  private static final Logger LOG = LoggerFactory.getLogger(ApplicationMaster.class);
  private static final Priority DRIVER_PRIORITY = Priority.newInstance(0);
  private static final Priority EXECUTOR_PRIORITY = Priority.newInstance(1);
  private static final Duration POLL_INTERVAL = Duration.ofSeconds(1);

  /** How often the ledger is rewritten when only clocks and batch progress have changed. */
  private static final Duration LEDGER_PROGRESS_INTERVAL = Duration.ofSeconds(10);

  private final StreamingApp app;
  private final ContainerLaunches launches;
  private final StagingDirectory staging;
  private final YarnConfiguration conf;
  private final Clock clock = Clock.systemUTC();
  private final SupervisorPolicy policy;
  private final DriverStatusClient statusClient = new DriverStatusClient();
  private final BlockingQueue<Runnable> work = new LinkedBlockingQueue<>();
  private final String host;

  // Owned by the thread in run().
  private AMRMClientAsync<ContainerRequest> resourceManager;
  private NMClientAsync nodeManagers;
  private YarnClient yarn;
  private AmEndpoint endpoint;
  private Supervisor supervisor;
  private AmLedger written;
  private Instant writtenAt = Instant.MIN;
  private Integer pendingDriverAttempt;
  private boolean freshCheckpoint;
  private final Queue<String> pendingExecutors = new ArrayDeque<>();
  private final Map<ContainerId, Running> running = new HashMap<>();
  private int driverAttempt;
  private long lastBatchTime = Long.MIN_VALUE;
  private volatile String driverStatusAddress;
  private volatile SupervisorView view;
  // The status every backend projects, as millrace status and GET /status show it; the driver's
  // newest report and the time its attempt last exited feed it.
  private volatile StreamingAppStatus status;
  private DriverStatusReport lastReport;
  private Instant lastExitTime;

  /** A container this AM launched or adopted: a driver attempt or an executor. */
  private static final class Running {
    final Container container;
    final Role role;
    boolean endRequested;

    Running(Container container, Role role) {
      this.container = container;
      this.role = role;
    }

    boolean isDriver() {
      return role.isDriver();
    }

    boolean runsDriver(int attempt) {
      return role.isDriver() && role.driverAttempt() == attempt;
    }
  }

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
    this.supervisor = new Supervisor(policy);
    this.view = supervisor.view();
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
    endpoint =
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
    String trackingUrl = "http://" + host + ":" + endpoint.port() + "/";
    RegisterApplicationMasterResponse registration =
        resourceManager.registerApplicationMaster(host, endpoint.port(), trackingUrl);
    LOG.info("{} registered; tracking URL {}", app.getMetadata().getName(), trackingUrl);
    try {
      adopt(registration.getContainersFromPreviousAttempts());
      pollStatus();
      handle(new Tick(clock.instant()));
      keepLedger();
      Instant nextPoll = clock.instant();
      while (!view.terminal()) {
        Instant now = clock.instant();
        Instant poll = nextPoll;
        Instant wakeUp = supervisor.nextDeadline().filter(d -> d.isBefore(poll)).orElse(poll);
        Runnable task =
            work.poll(Math.max(0, Duration.between(now, wakeUp).toMillis()), TimeUnit.MILLISECONDS);
        if (task != null) {
          task.run();
        }
        if (!clock.instant().isBefore(nextPoll)) {
          pollStatus();
          nextPoll = clock.instant().plus(POLL_INTERVAL);
        }
        handle(new Tick(clock.instant()));
        keepLedger();
      }
      boolean succeeded = view.phase() == Phase.Succeeded;
      for (Running container : running.values()) {
        nodeManagers.stopContainerAsync(
            container.container.getId(), container.container.getNodeId());
      }
      resourceManager.unregisterApplicationMaster(
          succeeded ? FinalApplicationStatus.SUCCEEDED : FinalApplicationStatus.FAILED,
          view.message(),
          null);
      LOG.info("{} ended {}: {}", app.getMetadata().getName(), view.phase(), view.message());
      return succeeded;
    } finally {
      endpoint.close();
      resourceManager.stop();
      nodeManagers.stop();
      yarn.stop();
    }
  }

  private String describe() {
    SupervisorView v = view;
    return v.phase() + ", driver attempt " + v.attempt() + ": " + v.message();
  }

  @Override
  public void stopRequested() {
    work.add(() -> handle(new StopRequested(clock.instant())));
  }

  private boolean runsDriver(int attempt) {
    return running.values().stream().anyMatch(r -> r.runsDriver(attempt));
  }

  private void handle(SupervisorEvent event) {
    if (event instanceof DriverExited exited && exited.attempt() == driverAttempt) {
      lastExitTime = exited.at();
    }
    for (SupervisorAction action : supervisor.on(event)) {
      carryOut(action);
    }
    view = supervisor.view();
    publishStatus();
  }

  /**
   * Projects the status as every backend does and, when it changed, logs what a person watching
   * should be told (an input out too long, falling behind).
   */
  private void publishStatus() {
    StreamingAppStatus next =
        StatusProjection.project(
            status,
            view,
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

  private void carryOut(SupervisorAction action) {
    LOG.info("{}", action);
    if (action instanceof LaunchDriver launch) {
      driverAttempt = launch.attempt();
      pendingDriverAttempt = launch.attempt();
      freshCheckpoint = launch.freshCheckpoint();
      resourceManager.addContainerRequest(request(launches.driverResource(), DRIVER_PRIORITY));
    } else if (action instanceof LaunchExecutor launch) {
      pendingExecutors.add(launch.executorId());
      resourceManager.addContainerRequest(request(launches.executorResource(), EXECUTOR_PRIORITY));
    } else if (action instanceof StopDriver stop) {
      driverContainer(stop.attempt())
          .ifPresent(
              driver -> {
                driver.endRequested = true;
                signalGracefulShutdown(driver);
              });
    } else if (action instanceof KillDriver kill) {
      driverContainer(kill.attempt()).ifPresent(this::stopContainer);
    } else if (action instanceof StopExecutor stop) {
      if (pendingExecutors.remove(stop.executorId())) {
        resourceManager.removeContainerRequest(
            request(launches.executorResource(), EXECUTOR_PRIORITY));
        // Queued, not handled here: the Supervisor is still returning this event's actions.
        ExecutorExited exited =
            new ExecutorExited(
                clock.instant(),
                stop.executorId(),
                new ExitReport(null, "NeverStarted", FailureClass.REQUESTED));
        work.add(() -> handle(exited));
      }
      running.values().stream()
          .filter(r -> stop.executorId().equals(r.role.executorId()))
          .findFirst()
          .ifPresent(this::stopContainer);
    }
  }

  private Optional<Running> driverContainer(int attempt) {
    return running.values().stream().filter(r -> r.runsDriver(attempt)).findFirst();
  }

  private void stopContainer(Running container) {
    container.endRequested = true;
    nodeManagers.stopContainerAsync(container.container.getId(), container.container.getNodeId());
  }

  /**
   * SIGTERM to the driver (YARN's {@code GRACEFUL_SHUTDOWN}), without the SIGKILL that a container
   * stop sends 250 ms later: the driver finishes its batch and checkpoints; the Supervisor's grace
   * period bounds it with a {@link KillDriver}.
   */
  private void signalGracefulShutdown(Running driver) {
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

  private static ContainerRequest request(Resource resource, Priority priority) {
    return new ContainerRequest(resource, null, null, priority);
  }

  private void allocated(Container container) {
    int priority = container.getPriority().getPriority();
    if (priority == DRIVER_PRIORITY.getPriority() && pendingDriverAttempt != null) {
      int attempt = pendingDriverAttempt;
      pendingDriverAttempt = null;
      resourceManager.removeContainerRequest(request(launches.driverResource(), DRIVER_PRIORITY));
      running.put(container.getId(), new Running(container, Role.driver(attempt)));
      driverStatusAddress = null;
      lastBatchTime = Long.MIN_VALUE;
      launch(container, launches.driver(attempt, freshCheckpoint, staging.uri(), container));
    } else if (priority == EXECUTOR_PRIORITY.getPriority() && !pendingExecutors.isEmpty()) {
      String id = pendingExecutors.poll();
      resourceManager.removeContainerRequest(
          request(launches.executorResource(), EXECUTOR_PRIORITY));
      running.put(container.getId(), new Running(container, Role.executor(id)));
      launch(
          container, launches.executor(id, staging.uri(StagingDirectory.DRIVER_EXECUTORS_ADDRESS)));
    } else {
      // YARN may allocate more than was asked: give the extra back.
      resourceManager.releaseAssignedContainer(container.getId());
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
    Running r = running.get(id);
    if (r == null) {
      return;
    }
    handle(
        r.isDriver()
            ? new DriverStarted(clock.instant(), r.role.driverAttempt())
            : new ExecutorStarted(clock.instant(), r.role.executorId()));
  }

  private void startFailed(ContainerId id, Throwable t) {
    resourceManager.releaseAssignedContainer(id);
    ended(id, new ExitReport(null, "LaunchFailed: " + t.getMessage(), FailureClass.APPLICATION));
  }

  private void ended(ContainerId id, ExitReport exit) {
    Running r = running.remove(id);
    if (r == null) {
      return; // an extra container given back
    }
    LOG.info("{} in {} ended: {}", r.role, id, exit.describe());
    if (r.isDriver()) {
      if (r.runsDriver(driverAttempt)) {
        driverStatusAddress = null;
      }
      handle(new DriverExited(clock.instant(), r.role.driverAttempt(), exit));
    } else {
      handle(new ExecutorExited(clock.instant(), r.role.executorId(), exit));
    }
  }

  private void completed(ContainerStatus status) {
    Running r = running.get(status.getContainerId());
    boolean requested = r != null && r.endRequested;
    ExitReport exit = ContainerExits.classify(status.getExitStatus(), requested);
    if (r != null && !status.getDiagnostics().isBlank()) {
      LOG.info("{} diagnostics: {}", r.role, status.getDiagnostics().strip());
    }
    ended(status.getContainerId(), exit);
  }

  /**
   * Reads the current driver's progress into the Supervisor. Its status address is the one its
   * container published; one that does not answer for the current attempt (the previous driver's,
   * not yet replaced) is read again on the next poll.
   */
  private void pollStatus() {
    if (!runsDriver(driverAttempt)) {
      return;
    }
    String address = driverStatusAddress;
    if (address == null) {
      address = published(StagingDirectory.DRIVER_STATUS_ADDRESS).orElse(null);
      if (address == null) {
        return;
      }
    }
    Optional<DriverStatusReport> report = statusClient.poll(address);
    if (report.isEmpty() || report.get().attempt() != driverAttempt) {
      driverStatusAddress = null;
      return;
    }
    driverStatusAddress = address;
    lastReport = report.get();
    publishStatus();
    Long batchTime = report.get().lastCompletedBatchTimeMs();
    if (batchTime != null && batchTime > lastBatchTime) {
      lastBatchTime = batchTime;
      handle(new BatchCompleted(clock.instant(), Instant.ofEpochMilli(batchTime)));
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

  /**
   * Continues where the previous attempts left off: restores the Supervisor from the ledger and
   * adopts the containers YARN kept for this attempt. A container the ledger does not place (or
   * places in an attempt long gone) is released; a driver or executor the Supervisor counts as live
   * that YARN no longer has ended while no ApplicationMaster watched: not the application's fault,
   * so not counted toward its restarts.
   */
  private void adopt(List<Container> previous) {
    Optional<AmLedger> ledger = readLedger();
    if (ledger.isEmpty()) {
      for (Container container : previous) {
        LOG.warn("releasing {}: no ledger says what it runs", container.getId());
        resourceManager.releaseAssignedContainer(container.getId());
      }
      return;
    }
    SupervisorSnapshot snapshot = ledger.get().supervisor();
    supervisor = Supervisor.restore(policy, snapshot);
    view = supervisor.view();
    driverAttempt = snapshot.attempt();
    freshCheckpoint = snapshot.attemptStartsFresh();
    lastBatchTime =
        snapshot.lastBatchTime() == null ? Long.MIN_VALUE : snapshot.lastBatchTime().toEpochMilli();
    Set<String> tracked = new HashSet<>();
    for (ExecutorSnapshot executor : snapshot.executors()) {
      tracked.add(executor.id());
    }
    for (Container container : previous) {
      Role role = ledger.get().containers().get(container.getId().toString());
      boolean current =
          role != null
              && (role.isDriver()
                  ? role.driverAttempt() == driverAttempt
                  : tracked.contains(role.executorId()));
      if (current) {
        LOG.info("adopted {} in {}", role, container.getId());
        running.put(container.getId(), new Running(container, role));
      } else {
        LOG.warn(
            "releasing {} from a previous attempt: {}",
            container.getId(),
            role == null ? "the ledger does not place it" : role + " is no longer supervised");
        resourceManager.releaseAssignedContainer(container.getId());
      }
    }
    Instant now = clock.instant();
    ExitReport lost =
        new ExitReport(null, "EndedWhileNoApplicationMasterRan", FailureClass.INFRASTRUCTURE);
    if (snapshot.driverState() != DriverAttemptState.NONE) {
      handle(
          runsDriver(driverAttempt)
              ? new DriverStarted(now, driverAttempt)
              : new DriverExited(now, driverAttempt, lost));
    }
    for (ExecutorSnapshot executor : snapshot.executors()) {
      if (executor.state() == ExecutorState.WAITING) {
        continue;
      }
      boolean adopted =
          running.values().stream().anyMatch(r -> executor.id().equals(r.role.executorId()));
      handle(
          adopted
              ? new ExecutorStarted(now, executor.id())
              : new ExecutorExited(now, executor.id(), lost));
    }
    LOG.info(
        "continued from the ledger of a previous attempt: driver attempt {}, {} of {} containers"
            + " adopted; {}",
        driverAttempt,
        running.size(),
        ledger.get().containers().size(),
        view.message());
  }

  private Optional<AmLedger> readLedger() {
    try {
      Optional<byte[]> bytes = staging.read(StagingDirectory.LEDGER);
      if (bytes.isPresent()) {
        return Optional.of(AmLedger.fromJson(bytes.get()));
      }
      return Optional.empty();
    } catch (IOException e) {
      LOG.warn(
          "cannot read the ledger {} ({}); starting supervision afresh: the driver restarts from"
              + " its checkpoint",
          staging.uri(StagingDirectory.LEDGER),
          e.getMessage());
      return Optional.empty();
    }
  }

  /**
   * Writes the ledger when what it says has changed, and at least every {@link
   * #LEDGER_PROGRESS_INTERVAL} while only batch progress moves. A write that fails is tried again
   * on the next turn; the application runs on meanwhile.
   */
  private void keepLedger() {
    Map<String, Role> roles = new HashMap<>();
    running.forEach((id, r) -> roles.put(id.toString(), r.role));
    AmLedger now = new AmLedger(supervisor.snapshot(), roles);
    Instant time = clock.instant();
    boolean due =
        written == null
            || !now.sameButProgress(written)
            || !time.isBefore(writtenAt.plus(LEDGER_PROGRESS_INTERVAL));
    if (!due) {
      return;
    }
    try {
      staging.publish(StagingDirectory.LEDGER, now.toJson());
      written = now;
      writtenAt = time;
    } catch (IOException e) {
      LOG.warn(
          "cannot write the ledger {}: {}; a restarted ApplicationMaster would restart the driver"
              + " from its checkpoint instead of adopting it",
          staging.uri(StagingDirectory.LEDGER),
          e.toString());
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
