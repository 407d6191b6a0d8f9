package dev.millrace.operator.reconciler;

import dev.millrace.crds.Phase;
import dev.millrace.crds.StreamingApp;
import dev.millrace.crds.StreamingAppStatus;
import dev.millrace.crds.validation.SpecViolation;
import io.fabric8.kubernetes.api.model.Condition;
import io.fabric8.kubernetes.api.model.ConditionBuilder;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.stream.Collectors;

/**
 * The status of an application whose spec the validator rejects: condition {@code Degraded} True
 * with reason {@code InvalidSpec} and every violation in its message, everything else kept, and
 * nothing launched or stopped. Pure. A spec fixed later is classified against the last valid spec
 * the operator acted on, which the status still remembers.
 */
public final class SpecRejection {
  /** The reason of the Degraded condition and of the Warning Event. */
  public static final String REASON = "InvalidSpec";

  private static final KubernetesSerialization SERIALIZATION = new KubernetesSerialization();

  private SpecRejection() {}

  /** The message naming every violation and what to do. */
  public static String message(List<SpecViolation> violations) {
    return "the spec is invalid, so nothing was started or changed: "
        + violations.stream().map(SpecViolation::message).collect(Collectors.joining("; "))
        + ". Fix the spec and apply it again";
  }

  /**
   * Whether {@code app}'s status already reports this rejection of this generation, so neither the
   * status nor the Event needs writing again.
   */
  public static boolean alreadyReported(StreamingApp app, List<SpecViolation> violations) {
    StreamingAppStatus status = app.getStatus();
    return status != null
        && Objects.equals(status.getObservedGeneration(), app.getMetadata().getGeneration())
        && status.getConditions().stream()
            .anyMatch(
                c ->
                    "Degraded".equals(c.getType())
                        && REASON.equals(c.getReason())
                        && message(violations).equals(c.getMessage()));
  }

  /** {@code app}'s status with the rejection in it. */
  public static StreamingAppStatus status(
      StreamingApp app, List<SpecViolation> violations, Instant now) {
    StreamingAppStatus status =
        app.getStatus() == null ? new StreamingAppStatus() : SERIALIZATION.clone(app.getStatus());
    if (status.getPhase() == null) {
      status.setPhase(Phase.Pending);
    }
    String message = message(violations);
    status.setMessage(message);
    status.setObservedGeneration(app.getMetadata().getGeneration());
    List<Condition> conditions = new ArrayList<>();
    boolean degradedSeen = false;
    for (Condition c : status.getConditions()) {
      if ("Degraded".equals(c.getType())) {
        conditions.add(degraded(c, message, app.getMetadata().getGeneration(), now));
        degradedSeen = true;
      } else {
        conditions.add(c);
      }
    }
    if (!degradedSeen) {
      conditions.add(degraded(null, message, app.getMetadata().getGeneration(), now));
    }
    status.setConditions(conditions);
    return status;
  }

  private static Condition degraded(
      Condition previous, String message, Long generation, Instant now) {
    String time =
        previous != null && "True".equals(previous.getStatus())
            ? previous.getLastTransitionTime()
            : now.truncatedTo(ChronoUnit.MILLIS).toString();
    return new ConditionBuilder()
        .withType("Degraded")
        .withStatus("True")
        .withReason(REASON)
        .withMessage(message)
        .withLastTransitionTime(time)
        .withObservedGeneration(generation)
        .build();
  }
}
