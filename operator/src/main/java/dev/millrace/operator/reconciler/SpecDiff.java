package dev.millrace.operator.reconciler;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.millrace.crds.StreamingAppSpec;
import dev.millrace.crds.UpgradeMode;
import dev.millrace.crds.supervision.SpecChange;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Optional;

/**
 * Classifies a spec change against the last reconciled spec, for {@link
 * dev.millrace.crds.supervision.SupervisorEvent.SpecChanged}. {@code suspend} and {@code
 * restartNonce} are requests of their own, not spec changes, and {@code yarn} is for YARN only
 * (pods take Java from the image and have no ApplicationMaster): all are ignored here. Pure.
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
  private static final ObjectMapper CANONICAL =
      new ObjectMapper().enable(SerializationFeature.ORDER_MAP_ENTRIES_BY_KEYS);

  private SpecDiff() {}

  /** What changing {@code last} into {@code next} asks of a running application. */
  public static Optional<SpecChange> classify(StreamingAppSpec last, StreamingAppSpec next) {
    ObjectNode before = tree(last);
    ObjectNode after = tree(next);
    for (ObjectNode t : new ObjectNode[] {before, after}) {
      withoutRequests(t);
    }
    if (before.equals(after)) {
      return Optional.empty();
    }
    for (ObjectNode t : new ObjectNode[] {before, after}) {
      withoutInstances(t);
    }
    if (before.equals(after)) {
      return Optional.of(SpecChange.SCALE_EXECUTORS);
    }
    for (ObjectNode t : new ObjectNode[] {before, after}) {
      withoutPolicy(t);
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

  /**
   * A short hash of the part of {@code spec} whose change restarts the application ({@link
   * SpecChange#RESTART}): two specs have the same hash exactly when changing one into the other
   * restarts nothing. Stamped on every pod, it tells the pods built from an earlier spec.
   */
  public static String restartHash(StreamingAppSpec spec) {
    ObjectNode t = tree(spec);
    withoutRequests(t);
    withoutInstances(t);
    withoutPolicy(t);
    try {
      // Through plain maps written in key order: the same content always gives the same bytes.
      byte[] canonical = CANONICAL.writeValueAsBytes(CANONICAL.treeToValue(t, Object.class));
      return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(canonical), 0, 6);
    } catch (JsonProcessingException | NoSuchAlgorithmException e) {
      throw new IllegalStateException("cannot hash a StreamingApp spec", e);
    }
  }

  private static void withoutRequests(ObjectNode t) {
    t.remove("suspend");
    t.remove("restartNonce");
    t.remove("yarn");
  }

  private static void withoutInstances(ObjectNode t) {
    if (t.get("executor") instanceof ObjectNode executor) {
      executor.remove("instances");
    }
  }

  private static void withoutPolicy(ObjectNode t) {
    t.remove("restartPolicy");
    t.remove("healthCheck");
    t.remove("gracefulStopTimeout");
    t.remove("upgradeMode");
  }

  private static ObjectNode tree(StreamingAppSpec spec) {
    JsonNode node = JSON.valueToTree(spec);
    return (ObjectNode) node;
  }
}
