package dev.millrace.yarn;

import dev.millrace.crds.StreamingApp;
import dev.millrace.crds.validation.StreamingAppFiles;
import dev.millrace.crds.validation.StreamingAppValidator;
import dev.millrace.crds.validation.Target;
import dev.millrace.runtime.logs.LogLimits;
import java.io.IOException;
import java.io.PrintStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.yarn.api.records.ApplicationId;
import org.apache.hadoop.yarn.api.records.ApplicationReport;
import org.apache.hadoop.yarn.api.records.ApplicationSubmissionContext;
import org.apache.hadoop.yarn.api.records.ContainerLaunchContext;
import org.apache.hadoop.yarn.api.records.FinalApplicationStatus;
import org.apache.hadoop.yarn.api.records.LogAggregationContext;
import org.apache.hadoop.yarn.api.records.YarnApplicationState;
import org.apache.hadoop.yarn.client.api.YarnClient;
import org.apache.hadoop.yarn.client.api.YarnClientApplication;
import org.apache.hadoop.yarn.conf.YarnConfiguration;
import org.apache.hadoop.yarn.exceptions.ApplicationNotFoundException;
import org.apache.hadoop.yarn.exceptions.YarnException;

/**
 * The client side of {@code millrace submit|status|stop --master yarn}: validates and stages an
 * application and submits its ApplicationMaster, follows it, asks it to stop. Prints for humans on
 * {@code out}.
 */
final class YarnSubmitter implements AutoCloseable {
  private static final EnumSet<YarnApplicationState> ENDED =
      EnumSet.of(
          YarnApplicationState.FINISHED, YarnApplicationState.FAILED, YarnApplicationState.KILLED);

  /** ApplicationMaster failures older than this do not count toward the cluster's maximum. */
  static final Duration AM_FAILURES_VALIDITY = Duration.ofMinutes(10);

  private final YarnConfiguration conf;
  private final List<Path> classPath;
  private final PrintStream out;
  private final YarnClient yarn;
  private final HttpClient http =
      HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

  /**
   * A client of the cluster in {@code conf}, staging {@code classPath} (the Millrace runtime and
   * this module, as jars or class directories) for every container.
   */
  YarnSubmitter(YarnConfiguration conf, List<Path> classPath, PrintStream out) {
    this.conf = conf;
    this.classPath = List.copyOf(classPath);
    this.out = out;
    this.yarn = YarnClient.createYarnClient();
    yarn.init(conf);
    yarn.start();
  }

  /**
   * Validates the spec of {@code options} for YARN, with the fields its flags replace, stages it
   * with the class path and its {@code file://} jars, and submits its ApplicationMaster to the
   * queue of {@code options} (null: the default).
   *
   * @throws dev.millrace.crds.validation.InvalidSpecException before anything is staged, if the
   *     spec is not valid for YARN
   */
  ApplicationId submit(SubmitOptions options) throws IOException, YarnException {
    StreamingApp app = StreamingAppFiles.readValid(options.spec(), Target.YARN);
    if (options.overridesSpec()) {
      options.applyTo(app);
      StreamingAppValidator.requireValid(
          app, Target.YARN, options.spec() + " with --java-home and --am-memory applied");
    }
    String queue = options.queue();
    removeEndedStagingDirectories();
    YarnClientApplication application = yarn.createApplication();
    ApplicationSubmissionContext context = application.getApplicationSubmissionContext();
    ApplicationId id = context.getApplicationId();
    StagingDirectory staging = StagingDirectory.forApplication(FileSystem.get(conf), id.toString());
    try {
      staging.stageClassPath(classPath, conf);
      stageApplicationJars(app, staging);
      staging.stageSpec(StreamingAppFiles.toYaml(app));
      StopToken stopToken = StopToken.generate();
      staging.writeStopToken(stopToken);
      ContainerLaunches launches =
          new ContainerLaunches(app, staging.localResources(), id.toString());
      context.setApplicationName(app.getMetadata().getName());
      context.setApplicationType("MILLRACE");
      if (queue != null) {
        context.setQueue(queue);
      }
      context.setResource(launches.applicationMasterResource());
      ContainerLaunchContext applicationMaster = launches.applicationMaster(staging.uri());
      applicationMaster.setTokens(stopToken.credentials());
      context.setAMContainerSpec(applicationMaster);
      // An ApplicationMaster that dies is started again, as often as the cluster allows
      // (yarn.resourcemanager.am.max-attempts) within AM_FAILURES_VALIDITY; the driver and
      // executors keep running meanwhile and the next attempt adopts them.
      context.setKeepContainersAcrossApplicationAttempts(true);
      context.setMaxAppAttempts(
          conf.getInt(
              YarnConfiguration.RM_AM_MAX_ATTEMPTS, YarnConfiguration.DEFAULT_RM_AM_MAX_ATTEMPTS));
      context.setAttemptFailuresValidityInterval(AM_FAILURES_VALIDITY.toMillis());
      // With rolling log aggregation on, the NodeManagers upload each rolled log while the
      // application runs (and everything when it ends).
      context.setLogAggregationContext(
          LogAggregationContext.newInstance(null, null, LogLimits.ROLLED_PATTERN, null));
      yarn.submitApplication(context);
    } catch (IOException | YarnException | RuntimeException e) {
      staging.delete();
      throw e;
    }
    ApplicationReport report = yarn.getApplicationReport(id);
    out.printf(
        "submitted %s as %s to queue %s; staged in %s%n",
        app.getMetadata().getName(), id, report.getQueue(), staging.uri());
    out.printf("tracking URL: %s%n", report.getTrackingUrl());
    return id;
  }

