package dev.millrace.operator.reconciler;

import dev.millrace.crds.StreamingAppStatus;
import io.fabric8.kubernetes.api.model.Pod;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * What one reconcile decided, to be carried out in this order: write {@code status} (which holds
 * the Supervisor's new state), then delete and create pods, then record {@code notices} as Events.
 *
 * @param status the status to write; it remembers every decision below, so that carrying them out
 *     again after a crash is harmless
 * @param deletions pods to delete, each with the grace its containers get
 * @param creations pods to create; one that exists already is the same decision carried out before
 * @param notices Events for humans
 * @param requeueAfter when to look again even if nothing changes (a deadline or a status poll)
 */
public record Decision(
    StreamingAppStatus status,
    List<PodDeletion> deletions,
    List<Pod> creations,
    List<Notice> notices,
    Optional<Duration> requeueAfter) {
  /** Copies the lists. */
  public Decision {
    Objects.requireNonNull(status, "status");
    deletions = List.copyOf(deletions);
    creations = List.copyOf(creations);
    notices = List.copyOf(notices);
    Objects.requireNonNull(requeueAfter, "requeueAfter");
  }

  /** Delete {@code pod}, giving its containers {@code grace} before SIGKILL. */
  public record PodDeletion(Pod pod, Duration grace) {}

  /**
   * An Event on the StreamingApp.
   *
   * @param type {@code Normal} or {@code Warning}
   */
  public record Notice(String type, String reason, String message) {
    /** A {@code Normal} Event. */
    public static Notice normal(String reason, String message) {
      return new Notice("Normal", reason, message);
    }

    /** A {@code Warning} Event. */
    public static Notice warning(String reason, String message) {
      return new Notice("Warning", reason, message);
    }
  }
}
