package dev.millrace.yarn;

import dev.millrace.crds.DriverSpec;
import dev.millrace.crds.ExecutorSpec;
import dev.millrace.crds.SpecMemory;
import dev.millrace.crds.StreamingApp;
import dev.millrace.crds.YarnSpec;
import dev.millrace.crds.launch.JvmHeap;
import dev.millrace.crds.launch.LaunchArguments;
import dev.millrace.runtime.config.ContainerEnvironment;
import dev.millrace.runtime.logs.ProcessLogging;
import io.fabric8.kubernetes.api.model.EnvVar;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.hadoop.yarn.api.ApplicationConstants;
import org.apache.hadoop.yarn.api.records.Container;
import org.apache.hadoop.yarn.api.records.ContainerLaunchContext;
import org.apache.hadoop.yarn.api.records.LocalResource;
import org.apache.hadoop.yarn.api.records.Resource;

/**
 * The launch contexts of an application's containers: the ApplicationMaster, each driver attempt
 * and each executor, all with the staged jars and spec localized, the class path {@code <container
 * dir>/*}, the spec's resources and environment, a heap by {@link JvmHeap}, and the Java of {@code
 * spec.yarn.javaHome} (the NodeManager's {@code JAVA_HOME} without it).
 */
final class ContainerLaunches {
  private final StreamingApp app;
  private final Map<String, LocalResource> resources;
  private final String applicationId;

  /**
   * The launches of {@code app}'s containers, with {@code resources} localized; {@code
   * applicationId} names the supervisor to the checkpoint's lease: it stays the same across
   * ApplicationMaster attempts, so a driver attempt launched by a restarted AM takes over from one
   * an earlier AM launched.
   */
  ContainerLaunches(StreamingApp app, Map<String, LocalResource> resources, String applicationId) {
    this.app = app;
    this.resources = Map.copyOf(resources);
    this.applicationId = applicationId;
  }

  /** The resource of a driver container: {@code spec.driver.memory} and {@code cores}. */
  Resource driverResource() {
    DriverSpec driver = app.getSpec().getDriver();
    return Resource.newInstance(megabytes(driver.getMemory()), driver.getCores());
  }

  /** The resource of an executor container: {@code spec.executor.memory} and {@code cores}. */
  Resource executorResource() {
    ExecutorSpec executor = app.getSpec().getExecutor();
    return Resource.newInstance(megabytes(executor.getMemory()), executor.getCores());
  }

  /**
   * The resource of the ApplicationMaster's container: {@code spec.yarn.amMemory} and one core (it
   * only supervises).
   */
  Resource applicationMasterResource() {
    return Resource.newInstance(megabytes(applicationMasterMemory()), 1);
  }

  /** The ApplicationMaster, supervising the application staged in {@code stagingUri}. */
  ContainerLaunchContext applicationMaster(String stagingUri) {
    return context(
        applicationMasterMemory(),
        List.of(ApplicationMaster.class.getName(), "--staging", stagingUri),
        Map.of());
  }

  private String applicationMasterMemory() {
    YarnSpec yarn = app.getSpec().getYarn();
    return yarn == null || yarn.getAmMemory() == null
        ? YarnSpec.DEFAULT_AM_MEMORY
        : yarn.getAmMemory();
  }

  /** {@code spec.yarn.javaHome}, or null for the NodeManager's. */
  private String javaHome() {
    YarnSpec yarn = app.getSpec().getYarn();
    return yarn == null ? null : yarn.getJavaHome();
  }

  /**
   * Driver {@code attempt} in {@code container}; it publishes where it listens in the staging
   * directory at {@code stagingUri}.
   */
  ContainerLaunchContext driver(
      int attempt, boolean freshCheckpoint, String stagingUri, Container container) {
    List<String> args =
        new ArrayList<>(
            List.of(
                DriverContainer.class.getName(),
                "--staging",
                stagingUri,
                "--host",
                container.getNodeId().getHost(),
                "--"));
    // The launch contract's driver options, without the leading command DriverContainer adds.
    List<String> driver =
        LaunchArguments.driver(StagingDirectory.SPEC_NAME, attempt, freshCheckpoint, applicationId);
    args.addAll(driver.subList(1, driver.size()));
    // Every interface: executors and the ApplicationMaster run on other hosts.
    args.addAll(List.of("--bind-address", "0.0.0.0"));
    Map<String, String> env = environment(app.getSpec().getDriver().getEnv());
    env.put("MILLRACE_DRIVER_ATTEMPT", String.valueOf(attempt));
    return context(app.getSpec().getDriver().getMemory(), args, env);
  }