  /**
   * Deletes the staging directories of this user's applications that have ended: an application
   * killed from outside ({@code yarn application -kill}, or its last ApplicationMaster attempt
   * failing) leaves its directory behind, since only a running ApplicationMaster deletes it. Run by
   * every {@code submit}; returns the ids whose directories it deleted.
   */
  List<String> removeEndedStagingDirectories() throws IOException, YarnException {
    FileSystem fs = FileSystem.get(conf);
    List<String> removed = new ArrayList<>();
    for (String name : StagingDirectory.applicationIds(fs)) {
      ApplicationId id;
      try {
        id = ApplicationId.fromString(name);
      } catch (IllegalArgumentException e) {
        continue; // not one of ours
      }
      boolean ended;
      try {
        ended = ENDED.contains(yarn.getApplicationReport(id).getYarnApplicationState());
      } catch (ApplicationNotFoundException e) {
        ended = true; // the ResourceManager no longer remembers it
      }
      if (ended) {
        StagingDirectory.forApplication(fs, name).delete();
        removed.add(name);
        out.printf("removed the staging directory of %s, which has ended%n", name);
      }
    }
    return removed;
  }

  /** Replaces each {@code file://} jar of the spec by its staged copy. */
  private static void stageApplicationJars(StreamingApp app, StagingDirectory staging)
      throws IOException {
    List<String> jars = new ArrayList<>();
    List<String> named = app.getSpec().getApplication().getJars();
    for (int i = 0; i < named.size(); i++) {
      String jar = named.get(i);
      jars.add(
          jar.startsWith("file:") ? staging.stageApplicationJar(i, Path.of(URI.create(jar))) : jar);
    }
    app.getSpec().getApplication().setJars(jars);
  }

  /**
   * Prints the application's state as it changes until it ends, and deletes its staging directory
   * if its ApplicationMaster could not (it was killed). Returns its final status.
   */
  FinalApplicationStatus await(ApplicationId id, Duration timeout)
      throws IOException, YarnException, InterruptedException {
    long deadline = System.nanoTime() + timeout.toNanos();
    YarnApplicationState last = null;
    while (true) {
      ApplicationReport report = yarn.getApplicationReport(id);
      if (report.getYarnApplicationState() != last) {
        last = report.getYarnApplicationState();
        out.printf("%s: %s%n", id, last);
      }
      if (ENDED.contains(last)) {
        out.printf(
            "%s ended %s: %s%n", id, report.getFinalApplicationStatus(), report.getDiagnostics());
        StagingDirectory staging =
            StagingDirectory.forApplication(FileSystem.get(conf), id.toString());
        if (staging.exists()) {
          staging.delete();
        }
        return report.getFinalApplicationStatus();
      }
      if (System.nanoTime() > deadline) {
        return FinalApplicationStatus.UNDEFINED;
      }
      Thread.sleep(1000);
    }
  }

