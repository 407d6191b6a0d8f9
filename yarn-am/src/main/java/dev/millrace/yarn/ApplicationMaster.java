package dev.millrace.yarn;

import dev.millrace.crds.Phase;
import dev.millrace.crds.StreamingApp;
import dev.millrace.crds.supervision.SupervisionClock;
import dev.millrace.crds.supervision.SupervisionLoop;
import dev.millrace.crds.supervision.Supervisor;
import dev.millrace.crds.supervision.SupervisorEvent.StopRequested;
import dev.millrace.crds.supervision.SupervisorPolicy;
import dev.millrace.crds.supervision.SupervisorView;
import dev.millrace.crds.validation.StreamingAppFiles;
import dev.millrace.crds.validation.Target;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.yarn.api.ApplicationConstants;
import org.apache.hadoop.yarn.api.protocolrecords.RegisterApplicationMasterResponse;
import org.apache.hadoop.yarn.api.records.ContainerId;
import org.apache.hadoop.yarn.api.records.FinalApplicationStatus;
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
 * Supervisor decides, the {@link YarnSupervisionBackend} carries its decisions out and feeds it
 * container exits and batch progress, and this class feeds it stop requests. It unregisters
 * SUCCEEDED after a graceful stop, FAILED when the Supervisor gives up, and deletes the staging
 * directory.
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
 * <p>This class is the wiring: YARN's clients, the endpoint, the adoption of a previous attempt's
 * containers and the {@link SupervisionLoop} that runs the Supervisor over the containers' {@link
 * YarnSupervisionBackend}. All supervision runs on the thread that calls {@link #run()}; YARN's
 * callback threads ({@link YarnCallbacks}) and the HTTP endpoint only queue work for it.
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
  private final LedgerStore ledger;
  private final ProjectedStatus status;
  // Work for the supervision thread; callbacks may queue it before the loop is built.
  private final BlockingQueue<Runnable> work = new LinkedBlockingQueue<>();
  private final String host;

  // Built by the thread in run(), once YARN's clients are up; read by the endpoint's thread.
  private volatile YarnSupervisionBackend containers;
  private volatile SupervisionLoop loop;

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
    this.status = new ProjectedStatus(app, clock);
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
            () ->
                Optional.ofNullable(containers)
                    .flatMap(YarnSupervisionBackend::driverStatusAddress),
            this::describe,
            () -> status.current().map(AmStatus::toYaml));
    YarnClient yarn = YarnClient.createYarnClient();
    yarn.init(conf);
    yarn.start();
    NMClientAsync nodeManagers =
        NMClientAsync.createNMClientAsync(new YarnCallbacks.NodeManagers(work, () -> containers));
    nodeManagers.init(conf);
    nodeManagers.start();
    AMRMClientAsync<ContainerRequest> resourceManager =
        AMRMClientAsync.createAMRMClientAsync(
            500, new YarnCallbacks.ResourceManager(work, () -> containers, this));
    resourceManager.init(conf);
    resourceManager.start();
    ContainerAllocator allocator =
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
      YarnSupervisionBackend backend =
          new YarnSupervisionBackend(
              adoption, launches, staging, allocator, nodeManagers, yarn, ledger, status, clock);
      SupervisionLoop supervision =
          new SupervisionLoop(
              adoption.supervisor(), backend, SupervisionClock.of(clock), POLL_INTERVAL, work);
      backend.reportTo(supervision);
      containers = backend;
      loop = supervision;
      adoption.events().forEach(supervision::handle);
      if (adoption.continued()) {
        LOG.info(
            "continued from the ledger of a previous attempt: driver attempt {}, {} of {}"
                + " containers adopted; {}",
            supervision.view().attempt(),
            adoption.adopted().size(),
            adoption.ledgerContainers(),
            supervision.view().message());
      }
      SupervisorView end = supervision.run();
      boolean succeeded = end.phase() == Phase.Succeeded;
      backend.stopAll();
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
}
