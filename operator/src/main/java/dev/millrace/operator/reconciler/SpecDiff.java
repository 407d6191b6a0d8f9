package dev.millrace.operator.reconciler;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.millrace.crds.StreamingAppSpec;
import dev.millrace.crds.UpgradeMode;
import dev.millrace.crds.supervision.SpecChange;
import java.util.Optional;

/**
 * Classifies a spec change against the last reconciled spec, for {@link
 * dev.millrace.crds.supervision.SupervisorEvent.SpecChanged}. {@code suspend} and {@code
 * restartNonce} are requests of their own, not spec changes, and are ignored here. Pure.
 *
 * <ul>
 *   <li>nothing else changed: empty
 *   <li>only {@code executor.instances}: {@link SpecChange#SCALE_EXECUTORS}
 *   <li>only how it is supervised ({@code restartPolicy}, {@code healthCheck}, {@code
 *       gracefulStopTimeout}, {@code upgradeMode}), perhaps with the instances: {@link
 *       SpecChange#POLICY_ONLY}
 *   <li>anything else (the application, image, resources, pod templates, checkpoint, batch
 *       interval): {@link SpecChange#RESTART}, or {@link SpecChange#RESTART_FRESH} under {@code
 *       upgradeMode: stateless}
 * </ul>
 */
public final class SpecDiff {
  private static final ObjectMapper JSON = new ObjectMapper();

  private SpecDiff() {}

  /** What changing {@code last} into {@code next} asks of a running application. */
  public static Optional<SpecChange> classify(StreamingAppSpec last, StreamingAppSpec next) {
    ObjectNode before = tree(last);
    ObjectNode after = tree(next);
    for (ObjectNode t : new ObjectNode[] {before, after}) {
      t.remove("suspend");
      t.remove("restartNonce");
    }
    if (before.equals(after)) {
      return Optional.empty();
    }
    for (ObjectNode t : new ObjectNode[] {before, after}) {
      if (t.get("executor") instanceof ObjectNode executor) {
        executor.remove("instances");
      }
    }
    if (before.equals(after)) {
      return Optional.of(SpecChange.SCALE_EXECUTORS);
    }
    for (ObjectNode t : new ObjectNode[] {before, after}) {
      t.remove("restartPolicy");
      t.remove("healthCheck");
      t.remove("gracefulStopTimeout");
      t.remove("upgradeMode");
    }
    if (before.equals(after)) {
      return Optional.of(SpecChange.POLICY_ONLY);
    }
    // Executors follow the new policy's instances whatever the change; only the restart is decided.
    return Optional.of(
        next.getUpgradeMode() == UpgradeMode.STATELESS
            ? SpecChange.RESTART_FRESH
            : SpecChange.RESTART);
  }

  private static ObjectNode tree(StreamingAppSpec spec) {
    JsonNode node = JSON.valueToTree(spec);
    return (ObjectNode) node;
  }
}
