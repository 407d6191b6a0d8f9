package dev.millrace.crds.supervision;

import dev.millrace.crds.Phase;
import java.time.Instant;
import java.util.Optional;

/**
 * What the {@link Supervisor} knows, for status, printer columns and logs.
 *
 * @param phase where the application is in its life
 * @param attempt the current (or last) driver attempt, 0 before the first launch
 * @param driverState whether that attempt is live
 * @param restartsTotal restarts after exits the Supervisor did not ask for, counted or not; never
 *     decreases
 * @param restartsInWindow counted failures within {@code restartPolicy.window} that led to a
 *     restart; at most {@code maxRestarts}, 0 after a stable run
 * @param nextAttemptAt when the next driver attempt is launched, if one waits for its backoff
 * @param lastProgressAt when a completed batch was last seen
 * @param lastBatchTime the last completed batch time
 * @param lastExit how the last driver attempt ended
 * @param message what is happening, and when Failed, what to do
 * @param terminal Succeeded or Failed: nothing more happens without the user
 */
public record SupervisorView(
    Phase phase,
    int attempt,
    DriverAttemptState driverState,
    int restartsTotal,
    int restartsInWindow,
    Optional<Instant> nextAttemptAt,
    Optional<Instant> lastProgressAt,
    Optional<Instant> lastBatchTime,
    Optional<ExitReport> lastExit,
    String message,
    boolean terminal) {}
