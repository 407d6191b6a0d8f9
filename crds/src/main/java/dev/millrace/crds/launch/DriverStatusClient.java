package dev.millrace.crds.launch;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Optional;

/**
 * Polls a driver's status endpoint, for a supervisor: one short request per {@link #poll}, and no
 * exception when the driver is not there. A driver that is starting, gone or hung looks the same to
 * a poll, empty; the supervisor tells them apart by the process and by how long it stays empty.
 *
 * <p>Thread-safe; one client serves every driver a supervisor watches.
 */
public final class DriverStatusClient {
  /** The path of the status report on a driver's HTTP endpoint. */
  public static final String STATUS_PATH = "/api/v1/status";

  /** The path of the health check on a driver's HTTP endpoint. */
  public static final String HEALTH_PATH = "/healthz";

  private static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(2);

  private final HttpClient http;
  private final Duration timeout;

  /** A client that waits at most two seconds for a driver to connect and answer. */
  public DriverStatusClient() {
    this(DEFAULT_TIMEOUT);
  }

  /** A client that waits at most {@code timeout} for a driver to connect, and again to answer. */
  public DriverStatusClient(Duration timeout) {
    this.timeout = timeout;
    this.http =
        HttpClient.newBuilder()
            .connectTimeout(timeout)
            .version(HttpClient.Version.HTTP_1_1)
            .followRedirects(HttpClient.Redirect.NEVER)
            .build();
  }

  /**
   * The status of the driver at {@code hostPort} ({@code 10.0.0.7:4040}), or empty if it does not
   * answer within the timeout, answers with an error, or answers with something that is no status
   * report.
   */
  public Optional<DriverStatusReport> poll(String hostPort) {
    HttpRequest request;
    try {
      request =
          HttpRequest.newBuilder(URI.create("http://" + hostPort + STATUS_PATH))
              .timeout(timeout)
              .header("Accept", "application/json")
              .GET()
              .build();
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException(
          "'" + hostPort + "' is not a driver address; expected host:port", e);
    }
    try {
      HttpResponse<String> response = http.send(request, HttpResponse.BodyHandlers.ofString());
      if (response.statusCode() != 200) {
        return Optional.empty();
      }
      return Optional.of(DriverStatusReport.fromJson(response.body()));
    } catch (IOException | IllegalArgumentException e) {
      // Refused, reset, timed out, or not a driver: all mean "no status now" to a supervisor.
      return Optional.empty();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return Optional.empty();
    }
  }
}
