package dev.millrace.operator;

import static org.junit.jupiter.api.Assertions.fail;

import dev.millrace.crds.StreamingApp;
import dev.millrace.operator.monitoring.OperatorMetrics;
import dev.millrace.operator.observer.AppObserver;
import dev.millrace.operator.observer.DriverStatusSource;
import dev.millrace.operator.reconciler.StreamingAppReconciler;
import dev.millrace.operator.service.ClusterService;
import io.fabric8.kubernetes.api.model.ContainerStatusBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodStatus;
import io.fabric8.kubernetes.api.model.PodStatusBuilder;
import io.fabric8.kubernetes.api.model.authorization.v1.SelfSubjectRulesReview;
import io.fabric8.kubernetes.api.model.authorization.v1.SelfSubjectRulesReviewBuilder;
import io.fabric8.kubernetes.client.ConfigBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.fabric8.kubernetes.client.server.mock.KubernetesCrudDispatcher;
import io.fabric8.kubernetes.client.server.mock.KubernetesMockServer;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import io.fabric8.mockwebserver.Context;
import io.fabric8.mockwebserver.MockWebServer;
import io.fabric8.mockwebserver.http.Dispatcher;
import io.fabric8.mockwebserver.http.MockResponse;
import io.fabric8.mockwebserver.http.RecordedRequest;
import io.javaoperatorsdk.operator.Operator;
import io.javaoperatorsdk.operator.api.config.LeaderElectionConfiguration;
import java.io.InputStream;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Optional;
import java.util.function.Supplier;

/**
 * The fabric8 mock server in CRUD mode with the StreamingApp CRD installed, real JOSDK operators
 * running against it, and the kubelet's part played by the test: it moves pods to Running or ends
 * them with an exit code by editing their status, as a node would.
 */
public final class TestingCluster implements AutoCloseable {
  /** Short, because the mock server leaves a request unanswered when its dispatcher fails. */
  private static final int REQUEST_TIMEOUT_MS = 5_000;

  private static final Duration POLL_INTERVAL = Duration.ofMillis(200);

  private final KubernetesMockServer server;
  private final KubernetesClient client;
  private final List<Operator> operators = new ArrayList<>();
  private final List<KubernetesClient> operatorClients = new ArrayList<>();

  /** What the drivers' status endpoints answer. */
  public final TestingDriverStatus driverStatus = new TestingDriverStatus();

