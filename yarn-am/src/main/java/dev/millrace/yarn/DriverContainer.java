package dev.millrace.yarn;

import dev.millrace.runtime.cli.Millrace;
import dev.millrace.runtime.config.StreamingOptions;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The main of a driver container: {@code DriverContainer --staging <uri> --host H -- <driver
 * options>}. Runs {@code millrace driver} in this process as every backend starts it, with address
 * files in the container's directory, and publishes where this attempt listens in the application's
 * staging directory as soon as the driver has written them: only the driver knows the ports it
 * picked, and the executors and the ApplicationMaster (whichever attempt of it runs) read them
 * there. Publishing never depends on the ApplicationMaster being up.
 */
public final class DriverContainer {
  private static final Logger LOG = LoggerFactory.getLogger(DriverContainer.class);
  private static final Path STATUS_ADDRESS = Path.of("driver-status.address");
  private static final Path EXECUTOR_ADDRESS = Path.of("driver-executors.address");

  private DriverContainer() {}

  /** Runs the driver; exits with its code. */
  public static void main(String[] args) {
    List<String> all = Arrays.asList(args);
    int separator = all.indexOf("--");
    if (separator < 0 || all.indexOf("--staging") != 0 || all.indexOf("--host") != 2) {
      System.err.println(
          "usage: DriverContainer --staging <staging directory URI> --host <this host> -- <driver"
              + " options>");
      System.exit(78);
    }
    String staging = all.get(1);
    String host = all.get(3);
    List<String> driver = new ArrayList<>(List.of("driver"));
    driver.addAll(all.subList(separator + 1, all.size()));
    driver.addAll(
        List.of(
            "--address-file",
            STATUS_ADDRESS.toString(),
            "--executor-address-file",
            EXECUTOR_ADDRESS.toString()));
    int attempt = attempt(driver);
    Thread publisher = new Thread(() -> publish(staging, host, attempt), "publish-driver-address");
    publisher.setDaemon(true);
    publisher.start();
    Millrace.main(driver.toArray(String[]::new));
  }

  private static int attempt(List<String> driver) {
    int i = driver.indexOf("--attempt");
    return i < 0 ? 1 : Integer.parseInt(driver.get(i + 1));
  }

  /** Waits for both address files, then publishes them (retrying while HDFS is unavailable). */
  private static void publish(String stagingUri, String host, int attempt) {
    try {
      String status = host + ":" + awaitPort(STATUS_ADDRESS);
      String executors = host + ":" + awaitPort(EXECUTOR_ADDRESS);
      for (int tries = 0; tries < 60; tries++) {
        try {
          org.apache.hadoop.fs.Path dir = new org.apache.hadoop.fs.Path(stagingUri);
          StagingDirectory staging =
              StagingDirectory.existing(
                  dir.getFileSystem(StreamingOptions.hadoopConfiguration()), dir);
          staging.publish(
              StagingDirectory.DRIVER_STATUS_ADDRESS, status.getBytes(StandardCharsets.UTF_8));
          staging.publish(
              StagingDirectory.DRIVER_EXECUTORS_ADDRESS,
              executors.getBytes(StandardCharsets.UTF_8));
          LOG.info(
              "driver attempt {} published its addresses (status {}, executors {}) in {}",
              attempt,
              status,
              executors,
              stagingUri);
          return;
        } catch (IOException e) {
          LOG.warn("cannot publish the driver's addresses in {}: {}", stagingUri, e.toString());
        }
        Thread.sleep(1000);
      }
      LOG.error(
          "could not publish where driver attempt {} listens in {}; executors cannot reach this"
              + " driver: check that HDFS is reachable from this node",
          attempt,
          stagingUri);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  /** The port in {@code file} ({@code host:port}), once the driver has written it. */
  private static String awaitPort(Path file) throws InterruptedException {
    while (true) {
      Optional<String> address = read(file);
      if (address.isPresent()) {
        String text = address.get();
        return text.substring(text.lastIndexOf(':') + 1);
      }
      Thread.sleep(100);
    }
  }

  private static Optional<String> read(Path file) {
    try {
      return Files.exists(file)
          ? Optional.of(Files.readString(file, StandardCharsets.UTF_8).trim())
              .filter(s -> s.contains(":"))
          : Optional.empty();
    } catch (IOException e) {
      return Optional.empty();
    }
  }
}
