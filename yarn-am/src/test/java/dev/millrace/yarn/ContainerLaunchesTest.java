package dev.millrace.yarn;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import org.apache.hadoop.yarn.api.records.ApplicationAttemptId;
import org.apache.hadoop.yarn.api.records.ApplicationId;
import org.apache.hadoop.yarn.api.records.Container;
import org.apache.hadoop.yarn.api.records.ContainerId;
import org.apache.hadoop.yarn.api.records.ContainerLaunchContext;
import org.apache.hadoop.yarn.api.records.NodeId;
import org.apache.hadoop.yarn.api.records.Priority;
import org.apache.hadoop.yarn.api.records.Resource;
import org.junit.jupiter.api.Test;

/** The containers' command lines, built from a spec without a cluster. */
class ContainerLaunchesTest {
  private static final String STAGING = "hdfs://nn:8020/user/me/.millrace-staging/app_1_0001";

  @Test
  void everyContainerGetsTheHeapOfItsMemoryByTheOneRule() {
    ContainerLaunches launches = launches();

    assertTrue(command(launches.applicationMaster(STAGING)).contains(" -Xmx256m "));
    assertTrue(command(launches.driver(1, false, STAGING, container())).contains(" -Xmx640m "));
    assertTrue(
        command(launches.executor("exec-1", STAGING + "/driver/executors.address"))
            .contains(" -Xmx3687m "));
    assertEquals(Resource.newInstance(1024, 2), launches.driverResource());
    assertEquals(Resource.newInstance(4096, 1), launches.executorResource());
  }

  @Test
  void theDriverListensOnEveryInterfaceForExecutorsAndTheApplicationMasterOnOtherHosts() {
    String driver = command(launches().driver(2, false, STAGING, container()));

    assertTrue(driver.contains(" '--bind-address' '0.0.0.0' "), driver);
    assertTrue(driver.contains(" '--host' 'node-7' "), driver);
  }

  @Test
  void withoutAJavaHomeEveryContainerRunsTheJavaOfTheNodeManager() {
    ContainerLaunches launches = launches();
    for (ContainerLaunchContext context :
        List.of(
            launches.applicationMaster(STAGING),
            launches.driver(1, false, STAGING, container()),
            launches.executor("exec-1", STAGING + "/driver/executors.address"))) {
      assertTrue(command(context).startsWith("exec {{JAVA_HOME}}/bin/java "), command(context));
      assertFalse(context.getEnvironment().containsKey("JAVA_HOME"));
    }
    assertEquals(Resource.newInstance(512, 1), launches.applicationMasterResource());
  }

  @Test
  void theSpecsJavaHomeRunsTheApplicationMasterTheDriverAndTheExecutors() {
    ContainerLaunches launches = launches("yarn: {javaHome: /opt/java/jdk 17, amMemory: 1Gi}");
    for (ContainerLaunchContext context :
        List.of(
            launches.applicationMaster(STAGING),
            launches.driver(1, false, STAGING, container()),
            launches.executor("exec-1", STAGING + "/driver/executors.address"))) {
      assertTrue(
          command(context).startsWith("exec '/opt/java/jdk 17/bin/java' "), command(context));
      assertEquals("/opt/java/jdk 17", context.getEnvironment().get("JAVA_HOME"));
    }
    assertEquals(Resource.newInstance(1024, 1), launches.applicationMasterResource());
    assertTrue(command(launches.applicationMaster(STAGING)).contains(" -Xmx640m "));
  }

  @Test
  void executorsServeTheirMetricsOnAFreePortUnlessTheSpecNamesOne() {
    String address = STAGING + "/driver/executors.address";
    assertEquals(
        "0", launches().executor("exec-1", address).getEnvironment().get("MILLRACE_METRICS_PORT"));
    ContainerLaunches named =
        new ContainerLaunches(
            TestingSpecs.app(
                "driver: {cores: 2, memory: 1Gi}",
                "executor: {instances: 1, memory: 4Gi, env: [{name: MILLRACE_METRICS_PORT, value:"
                    + " '9404'}]}"),
            Map.of(),
            "application_1700000000000_0001");
    assertEquals(
        "9404", named.executor("exec-1", address).getEnvironment().get("MILLRACE_METRICS_PORT"));
    assertFalse(
        named
            .driver(1, false, STAGING, container())
            .getEnvironment()
            .containsKey("MILLRACE_METRICS_PORT"),
        "the driver serves its metrics on its status port");
  }

  /** Launches of a 1Gi driver with 2 cores and one 4Gi executor, with {@code more} fields. */
  static ContainerLaunches launches(String... more) {
    List<String> fields =
        new java.util.ArrayList<>(
            List.of("driver: {cores: 2, memory: 1Gi}", "executor: {instances: 1, memory: 4Gi}"));
    fields.addAll(List.of(more));
    return new ContainerLaunches(
        TestingSpecs.app(fields.toArray(String[]::new)),
        Map.of(),
        "application_1700000000000_0001");
  }

  static String command(ContainerLaunchContext context) {
    List<String> commands = context.getCommands();
    assertEquals(1, commands.size(), commands.toString());
    return commands.get(0);
  }

  static Container container() {
    ContainerId id =
        ContainerId.newContainerId(
            ApplicationAttemptId.newInstance(ApplicationId.newInstance(1, 1), 1), 2);
    return Container.newInstance(
        id,
        NodeId.newInstance("node-7", 45454),
        "node-7:8042",
        Resource.newInstance(1024, 2),
        Priority.newInstance(0),
        null);
  }
}