  /** Prints the application's YARN state and, while it runs, what its Supervisor knows. */
  void printStatus(ApplicationId id) throws IOException, YarnException, InterruptedException {
    ApplicationReport report = yarn.getApplicationReport(id);
    out.printf(
        "%s (%s): %s, final status %s%n",
        id, report.getName(), report.getYarnApplicationState(), report.getFinalApplicationStatus());
    out.printf("tracking URL: %s%n", report.getTrackingUrl());
    if (report.getYarnApplicationState() == YarnApplicationState.RUNNING) {
      HttpResponse<String> supervisor =
          http.send(
              HttpRequest.newBuilder(amUri(report, "supervisor"))
                  .timeout(Duration.ofSeconds(5))
                  .build(),
              HttpResponse.BodyHandlers.ofString());
      out.print(supervisor.body());
      HttpResponse<String> status =
          http.send(
              HttpRequest.newBuilder(amUri(report, "status"))
                  .timeout(Duration.ofSeconds(5))
                  .build(),
              HttpResponse.BodyHandlers.ofString());
      if (status.statusCode() == 200) {
        AmStatus.describe(AmStatus.fromYaml(status.body())).forEach(out::println);
      }
    } else if (!report.getDiagnostics().isBlank()) {
      out.println(report.getDiagnostics());
    }
  }

  /**
   * Asks the application's ApplicationMaster to stop it gracefully, with the stop token its submit
   * kept in the staging directory: the driver gets SIGTERM, finishes its batch and checkpoints, and
   * the application ends SUCCEEDED.
   *
   * @throws IllegalStateException if the application is not running, or its stop token cannot be
   *     read
   */
  void requestStop(ApplicationId id) throws IOException, YarnException, InterruptedException {
    ApplicationReport report = yarn.getApplicationReport(id);
    if (report.getYarnApplicationState() != YarnApplicationState.RUNNING) {
      throw new IllegalStateException(
          id
              + " is "
              + report.getYarnApplicationState()
              + ", not RUNNING, so its ApplicationMaster cannot stop it gracefully; wait until it"
              + " runs, or end it at once with 'yarn application -kill "
              + id
              + "'");
    }
    StagingDirectory staging = StagingDirectory.forApplication(FileSystem.get(conf), id.toString());
    StopToken token;
    try {
      token = staging.readStopToken();
    } catch (IOException e) {
      throw new IllegalStateException(
          "cannot read the stop token of "
              + id
              + " in "
              + staging.uri(StagingDirectory.STOP_TOKEN)
              + " ("
              + e.getMessage()
              + "); only the user who submitted it can stop it gracefully: run 'millrace stop "
              + id
              + "' as that user, or end it at once with 'yarn application -kill "
              + id
              + "'",
          e);
    }
    HttpResponse<String> response =
        http.send(
            HttpRequest.newBuilder(amUri(report, "stop"))
                .header("Authorization", "Bearer " + token.value())
                .POST(HttpRequest.BodyPublishers.noBody())
                .timeout(Duration.ofSeconds(5))
                .build(),
            HttpResponse.BodyHandlers.ofString());
    if (response.statusCode() / 100 != 2) {
      throw new IllegalStateException(
          "the ApplicationMaster of " + id + " refused to stop: " + response.body());
    }
    out.printf("%s: %s", id, response.body());
  }

  // The AM's own address: the proxied tracking URL needs the RM's web proxy, which may be off.
  private static URI amUri(ApplicationReport report, String path) {
    String base = report.getOriginalTrackingUrl();
    if (!base.startsWith("http")) {
      base = "http://" + base;
    }
    return URI.create(base.endsWith("/") ? base + path : base + "/" + path);
  }

  @Override
  public void close() throws IOException {
    yarn.stop();
  }
}
