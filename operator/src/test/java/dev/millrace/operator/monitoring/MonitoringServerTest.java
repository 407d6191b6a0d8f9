package dev.millrace.operator.monitoring;

import static dev.millrace.operator.TestingApps.NAMESPACE;
import static dev.millrace.operator.TestingCluster.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.millrace.crds.Phase;
import dev.millrace.crds.StreamingApp;
import dev.millrace.operator.TestingApps;
import dev.millrace.operator.TestingCluster;
import dev.millrace.operator.TestingCluster.Replica;
import io.fabric8.kubernetes.api.model.coordination.v1.Lease;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/** The operator's probes and metrics, read over HTTP from operators running on the mock server. */
class MonitoringServerTest {
  private static final Duration WAIT = Duration.ofSeconds(15);
  private static final String PREFIX = "millrace_operator_";
  private final HttpClient http = HttpClient.newHttpClient();

  @Test
  void theOperatorIsAliveWhileStartingAndReadyOnceStarted() {
    try (TestingCluster cluster = new TestingCluster()) {
      Replica replica = cluster.replica();
      try (MonitoringServer server = serve(replica)) {
        assertEquals(200, get(server, "/healthz").statusCode());
        HttpResponse<String> starting = get(server, "/readyz");
        assertEquals(503, starting.statusCode());
        assertEquals("starting\n", starting.body());

        replica.operator().start();
        await("/readyz 200", WAIT, () -> get(server, "/readyz").statusCode() == 200);
        assertEquals(200, get(server, "/healthz").statusCode());
      }
    }
  }

  @Test
  void onlyGetAndHeadAreAnswered() throws Exception {
    try (TestingCluster cluster = new TestingCluster();
        MonitoringServer server = serve(cluster.replica())) {
      HttpRequest post =
          HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.port() + "/metrics"))
              .POST(HttpRequest.BodyPublishers.ofString("reset"))
              .build();

      assertEquals(405, http.send(post, HttpResponse.BodyHandlers.ofString()).statusCode());
    }
  }

  @Test
  void aStandbyReplicaIsReadyWithoutHoldingTheLease() {
    try (TestingCluster cluster = new TestingCluster()) {
      cluster.startElectingOperator("operator-a");
      await("operator-a leads", WAIT, () -> "operator-a".equals(holder(cluster)));
      Replica standby = cluster.electingReplica("operator-b");
      try (MonitoringServer server = serve(standby)) {
        standby.operator().start();

        await("standby /readyz 200", WAIT, () -> get(server, "/readyz").statusCode() == 200);
        assertEquals("operator-a", holder(cluster));
      }
    }
  }

  @Test
  void metricsCountReconcilesTheirDurationDriverRestartsAndAppsByPhase() {
    try (TestingCluster cluster = new TestingCluster()) {
      Replica replica = cluster.replica();
      try (MonitoringServer server = serve(replica)) {
        replica.operator().start();
        cluster.client().resource(TestingApps.app("counted", 0)).create();
        await("driver 1", WAIT, () -> cluster.pod(NAMESPACE, "counted-driver-1").isPresent());
        cluster.run(NAMESPACE, "counted-driver-1");
        cluster.exit(NAMESPACE, "counted-driver-1", 1);
        await("driver 2", WAIT, () -> cluster.pod(NAMESPACE, "counted-driver-2").isPresent());
        await("phase Starting", WAIT, () -> phase(cluster, "counted") == Phase.Starting);

        HttpResponse<String> scrape = get(server, "/metrics");
        assertEquals(200, scrape.statusCode());
        assertEquals(
            "text/plain; version=0.0.4; charset=utf-8",
            scrape.headers().firstValue("Content-Type").orElseThrow());
        assertTrue(scrape.body().contains("# TYPE " + PREFIX + "apps gauge\n"), scrape.body());
        Samples samples = new Samples(scrape.body());
        double reconciles =
            samples.get(PREFIX + "reconciles_total{operation=\"reconcile\",outcome=\"success\"}");
        assertTrue(reconciles >= 3, "launch, running, exit: " + reconciles);
        assertTrue(
            samples.get(PREFIX + "reconcile_duration_seconds_count{operation=\"reconcile\"}")
                >= reconciles);
        assertEquals(1, samples.get(PREFIX + "driver_restarts_total"));
        assertEquals(1, samples.get(PREFIX + "apps{phase=\"Starting\"}"));
        assertEquals(0, samples.get(PREFIX + "apps{phase=\"Running\"}"));
      }
    }
  }

  private static MonitoringServer serve(Replica replica) {
    MonitoringServer server = new MonitoringServer(0, replica.operator(), replica.metrics());
    server.start();
    return server;
  }

  private HttpResponse<String> get(MonitoringServer server, String path) {
    HttpRequest request =
        HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.port() + path))
            .timeout(Duration.ofSeconds(5))
            .build();
    try {
      return http.send(request, HttpResponse.BodyHandlers.ofString());
    } catch (IOException e) {
      throw new java.io.UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  private static Phase phase(TestingCluster cluster, String name) {
    StreamingApp app =
        cluster.client().resources(StreamingApp.class).inNamespace(NAMESPACE).withName(name).get();
    return app == null || app.getStatus() == null ? null : app.getStatus().getPhase();
  }

  private static String holder(TestingCluster cluster) {
    Lease lease =
        cluster.client().leases().inNamespace(NAMESPACE).withName("millrace-operator").get();
    return lease == null ? null : lease.getSpec().getHolderIdentity();
  }
}
