package dev.millrace.runtime.source;

import java.io.IOException;
import java.nio.file.Path;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.hdfs.MiniDFSCluster;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.io.TempDir;

/** The write-ahead log scenarios against a real HDFS (one name node, one data node, in process). */
class SocketWriteAheadLogHdfsTest extends SocketWriteAheadLogScenarios {
  @TempDir static Path base;
  private static MiniDFSCluster cluster;
  private int directories;

  @BeforeAll
  static void startHdfs() throws IOException {
    Configuration conf = new Configuration();
    conf.set(MiniDFSCluster.HDFS_MINIDFS_BASEDIR, base.toString());
    cluster = new MiniDFSCluster.Builder(conf).numDataNodes(1).build();
    cluster.waitActive();
  }

  @AfterAll
  static void stopHdfs() {
    if (cluster != null) {
      cluster.shutdown();
    }
  }

  @Override
  String newDirectoryUri() {
    return cluster.getURI() + "/checkpoints/app-" + ++directories;
  }

  @Override
  Configuration conf() {
    return cluster.getConfiguration(0);
  }
}
