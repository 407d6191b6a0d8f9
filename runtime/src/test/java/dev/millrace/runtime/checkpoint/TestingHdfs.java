package dev.millrace.runtime.checkpoint;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.stream.Stream;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.hdfs.MiniDFSCluster;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * A real HDFS for a test class (one name node, one data node, in process), started before its first
 * test and shut down after its last: {@code @RegisterExtension static final TestingHdfs hdfs = new
 * TestingHdfs();}.
 */
public final class TestingHdfs implements BeforeAllCallback, AfterAllCallback {
  private Path base;
  private MiniDFSCluster cluster;

  @Override
  public void beforeAll(ExtensionContext context) throws IOException {
    base = Files.createTempDirectory("millrace-hdfs");
    Configuration conf = new Configuration();
    conf.set(MiniDFSCluster.HDFS_MINIDFS_BASEDIR, base.toString());
    cluster = new MiniDFSCluster.Builder(conf).numDataNodes(1).build();
    cluster.waitActive();
  }

  @Override
  public void afterAll(ExtensionContext context) throws IOException {
    if (cluster != null) {
      cluster.shutdown();
    }
    try (Stream<Path> files = Files.walk(base)) {
      for (Path p : files.sorted(Comparator.reverseOrder()).toList()) {
        Files.deleteIfExists(p);
      }
    }
  }

  /** {@code hdfs://host:port} of the name node. */
  public String uri() {
    return cluster.getURI().toString();
  }

  /** A client configuration for the cluster. */
  public Configuration conf() {
    return cluster.getConfiguration(0);
  }
}
