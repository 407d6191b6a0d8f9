package dev.millrace.operator.reconciler;

import dev.millrace.crds.StreamingApp;
import dev.millrace.crds.StreamingAppSpec;
import dev.millrace.crds.StreamingAppStatus;
import dev.millrace.crds.validation.SpecViolation;
import dev.millrace.crds.validation.StreamingAppValidator;
import dev.millrace.crds.validation.Target;
import dev.millrace.operator.monitoring.OperatorMetrics;
import dev.millrace.operator.observer.AppObservation;
import dev.millrace.operator.observer.AppObserver;
import dev.millrace.operator.observer.PodOutcome;
import dev.millrace.operator.reconciler.Decision.Notice;
import dev.millrace.operator.reconciler.Decision.PodDeletion;
import dev.millrace.operator.resource.AppNames;
import dev.millrace.operator.resource.AppPods;
import dev.millrace.operator.resource.AppResources;
import dev.millrace.operator.service.ClusterService;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import io.javaoperatorsdk.operator.api.config.informer.InformerEventSourceConfiguration;
import io.javaoperatorsdk.operator.api.reconciler.Cleaner;
import io.javaoperatorsdk.operator.api.reconciler.Context;
import io.javaoperatorsdk.operator.api.reconciler.ControllerConfiguration;
import io.javaoperatorsdk.operator.api.reconciler.DeleteControl;
import io.javaoperatorsdk.operator.api.reconciler.EventSourceContext;
import io.javaoperatorsdk.operator.api.reconciler.PrimaryUpdateAndCacheUtils;
import io.javaoperatorsdk.operator.api.reconciler.Reconciler;
import io.javaoperatorsdk.operator.api.reconciler.UpdateControl;
import io.javaoperatorsdk.operator.processing.event.source.EventSource;
import io.javaoperatorsdk.operator.processing.event.source.informer.InformerEventSource;
import io.javaoperatorsdk.operator.processing.event.source.informer.Mappers;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Objects;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The JOSDK controller for {@link StreamingApp}: observe ({@link AppObserver}), validate ({@link
 * StreamingAppValidator}), decide ({@link SupervisionStep}), then carry the decision out in order:
 * the status first, holding the Supervisor's new state, then the pods, then Events. Because the
 * status is written with optimistic locking before any pod is touched, an operator that restarts,
 * or a second one working from an older view, cannot launch a second driver: its write is rejected,
 * or it carries out the same persisted decision, whose pod names are deterministic.
 *
 * <p>Deletion ({@link Cleaner}): the drivers are stopped gracefully first, waited for at most
 * {@code gracefulStopTimeout} plus {@link AppPods#GRACE_MARGIN} after the deletion was requested,
 * then every child is deleted explicitly.
 */
@ControllerConfiguration(name = StreamingAppReconciler.NAME)
public final class StreamingAppReconciler
    implements Reconciler<StreamingApp>, Cleaner<StreamingApp> {
  /** The controller's name. */
  public static final String NAME = "streamingapp";

  private static final Logger LOG = LoggerFactory.getLogger(StreamingAppReconciler.class);
  private static final Duration CLEANUP_POLL = Duration.ofSeconds(1);
  private static final KubernetesSerialization SERIALIZATION = new KubernetesSerialization();

  private final AppObserver observer;
  private final ClusterService cluster;
  private final Clock clock;
  private final Duration pollInterval;
  private final OperatorMetrics metrics;

  /**
   * @param pollInterval how often a live driver's status endpoint is read
   * @param metrics told every status a reconcile leaves, for the phase gauge and restart counter
   */
  public StreamingAppReconciler(
      AppObserver observer,
      ClusterService cluster,
      Clock clock,
      Duration pollInterval,
      OperatorMetrics metrics) {
    this.observer = Objects.requireNonNull(observer, "observer");
    this.cluster = Objects.requireNonNull(cluster, "cluster");
    this.clock = Objects.requireNonNull(clock, "clock");
    this.pollInterval = Objects.requireNonNull(pollInterval, "pollInterval");
    this.metrics = Objects.requireNonNull(metrics, "metrics");
  }

  /**
   * Informers on the pods, ConfigMaps and Services the operator labels, each mapped to its owning
   * StreamingApp: a change to any of them reconciles that app, and reconciles read them from the
   * cache instead of the API server.
   */
  @Override
  public List<EventSource<?, StreamingApp>> prepareEventSources(
      EventSourceContext<StreamingApp> context) {
    return List.of(
        informer(Pod.class, context),
        informer(ConfigMap.class, context),
        informer(Service.class, context));
  }

  private static <R extends HasMetadata> EventSource<R, StreamingApp> informer(
      Class<R> type, EventSourceContext<StreamingApp> context) {
    InformerEventSourceConfiguration<R> configuration =
        InformerEventSourceConfiguration.from(type, StreamingApp.class)
            .withLabelSelector(AppNames.MANAGED_BY_LABEL + "=" + AppNames.MANAGED_BY)
            .withSecondaryToPrimaryMapper(Mappers.fromOwnerReferences(StreamingApp.class))
            .withNamespacesInheritedFromController()
            .build();
    return new InformerEventSource<>(configuration, context);
  }

  @Override
  public UpdateControl<StreamingApp> reconcile(StreamingApp app, Context<StreamingApp> context) {
    Instant now = clock.instant();
    List<SpecViolation> violations = StreamingAppValidator.validate(app, Target.KUBERNETES);
    AppMemory memory = AppMemory.of(app.getStatus());
    boolean newlyRejected =
        !violations.isEmpty() && !SpecRejection.alreadyReported(app, violations);
    if (!violations.isEmpty() && memory.lastSpec().isEmpty()) {
      // Nothing ran yet, so nothing to supervise; the next spec change reconciles again.
      StreamingAppStatus status =
          newlyRejected
              ? SpecRejection.status(
                  app.getStatus(),
                  app.getStatus(),
                  app.getMetadata().getGeneration(),
                  violations,
                  now)
              : app.getStatus();
      StreamingAppStatus previous = app.getStatus();
      writeStatus(app, context, status);
      metrics.statusWritten(app, previous, status);
      if (newlyRejected) {
        warn(app, violations);
      }
      return UpdateControl.noUpdate();
    }
    // A rejected change leaves the application running, supervised under its last valid spec.
    StreamingApp acted = violations.isEmpty() ? app : withSpec(app, memory.lastSpec().get());
    AppObservation seen =
        observer.observe(acted, context.getSecondaryResources(Pod.class), memory.snapshot());
    Decision decision = SupervisionStep.decide(acted, seen, now, pollInterval);
    StreamingAppStatus status =
        violations.isEmpty()
            ? decision.status()
            : SpecRejection.status(
                app.getStatus(),
                decision.status(),
                app.getMetadata().getGeneration(),
                violations,
                now);
    StreamingAppStatus previous = app.getStatus();
    writeStatus(app, context, status);
    metrics.statusWritten(app, previous, status);
    if (newlyRejected) {
      warn(app, violations);
    }
    carryOut(acted, decision, context);
    UpdateControl<StreamingApp> control = UpdateControl.noUpdate();
    decision.requeueAfter().ifPresent(control::rescheduleAfter);
    return control;
  }

  @Override
  public DeleteControl cleanup(StreamingApp app, Context<StreamingApp> context) {
    Instant now = clock.instant();
    Duration grace = podGrace(app);
    Instant deletedAt =
        app.getMetadata().getDeletionTimestamp() == null
            ? now
            : Instant.parse(app.getMetadata().getDeletionTimestamp());
    boolean waited = !now.isBefore(deletedAt.plus(grace));
    List<Pod> liveDrivers =
        cluster.livePods(app).stream()
            .filter(
                p ->
                    AppNames.DRIVER_ROLE.equals(
                        p.getMetadata().getLabels().get(AppNames.ROLE_LABEL)))
            .filter(p -> !(PodOutcome.of(p) instanceof PodOutcome.Ended))
            .toList();
    if (!liveDrivers.isEmpty() && !waited) {
      for (Pod driver : liveDrivers) {
        if (driver.getMetadata().getDeletionTimestamp() == null) {
          cluster.deletePod(driver, grace);
        }
      }
      LOG.info(
          "{}/{} is being deleted: waiting for its driver to stop gracefully",
          app.getMetadata().getNamespace(),
          app.getMetadata().getName());
      return DeleteControl.noFinalizerRemoval().rescheduleAfter(CLEANUP_POLL);
    }
    // Executors go after the driver: its graceful stop needs them to finish the last batch.
    cluster.deleteChildren(app);
    LOG.info(
        "{}/{} deleted: its pods, Service and ConfigMap are deleted",
        app.getMetadata().getNamespace(),
        app.getMetadata().getName());
    return DeleteControl.defaultDelete();
  }

  /**
   * The pods' termination grace period: {@code gracefulStopTimeout} plus {@link
   * AppPods#GRACE_MARGIN}, or that of the default timeout if the spec's does not parse, so that an
   * application with a broken spec can still be deleted.
   */
  private static Duration podGrace(StreamingApp app) {
    try {
      return Duration.ofSeconds(AppPods.terminationGracePeriodSeconds(app.getSpec()));
    } catch (IllegalArgumentException e) {
      return Duration.ofSeconds(AppPods.terminationGracePeriodSeconds(new StreamingAppSpec()));
    }
  }

  private void warn(StreamingApp app, List<SpecViolation> violations) {
    String message = SpecRejection.message(violations);
    LOG.warn("{}/{}: {}", app.getMetadata().getNamespace(), app.getMetadata().getName(), message);
    cluster.event(app, "Warning", SpecRejection.REASON, message);
  }

  private static StreamingApp withSpec(StreamingApp app, StreamingAppSpec spec) {
    StreamingApp copy = SERIALIZATION.clone(app);
    copy.setSpec(spec);
    return copy;
  }

  /**
   * Writes {@code status} into {@code app} and, with optimistic locking, to the cluster, and puts
   * the result in JOSDK's cache, so the next reconcile sees it even before the informer does. A
   * conflict is not retried here: the decision was made from a stale view, so the reconcile fails
   * and runs again from a fresh one.
   */
  private static void writeStatus(
      StreamingApp app, Context<StreamingApp> context, StreamingAppStatus status) {
    if (Objects.equals(status, app.getStatus())) {
      return;
    }
    PrimaryUpdateAndCacheUtils.updateAndCacheResource(
        app,
        context,
        r -> {
          r.setStatus(status);
          return r;
        },
        r -> context.getClient().resource(r).updateStatus(),
        0,
        PrimaryUpdateAndCacheUtils.DEFAULT_RESOURCE_CACHE_TIMEOUT_MILLIS,
        PrimaryUpdateAndCacheUtils.DEFAULT_RESOURCE_CACHE_POLL_PERIOD_MILLIS);
  }

  private void carryOut(StreamingApp app, Decision decision, Context<StreamingApp> context) {
    ConfigMap spec = AppResources.specConfigMap(app);
    boolean specCurrent =
        context
            .getSecondaryResource(ConfigMap.class)
            .filter(cached -> Objects.equals(cached.getData(), spec.getData()))
            .isPresent();
    if (!specCurrent) {
      cluster.apply(spec);
    }
    if (context.getSecondaryResource(Service.class).isEmpty()) {
      cluster.apply(AppResources.driverService(app));
    }
    for (PodDeletion deletion : decision.deletions()) {
      cluster.deletePod(deletion.pod(), deletion.grace());
    }
    for (Pod pod : decision.creations()) {
      cluster.createPod(pod);
    }
    for (Notice notice : decision.notices()) {
      LOG.info(
          "{}/{}: {}",
          app.getMetadata().getNamespace(),
          app.getMetadata().getName(),
          notice.message());
      cluster.event(app, notice.type(), notice.reason(), notice.message());
    }
  }
}
