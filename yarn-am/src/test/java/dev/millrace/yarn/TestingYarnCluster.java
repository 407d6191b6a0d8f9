package dev.millrace.yarn;

import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.hdfs.MiniDFSCluster;
import org.apache.hadoop.yarn.conf.YarnConfiguration;
import org.apache.hadoop.yarn.server.MiniYARNCluster;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * A real HDFS and a real YARN for a test class, in process (one name node, one data node, a
 * ResourceManager and one NodeManager whose containers are processes of this machine), started
 * before its first test and shut down after its last: {@code @RegisterExtension static final
 * TestingYarnCluster cluster = new TestingYarnCluster();}.
 */
final class TestingYarnCluster implements BeforeAllCallback, AfterAllCallback {
  // Jars of the test's class path that containers do not need (the clusters themselves, JUnit).
  private static final List<String> TEST_ONLY =
      List.of(
          "hadoop-client-minicluster",
          "junit",
          "opentest4j",
          "apiguardian",
          "hamcrest",
          "reload4j",
          "jaxb",
          "javax.activation",
          "jakarta.activation",
          "bcprov",
          "bcpkix",
          "bcutil",
          "surefire",
          "test-classes");

  private Path base;
  private MiniDFSCluster hdfs;
  private MiniYARNCluster yarn;
  private YarnConfiguration conf;

  @Override
  public void beforeAll(ExtensionContext context) throws IOException, InterruptedException {
    base = Files.createTempDirectory("millrace-yarn");
    Configuration hdfsConf = new Configuration();
    hdfsConf.set(MiniDFSCluster.HDFS_MINIDFS_BASEDIR, base.resolve("hdfs").toString());
    hdfs = new MiniDFSCluster.Builder(hdfsConf).numDataNodes(1).build();
    hdfs.waitActive();

    YarnConfiguration yarnConf = new YarnConfiguration();
    yarnConf.set("fs.defaultFS", hdfs.getURI().toString());
    yarnConf.setInt(YarnConfiguration.RM_SCHEDULER_MINIMUM_ALLOCATION_MB, 128);
    yarnConf.setInt(YarnConfiguration.NM_PMEM_MB, 6144);
    yarnConf.setInt(YarnConfiguration.NM_VCORES, 8);
    yarnConf.setBoolean(YarnConfiguration.NM_VMEM_CHECK_ENABLED, false);
    yarnConf.setBoolean(YarnConfiguration.NM_PMEM_CHECK_ENABLED, false);
    yarnConf.setFloat(YarnConfiguration.NM_MAX_PER_DISK_UTILIZATION_PERCENTAGE, 100.0f);
    // Without log aggregation a NodeManager takes 10 s to stop.
    yarnConf.setBoolean(YarnConfiguration.LOG_AGGREGATION_ENABLED, true);
    yarnConf.set("yarn.scheduler.capacity.root.queues", "default");
    yarnConf.set("yarn.scheduler.capacity.root.default.capacity", "100");
    yarnConf.set("yarn.scheduler.capacity.maximum-am-resource-percent", "0.5");
    yarn = new MiniYARNCluster("millrace", 1, 1, 1);
    yarn.init(yarnConf);
    yarn.start();
    conf = new YarnConfiguration(yarn.getConfig());
    conf.set("fs.defaultFS", hdfs.getURI().toString());
    long deadline = System.nanoTime() + 60_000_000_000L;
    while (yarn.getResourceManager().getRMContext().getRMNodes().isEmpty()) {
      if (System.nanoTime() > deadline) {
        throw new IllegalStateException("the NodeManager did not register within 60 s");
      }
      Thread.sleep(100);
    }
  }

  @Override
  public void afterAll(ExtensionContext context) throws IOException {
    if (yarn != null) {
      yarn.stop();
    }
    if (hdfs != null) {
      hdfs.shutdown();
    }
    try (Stream<Path> files = Files.walk(base)) {
      for (Path p : files.sorted(Comparator.reverseOrder()).toList()) {
        Files.deleteIfExists(p);
      }
    }
  }

  /** A client configuration for both clusters. */
  YarnConfiguration conf() {
    return new YarnConfiguration(conf);
  }

  /** {@code hdfs://host:port} of the name node. */
  String hdfsUri() {
    return hdfs.getURI().toString();
  }

  FileSystem fileSystem() throws IOException {
    return FileSystem.get(conf);
  }

  /**
   * The lines of the logs named {@code name} ({@code stderr.log}, …), and of their rolled files
   * ({@code stderr.log.00001}, …), of every container the NodeManager ran, that contain {@code
   * text}.
   */
  List<String> containerLogLines(String name, String text) throws IOException {
    List<String> lines = new ArrayList<>();
    java.util.regex.Pattern named =
        java.util.regex.Pattern.compile(java.util.regex.Pattern.quote(name) + "(\\.\\d{5,})?");
    try (Stream<Path> files = Files.walk(yarn.getTestWorkDir().toPath())) {
      for (Path log :
          files.filter(p -> named.matcher(p.getFileName().toString()).matches()).toList()) {
        try (Stream<String> all = Files.lines(log)) {
          all.filter(line -> line.contains(text)).forEach(lines::add);
        } catch (java.io.UncheckedIOException | IOException e) {
          // a container's directory removed while walking
        }
      }
    }
    return lines;
  }

  /** The names of the files in the log directories of every container the NodeManager ran. */
  List<String> containerLogNames() throws IOException {
    try (Stream<Path> files = Files.walk(yarn.getTestWorkDir().toPath())) {
      return files
          .filter(p -> p.getParent().getFileName().toString().startsWith("container_"))
          .filter(Files::isRegularFile)
          .map(p -> p.getFileName().toString())
          .sorted()
          .toList();
    }
  }

  /** A scratch directory of this machine, deleted with the clusters. */
  Path scratch(String name) throws IOException {
    return Files.createDirectories(base.resolve(name));
  }

  /**
   * What containers run: this test's class path (the Millrace runtime, the examples, this module's
   * classes) without what only the test needs.
   */
  static List<Path> containerClassPath() {
    String full =
        System.getProperty("surefire.test.class.path", System.getProperty("java.class.path"));
    List<Path> classPath = new ArrayList<>();
    for (String entry : full.split(File.pathSeparator)) {
      if (!entry.isEmpty() && TEST_ONLY.stream().noneMatch(entry::contains)) {
        classPath.add(Path.of(entry));
      }
    }
    return classPath;
  }
}