  /** Starts the mock server and installs the CRD. */
  public TestingCluster() {
    server =
        new KubernetesMockServer(
            new Context(),
            new MockWebServer(),
            new HashMap<>(),
            new LeaseAccessGranted(new KubernetesCrudDispatcher()),
            false);
    server.init();
    client = newClient();
    try (InputStream crd =
        StreamingApp.class.getResourceAsStream(
            "/META-INF/fabric8/streamingapps.millrace.dev-v1.yml")) {
      client.apiextensions().v1().customResourceDefinitions().load(crd).create();
    } catch (java.io.IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }

  /** A client for the test's own reads and writes. */
  public KubernetesClient client() {
    return client;
  }

  /**
   * A replica: an operator not started yet, with a client of its own as a second replica would
   * have, and the metrics it reports to.
   */
  public record Replica(Operator operator, OperatorMetrics metrics) {}

  /** Starts one more operator, with a client of its own, as a second replica would be. */
  public Operator startOperator() {
    Operator operator = replica().operator();
    operator.start();
    return operator;
  }

  /**
   * Starts one more operator electing a leader as {@code identity} with a Lease of one second, so a
   * stopped leader is replaced quickly.
   */
  public Operator startElectingOperator(String identity) {
    Operator operator = electingReplica(identity).operator();
    operator.start();
    return operator;
  }

  /** One more replica without leader election; the caller starts it. */
  public Replica replica() {
    return replica(Optional.empty(), driverStatus);
  }

  /** One more replica reading drivers' status through {@code statusSource}; not started. */
  public Replica replica(DriverStatusSource statusSource) {
    return replica(Optional.empty(), statusSource);
  }

  /** One more replica electing a leader as {@code identity}; the caller starts it. */
  public Replica electingReplica(String identity) {
    return replica(
        Optional.of(
            new LeaderElectionConfiguration(
                "millrace-operator",
                TestingApps.NAMESPACE,
                Duration.ofSeconds(1),
                Duration.ofMillis(800),
                Duration.ofMillis(100),
                identity,
                null,
                false)),
        driverStatus);
  }

  private Replica replica(
      Optional<LeaderElectionConfiguration> leaderElection, DriverStatusSource statusSource) {
    KubernetesClient operatorClient = newClient();
    operatorClients.add(operatorClient);
    Clock clock = Clock.systemUTC();
    ClusterService cluster = new ClusterService(operatorClient, clock);
    OperatorMetrics metrics = new OperatorMetrics();
    StreamingAppReconciler reconciler =
        new StreamingAppReconciler(
            new AppObserver(cluster, statusSource), cluster, clock, POLL_INTERVAL, metrics);
    Operator operator =
        OperatorConfiguration.create(
            operatorClient, reconciler, WatchedNamespaces.all(), metrics, leaderElection);
    operators.add(operator);
    return new Replica(operator, metrics);
  }

  /** The pod, if it exists. */
  public Optional<Pod> pod(String namespace, String name) {
    return Optional.ofNullable(client.pods().inNamespace(namespace).withName(name).get());
  }

  /** The kubelet started the pod's containers. */
  public void run(String namespace, String name) {
    run(namespace, name, "10.0.0.1");
  }

  /** The kubelet started the pod's containers; the pod's address is {@code podIP}. */
  public Pod run(String namespace, String name, String podIP) {
    return setStatus(
        namespace,
        name,
        new PodStatusBuilder()
            .withPhase("Running")
            .withPodIP(podIP)
            .withStartTime(Instant.now().toString())
            .withContainerStatuses(
                new ContainerStatusBuilder()
                    .withName("millrace")
                    .withReady(true)
                    .withNewState()
                    .withNewRunning()
                    .withStartedAt(Instant.now().toString())
                    .endRunning()
                    .endState()
                    .build())
            .build());
  }

  /** The pod's main container exited with {@code exitCode}. */
  public void exit(String namespace, String name, int exitCode) {
    setStatus(
        namespace,
        name,
        new PodStatusBuilder()
            .withPhase(exitCode == 0 ? "Succeeded" : "Failed")
            .withContainerStatuses(
                new ContainerStatusBuilder()
                    .withName("millrace")
                    .withNewState()
                    .withNewTerminated()
                    .withExitCode(exitCode)
                    .withReason(exitCode == 0 ? "Completed" : "Error")
                    .endTerminated()
                    .endState()
                    .build())
            .build());
  }

  private Pod setStatus(String namespace, String name, PodStatus status) {
    return client
        .pods()
        .inNamespace(namespace)
        .withName(name)
        .editStatus(
            p -> {
              p.setStatus(status);
              return p;
            });
  }

  /**
   * The CRUD dispatcher, except that it grants every access review: JOSDK reviews its access to
   * Leases before it elects a leader, and the CRUD mock cannot answer a review.
   */
  private static final class LeaseAccessGranted extends Dispatcher {
    private static final String REVIEWS = "/apis/authorization.k8s.io/v1/selfsubjectrulesreviews";
    private final KubernetesCrudDispatcher crud;

    LeaseAccessGranted(KubernetesCrudDispatcher crud) {
      this.crud = crud;
    }

    @Override
    public MockResponse dispatch(RecordedRequest request) {
      if (!"POST".equals(request.getMethod()) || !REVIEWS.equals(request.getPath())) {
        return crud.dispatch(request);
      }
      SelfSubjectRulesReview granted =
          new SelfSubjectRulesReviewBuilder()
              .withNewStatus()
              .addNewResourceRule()
              .withApiGroups("coordination.k8s.io")
              .withResources("leases")
              .withVerbs("*")
              .endResourceRule()
              .withIncomplete(false)
              .endStatus()
              .build();
      return new MockResponse()
          .setResponseCode(201)
          .setBody(new KubernetesSerialization().asJson(granted));
    }

    @Override
    public void shutdown() {
      crud.shutdown();
    }
  }

  /** Waits up to {@code timeout} for {@code condition}, failing with {@code what}. */
  public static void await(String what, Duration timeout, Supplier<Boolean> condition) {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (!Boolean.TRUE.equals(condition.get())) {
      if (System.nanoTime() > deadline) {
        fail("timed out after " + timeout + " waiting for " + what);
      }
      try {
        Thread.sleep(20);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        fail("interrupted waiting for " + what);
      }
    }
  }

  private KubernetesClient newClient() {
    io.fabric8.kubernetes.client.Config base;
    try (KubernetesClient c = server.createClient()) {
      base = c.getConfiguration();
    }
    return new KubernetesClientBuilder()
        .withConfig(
            new ConfigBuilder(base)
                .withRequestTimeout(REQUEST_TIMEOUT_MS)
                .withConnectionTimeout(REQUEST_TIMEOUT_MS)
                .build())
        .build();
  }

  @Override
  public void close() {
    operators.forEach(Operator::stop);
    operatorClients.forEach(KubernetesClient::close);
    client.close();
    server.destroy();
  }
}
