package dev.millrace.runtime.checkpoint;

import dev.millrace.runtime.config.StreamingOptions;
import java.net.URI;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.hadoop.conf.Configuration;
import org.gaul.s3proxy.AuthenticationType;
import org.gaul.s3proxy.S3Proxy;
import org.jclouds.ContextBuilder;
import org.jclouds.blobstore.BlobStoreContext;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * A real S3-compatible server for a test class (s3proxy in process, on a loopback port) with one
 * bucket, started before its first test and stopped after its last: {@code @RegisterExtension
 * static final TestingS3 s3 = new TestingS3();}. Clients reach it through {@code s3a://} with
 * {@link #conf()}, or, in an application's configuration, {@link #millraceConf()}.
 *
 * <p>The store keeps objects in memory (jclouds' {@code transient} store), which behaves as S3
 * does: keys are flat, a deleted object is gone from every listing, and a write is visible to the
 * next read. s3proxy's file-system stores do not: {@code filesystem} keeps listing a directory
 * after its last object is deleted (a renamed directory stays visible at its old name), and {@code
 * filesystem-nio2} lists objects without the ETag that S3A's change detection requires.
 */
public final class TestingS3 implements BeforeAllCallback, AfterAllCallback {
  private static final String IDENTITY = "millrace-test";
  private static final String SECRET = "millrace-test-secret";
  // S3A caches a file system per bucket for the whole JVM: a bucket per server keeps a cached one
  // from talking to a server an earlier test class stopped.
  private static final AtomicInteger BUCKETS = new AtomicInteger();

  private final String bucket =
      "millrace-" + ProcessHandle.current().pid() + "-" + BUCKETS.incrementAndGet();
  private BlobStoreContext store;
  private S3Proxy proxy;

  @Override
  public void beforeAll(ExtensionContext context) throws Exception {
    Properties properties = new Properties();
    store =
        ContextBuilder.newBuilder("transient").overrides(properties).build(BlobStoreContext.class);
    store.getBlobStore().createContainerInLocation(null, bucket);
    proxy =
        S3Proxy.builder()
            .blobStore(store.getBlobStore())
            .endpoint(URI.create("http://127.0.0.1:0"))
            .awsAuthentication(AuthenticationType.AWS_V2_OR_V4, IDENTITY, SECRET)
            .build();
    proxy.start();
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
    while (!"STARTED".equals(proxy.getState())) {
      if (System.nanoTime() > deadline) {
        throw new IllegalStateException("s3proxy did not start within 60 s: " + proxy.getState());
      }
      Thread.sleep(10);
    }
  }

  @Override
  public void afterAll(ExtensionContext context) throws Exception {
    if (proxy != null) {
      proxy.stop();
    }
    if (store != null) {
      store.close();
    }
  }

  /** {@code s3a://<bucket>}: the bucket, empty when the class starts. */
  public String uri() {
    return "s3a://" + bucket;
  }

  /** {@code http://127.0.0.1:<port>}: where the server listens. */
  public String endpoint() {
    return "http://127.0.0.1:" + proxy.getPort();
  }

  /** The S3A settings that reach this server, as Hadoop configuration keys. */
  public Map<String, String> s3aSettings() {
    Map<String, String> settings = new LinkedHashMap<>();
    settings.put("fs.s3a.endpoint", endpoint());
    settings.put("fs.s3a.endpoint.region", "us-east-1");
    settings.put("fs.s3a.path.style.access", "true");
    settings.put("fs.s3a.connection.ssl.enabled", "false");
    settings.put("fs.s3a.access.key", IDENTITY);
    settings.put("fs.s3a.secret.key", SECRET);
    // s3proxy answers the bulk delete of AWS SDK 2.30 and later, which carries a CRC32 checksum
    // header instead of Content-MD5, with 501 Not Implemented; S3 itself accepts it.
    settings.put("fs.s3a.multiobjectdelete.enable", "false");
    return settings;
  }

  /** A Hadoop configuration, as every Millrace process builds it, that reaches this server. */
  public Configuration conf() {
    Configuration conf = StreamingOptions.hadoopConfiguration();
    s3aSettings().forEach(conf::set);
    return conf;
  }

  /** {@link #s3aSettings()} as an application's {@code millrace.hadoop.*} configuration. */
  public Map<String, String> millraceConf() {
    Map<String, String> conf = new LinkedHashMap<>();
    s3aSettings().forEach((key, value) -> conf.put(StreamingOptions.HADOOP_PREFIX + key, value));
    return conf;
  }
}
