package dev.millrace.crds;

import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Default;
import io.fabric8.generator.annotation.Pattern;
import io.fabric8.generator.annotation.Required;

/**
 * The desired state of a {@link StreamingApp}: what to run and how to keep it running. The same
 * YAML serves {@code kubectl apply}, {@code millrace run} and {@code millrace submit --master
 * yarn}.
 */
public class StreamingAppSpec {
  @JsonPropertyDescription(
      "Container image with the Millrace runtime and the application; required on Kubernetes, unused elsewhere.")
  private String image;

  @JsonPropertyDescription("When Kubernetes pulls the image.")
  @Default("IfNotPresent")
  private ImagePullPolicy imagePullPolicy = ImagePullPolicy.IfNotPresent;

  @JsonPropertyDescription("The application: main class, jars, arguments, engine settings.")
  @Required
  private ApplicationSpec application = new ApplicationSpec();

  @JsonPropertyDescription("The batch interval, at least 10ms, e.g. 1s or 200ms.")
  @Required
  @Pattern(SpecDurations.PATTERN)
  private String batchInterval;

  @JsonPropertyDescription("Where and how often state is checkpointed.")
  @Required
  private CheckpointSpec checkpoint = new CheckpointSpec();

  @JsonPropertyDescription("The driver process's resources.")
  private DriverSpec driver = new DriverSpec();

  @JsonPropertyDescription("The executor processes; none runs tasks in the driver.")
  private ExecutorSpec executor = new ExecutorSpec();

  @JsonPropertyDescription(
      "YARN only: the containers' Java home and the ApplicationMaster's memory; ignored elsewhere.")
  private YarnSpec yarn = new YarnSpec();

  @JsonPropertyDescription(
      "Kubernetes only: a Log4j 2 configuration in a ConfigMap, replacing Millrace's default in the driver and executor pods.")
  private LoggingSpec logging = new LoggingSpec();

  @JsonPropertyDescription("When and how fast a stopped driver is restarted.")
  private RestartPolicySpec restartPolicy = new RestartPolicySpec();

  @JsonPropertyDescription("When a live driver that makes no progress is restarted.")
  private HealthCheckSpec healthCheck = new HealthCheckSpec();

  @JsonPropertyDescription(
      "How an application change is rolled out: resume from the checkpoint or start fresh.")
  @Default("last-state")
  private UpgradeMode upgradeMode = UpgradeMode.LAST_STATE;

  @JsonPropertyDescription(
      "true stops the application gracefully, keeping its checkpoint; false resumes it.")
  @Default("false")
  private boolean suspend = false;

  @JsonPropertyDescription("Any new value restarts the driver gracefully (from the checkpoint).")
  private String restartNonce;

  @JsonPropertyDescription(
      "How long a graceful stop may take (finish the batch, write the final checkpoint) before the driver is killed.")
  @Default("60s")
  @Pattern(SpecDurations.PATTERN)
  private String gracefulStopTimeout = "60s";

  /**
   * Container image with the Millrace runtime and the application; required on Kubernetes, unused
   * elsewhere.
   */
  public String getImage() {
    return image;
  }

  /** Sets {@link #getImage()}. */
  public void setImage(String image) {
    this.image = image;
  }

  /** When Kubernetes pulls {@link #getImage() the image}. */
  public ImagePullPolicy getImagePullPolicy() {
    return imagePullPolicy;
  }

  /** Sets {@link #getImagePullPolicy()}. */
  public void setImagePullPolicy(ImagePullPolicy imagePullPolicy) {
    this.imagePullPolicy = imagePullPolicy;
  }

  /** The application: main class, jars, arguments, engine settings. */
  public ApplicationSpec getApplication() {
    return application;
  }

  /** Sets {@link #getApplication()}. */
  public void setApplication(ApplicationSpec application) {
    this.application = application;
  }

  /** The batch interval, at least {@code 10ms}, e.g. {@code 1s} or {@code 200ms}. */
  public String getBatchInterval() {
    return batchInterval;
  }

  /** Sets {@link #getBatchInterval()}. */
  public void setBatchInterval(String batchInterval) {
    this.batchInterval = batchInterval;
  }

  /** Where and how often state is checkpointed. */
  public CheckpointSpec getCheckpoint() {
    return checkpoint;
  }

  /** Sets {@link #getCheckpoint()}. */
  public void setCheckpoint(CheckpointSpec checkpoint) {
    this.checkpoint = checkpoint;
  }

  /** The driver process's resources. */
  public DriverSpec getDriver() {
    return driver;
  }

  /** Sets {@link #getDriver()}. */
  public void setDriver(DriverSpec driver) {
    this.driver = driver;
  }

  /** The executor processes; none runs tasks in the driver. */
  public ExecutorSpec getExecutor() {
    return executor;
  }

  /** Sets {@link #getExecutor()}. */
  public void setExecutor(ExecutorSpec executor) {
    this.executor = executor;
  }

  /** YARN only: the containers' Java home and the ApplicationMaster's memory. */
  public YarnSpec getYarn() {
    return yarn;
  }

  /** Sets {@link #getYarn()}. */
  public void setYarn(YarnSpec yarn) {
    this.yarn = yarn;
  }

  /** Kubernetes only: a Log4j 2 configuration in a ConfigMap, replacing Millrace's default. */
  public LoggingSpec getLogging() {
    return logging;
  }

  /** Sets {@link #getLogging()}. */
  public void setLogging(LoggingSpec logging) {
    this.logging = logging;
  }

  /** When and how fast a stopped driver is restarted. */
  public RestartPolicySpec getRestartPolicy() {
    return restartPolicy;
  }

  /** Sets {@link #getRestartPolicy()}. */
  public void setRestartPolicy(RestartPolicySpec restartPolicy) {
    this.restartPolicy = restartPolicy;
  }

  /** When a live driver that makes no progress is restarted. */
  public HealthCheckSpec getHealthCheck() {
    return healthCheck;
  }

  /** Sets {@link #getHealthCheck()}. */
  public void setHealthCheck(HealthCheckSpec healthCheck) {
    this.healthCheck = healthCheck;
  }

  /** How an application change is rolled out: resume from the checkpoint or start fresh. */
  public UpgradeMode getUpgradeMode() {
    return upgradeMode;
  }

  /** Sets {@link #getUpgradeMode()}. */
  public void setUpgradeMode(UpgradeMode upgradeMode) {
    this.upgradeMode = upgradeMode;
  }

  /**
   * {@code true} stops the application gracefully, keeping its checkpoint; {@code false} resumes
   * it.
   */
  public boolean isSuspend() {
    return suspend;
  }

  /** Sets {@link #isSuspend()}. */
  public void setSuspend(boolean suspend) {
    this.suspend = suspend;
  }

  /** Any new value restarts the driver gracefully (from the checkpoint). */
  public String getRestartNonce() {
    return restartNonce;
  }

  /** Sets {@link #getRestartNonce()}. */
  public void setRestartNonce(String restartNonce) {
    this.restartNonce = restartNonce;
  }

  /**
   * How long a graceful stop may take (finish the batch, write the final checkpoint) before the
   * driver is killed.
   */
  public String getGracefulStopTimeout() {
    return gracefulStopTimeout;
  }

  /** Sets {@link #getGracefulStopTimeout()}. */
  public void setGracefulStopTimeout(String gracefulStopTimeout) {
    this.gracefulStopTimeout = gracefulStopTimeout;
  }
}
