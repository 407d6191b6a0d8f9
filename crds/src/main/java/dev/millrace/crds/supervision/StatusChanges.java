package dev.millrace.crds.supervision;

import dev.millrace.crds.StreamingAppStatus;
import io.fabric8.kubernetes.api.model.Condition;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * What changed between two statuses that a person watching an application should be told at once,
 * beyond its supervision events: it stopped being Ready because an input is out (or the inputs out
 * changed), it is Ready again, it started falling behind, or it keeps up again. Every backend tells
 * it in its own place ({@code millrace run}'s console, the ApplicationMaster's log) from this one
 * function. Pure.
 */
public final class StatusChanges {
  /** The {@code Ready} reason while an input's outage has lasted too long. */
  public static final String INPUT_OUTAGE = "InputOutage";

  /** The {@code Degraded} reason while the batches cannot keep up. */
  public static final String FALLING_BEHIND = "FallingBehind";

  private StatusChanges() {}

  /** One sentence per change worth telling from {@code before} (null: none) to {@code after}. */
  public static List<Change> between(StreamingAppStatus before, StreamingAppStatus after) {
    List<Change> changes = new ArrayList<>();
    Optional<Condition> readyBefore = condition(before, "Ready");
    Optional<Condition> readyAfter = condition(after, "Ready");
    boolean outBefore = hasReason(readyBefore, INPUT_OUTAGE);
    boolean outAfter = hasReason(readyAfter, INPUT_OUTAGE);
    if (outAfter && !(outBefore && sameMessage(readyBefore, readyAfter))) {
      changes.add(new Change(true, "not Ready: " + readyAfter.get().getMessage()));
    } else if (outBefore && !outAfter && hasStatus(readyAfter, "True")) {
      changes.add(new Change(false, "Ready again: every input delivers"));
    }
    Optional<Condition> degradedAfter = condition(after, "Degraded");
    boolean behindBefore = hasReason(condition(before, "Degraded"), FALLING_BEHIND);
    boolean behindAfter = hasReason(degradedAfter, FALLING_BEHIND);
    if (behindAfter && !behindBefore) {
      changes.add(new Change(true, "falling behind: " + degradedAfter.get().getMessage()));
    } else if (behindBefore && !behindAfter) {
      changes.add(new Change(false, "keeps up again with the batch interval"));
    }
    return changes;
  }

  /**
   * One change worth telling.
   *
   * @param worse whether things got worse (a warning) rather than better
   * @param sentence what to tell, for humans
   */
  public record Change(boolean worse, String sentence) {}

  private static Optional<Condition> condition(StreamingAppStatus status, String type) {
    if (status == null || status.getConditions() == null) {
      return Optional.empty();
    }
    return status.getConditions().stream().filter(c -> type.equals(c.getType())).findFirst();
  }

  private static boolean hasReason(Optional<Condition> condition, String reason) {
    return condition.map(c -> reason.equals(c.getReason())).orElse(false);
  }

  private static boolean hasStatus(Optional<Condition> condition, String status) {
    return condition.map(c -> status.equals(c.getStatus())).orElse(false);
  }

  // An outage's message names its inputs and their errors: the same again needs no new sentence.
  private static boolean sameMessage(Optional<Condition> a, Optional<Condition> b) {
    return Objects.equals(a.map(Condition::getMessage), b.map(Condition::getMessage));
  }
}
