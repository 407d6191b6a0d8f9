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
 * with reason {@code InvalidSpec} and every violation in its message. Pure. An application that
 * never ran gets no pods; one that runs goes on under its last valid spec, which the status still
 * remembers, and a spec fixed later is classified against that one.
 */
public final class SpecRejection {
  /** The reason of the Degraded condition and of the Warning Event. */
  public static final String REASON = "InvalidSpec";

  private static final String DEGRADED = "Degraded";

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
                    DEGRADED.equals(c.getType())
                        && REASON.equals(c.getReason())
                        && message(violations).equals(c.getMessage()));
  }

  /**
   * {@code base} with the rejection in it: its message, and a Degraded condition that keeps its
   * transition time from {@code previous} while it stays True.
   *
   * @param previous the status written last, {@code null} if none
   * @param base the status the operator would write otherwise: the last one for an application that
   *     never ran, or the one supervising it under its last valid spec
   */
  public static StreamingAppStatus status(
      StreamingAppStatus previous,
      StreamingAppStatus base,
      Long generation,
      List<SpecViolation> violations,
      Instant now) {
    StreamingAppStatus status = base == null ? new StreamingAppStatus() : SERIALIZATION.clone(base);
    if (status.getPhase() == null) {
      status.setPhase(Phase.Pending);
    }
    String message = message(violations);
    status.setMessage(message);
    status.setObservedGeneration(generation);
    Condition before =
        previous == null
            ? null
            : previous.getConditions().stream()
                .filter(c -> DEGRADED.equals(c.getType()))
                .findFirst()
                .orElse(null);
    List<Condition> conditions = new ArrayList<>();
    for (Condition c : status.getConditions()) {
      if (!DEGRADED.equals(c.getType())) {
        conditions.add(c);
      }
    }
    conditions.add(degraded(before, message, generation, now));
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
        .withType(DEGRADED)
        .withStatus("True")
        .withReason(REASON)
        .withMessage(message)
        .withLastTransitionTime(time)
        .withObservedGeneration(generation)
        .build();
  }
}
