package dev.millrace.operator.reconciler;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;
import dev.millrace.crds.ReconciliationStatus;
import dev.millrace.crds.StreamingAppSpec;
import dev.millrace.crds.StreamingAppStatus;
import dev.millrace.crds.supervision.SupervisorSnapshot;
import java.util.Objects;
import java.util.Optional;

/**
 * What the operator remembers of an application between reconciles, kept in its status ({@code
 * status.reconciliation}): the spec it last acted on and the Supervisor's snapshot. Reading it back
 * is how a restarted operator, or a second one, continues instead of launching another driver.
 *
 * @param lastSpec the spec last acted on, empty before the first reconcile
 * @param snapshot the Supervisor's state, empty before the first reconcile
 */
public record AppMemory(
    Optional<StreamingAppSpec> lastSpec, Optional<SupervisorSnapshot> snapshot) {
  private static final ObjectMapper JSON =
      new ObjectMapper()
          .registerModule(new JavaTimeModule())
          .disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS);

  /** Requires both optionals. */
  public AppMemory {
    Objects.requireNonNull(lastSpec, "lastSpec");
    Objects.requireNonNull(snapshot, "snapshot");
  }

  /**
   * The memory kept in {@code status}; empty parts where it has none.
   *
   * @throws IllegalStateException if the status holds something this operator cannot read (edited
   *     by hand, or written by an incompatible operator version)
   */
  public static AppMemory of(StreamingAppStatus status) {
    ReconciliationStatus kept = status == null ? null : status.getReconciliation();
    if (kept == null) {
      return new AppMemory(Optional.empty(), Optional.empty());
    }
    return new AppMemory(
        Optional.ofNullable(kept.getLastReconciledSpec())
            .map(json -> read(json, StreamingAppSpec.class, "lastReconciledSpec")),
        Optional.ofNullable(kept.getSupervisor())
            .map(json -> read(json, SupervisorSnapshot.class, "supervisor")));
  }

  /**
   * The status field that remembers {@code spec} and {@code snapshot}. A snapshot that differs from
   * the one in {@code previous} only by its clock is not rewritten, so that a reconcile that
   * changed nothing writes nothing.
   */
  public static ReconciliationStatus remember(
      StreamingAppSpec spec, SupervisorSnapshot snapshot, AppMemory previous) {
    ReconciliationStatus kept = new ReconciliationStatus();
    kept.setLastReconciledSpec(write(spec));
    SupervisorSnapshot written = snapshot;
    if (previous.snapshot().isPresent() && sameButClock(previous.snapshot().get(), snapshot)) {
      written = previous.snapshot().get();
    }
    kept.setSupervisor(write(written));
    return kept;
  }

  private static boolean sameButClock(SupervisorSnapshot a, SupervisorSnapshot b) {
    return withoutClock(a).equals(withoutClock(b));
  }

  private static ObjectNode withoutClock(SupervisorSnapshot snapshot) {
    ObjectNode tree = JSON.valueToTree(snapshot);
    tree.remove("now");
    return tree;
  }

  private static String write(Object value) {
    try {
      return JSON.writeValueAsString(value);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("cannot write " + value.getClass().getSimpleName(), e);
    }
  }

  private static <T> T read(String json, Class<T> type, String field) {
    try {
      return JSON.readValue(json, type);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException(
          "status.reconciliation."
              + field
              + " cannot be read ("
              + e.getOriginalMessage()
              + "); it is written by the operator only. Remove status.reconciliation to let the"
              + " operator start the application over from its checkpoint",
          e);
    }
  }
}