  /**
   * Executor {@code executorId}, finding the current driver attempt in the address file at {@code
   * driverAddressFile} (each attempt rewrites it).
   */
  ContainerLaunchContext executor(String executorId, String driverAddressFile) {
    ExecutorSpec executor = app.getSpec().getExecutor();
    List<String> args = new ArrayList<>();
    args.add("dev.millrace.runtime.cli.Millrace");
    args.addAll(
        LaunchArguments.executorFindingDriverIn(
            app, executorId, driverAddressFile, StagingDirectory.SPEC_NAME));
    Map<String, String> env = environment(executor.getEnv());
    // Executors share hosts with other containers: each serves its metrics on a free port, which
    // it logs (spec.executor.env may name a port instead).
    env.putIfAbsent(ContainerEnvironment.METRICS_PORT.name(), "0");
    return context(executor.getMemory(), args, env);
  }

  /** A container of {@code memory} running {@code mainAndArgs} with a heap by {@link JvmHeap}. */
  private ContainerLaunchContext context(
      String memory, List<String> mainAndArgs, Map<String, String> env) {
    List<String> command = new ArrayList<>();
    // exec: the JVM itself is the container's process, so that YARN's SIGTERM (a graceful stop)
    // reaches it alone and its exit code is the container's; a shell in between would die of the
    // signal (143) and YARN would end the JVM before it has checkpointed.
    command.add("exec");
    String javaHome = javaHome();
    // The NodeManager's JAVA_HOME is often an older Java than 17; spec.yarn.javaHome names one on
    // every host, and JAVA_HOME says it to whatever the JVM starts.
    command.add(
        javaHome == null
            ? ApplicationConstants.Environment.JAVA_HOME.$$() + "/bin/java"
            : quoted(javaHome + "/bin/java"));
    command.add(JvmHeap.option(memory));
    command.add(ContainerMain.class.getName());
    for (String arg : mainAndArgs) {
      command.add(quoted(arg));
    }
    command.add("1>" + ApplicationConstants.LOG_DIR_EXPANSION_VAR + "/stdout");
    command.add("2>" + ApplicationConstants.LOG_DIR_EXPANSION_VAR + "/stderr");
    Map<String, String> environment = new LinkedHashMap<>(env);
    if (javaHome != null) {
      environment.put(ApplicationConstants.Environment.JAVA_HOME.name(), javaHome);
    }
    // In the environment, not on the command line, where the shell would expand the '*': the JVM
    // reads every jar of the container's directory.
    environment.put(
        ApplicationConstants.Environment.CLASSPATH.name(),
        ApplicationConstants.Environment.PWD.$$() + "/*");
    return ContainerLaunchContext.newInstance(
        resources, environment, List.of(String.join(" ", command)), null, null, null);
  }

  /** Single-quoted for the container's shell, so that no argument is split or expanded. */
  private static String quoted(String arg) {
    return "'" + arg.replace("'", "'\\''") + "'";
  }

  /** The spec's {@code vars}, and the application's name for JSON log lines. */
  private Map<String, String> environment(List<EnvVar> vars) {
    Map<String, String> env = new LinkedHashMap<>();
    for (EnvVar var : vars) {
      env.put(var.getName(), var.getValue() == null ? "" : var.getValue());
    }
    env.put(ProcessLogging.APP_VARIABLE, app.getMetadata().getName());
    return env;
  }

  /** {@code memory} in mebibytes, rounded up: the container's size. */
  static int megabytes(String memory) {
    return (int) ((SpecMemory.bytes(memory) + (1 << 20) - 1) >> 20);
  }
}
