package dev.millrace.yarn;

import dev.millrace.runtime.cli.Millrace;
import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The main of a driver container: {@code DriverContainer --am host:port --host H -- <driver
 * options>}. Runs {@code millrace driver} in this process as every backend starts it, with address
 * files in the container's directory, and tells the ApplicationMaster where this attempt listens as
 * soon as the driver has written them: the AM cannot read the container's files, and only the
 * driver knows the ports it picked.
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
    if (separator < 0 || all.indexOf("--am") != 0 || all.indexOf("--host") != 2) {
      System.err.println(
          "usage: DriverContainer --am <host:port> --host <this host> -- <driver options>");
      System.exit(78);
    }
    String am = all.get(1);
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
    Thread reporter = new Thread(() -> report(am, host, attempt), "report-driver-address");
    reporter.setDaemon(true);
    reporter.start();
    Millrace.main(driver.toArray(String[]::new));
  }

  private static int attempt(List<String> driver) {
    int i = driver.indexOf("--attempt");
    return i < 0 ? 1 : Integer.parseInt(driver.get(i + 1));
  }

  /** Waits for both address files, then posts them to the AM (retrying while it is busy). */
  private static void report(String am, String host, int attempt) {
    try {
      String status = awaitPort(STATUS_ADDRESS);
      String executors = awaitPort(EXECUTOR_ADDRESS);
      URI uri =
          URI.create(
              "http://"
                  + am
                  + "/driver?attempt="
                  + attempt
                  + "&status="
                  + URLEncoder.encode(host + ":" + status, StandardCharsets.UTF_8)
                  + "&executors="
                  + URLEncoder.encode(host + ":" + executors, StandardCharsets.UTF_8));
      HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
      for (int tries = 0; tries < 30; tries++) {
        try {
          HttpResponse<String> response =
              client.send(
                  HttpRequest.newBuilder(uri)
                      .POST(HttpRequest.BodyPublishers.noBody())
                      .timeout(Duration.ofSeconds(5))
                      .build(),
                  HttpResponse.BodyHandlers.ofString());
          if (response.statusCode() / 100 == 2) {
            LOG.info(
                "told the ApplicationMaster at {} where driver attempt {} listens", am, attempt);
            return;
          }
          LOG.warn("the ApplicationMaster at {} answered {}", am, response.statusCode());
        } catch (IOException e) {
          LOG.warn("cannot reach the ApplicationMaster at {}: {}", am, e.toString());
        }
        Thread.sleep(1000);
      }
      LOG.error(
          "could not tell the ApplicationMaster at {} where driver attempt {} listens; executors"
              + " cannot reach this driver",
          am,
          attempt);
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
