package dev.millrace.crds.supervision;

import dev.millrace.crds.launch.DriverStatusReport;
import dev.millrace.crds.supervision.SupervisorAction.GiveUp;
import dev.millrace.crds.supervision.SupervisorAction.KillDriver;
import dev.millrace.crds.supervision.SupervisorAction.LaunchDriver;
import dev.millrace.crds.supervision.SupervisorAction.LaunchExecutor;
import dev.millrace.crds.supervision.SupervisorAction.RestartScheduled;
import dev.millrace.crds.supervision.SupervisorAction.StopDriver;
import dev.millrace.crds.supervision.SupervisorAction.StopExecutor;
import java.util.Optional;

/**
 * The port a backend ({@code millrace run}'s local processes, the YARN ApplicationMaster's
 * containers) implements for a {@link SupervisionLoop}: how to launch, stop and kill its drivers
 * and executors, and how to read the current driver's status. Every method is called on the loop's
 * thread and must not block for long. What the backend observes on its own threads (a process or
 * container that started or ended) it hands to {@link SupervisionLoop#submit} or {@link
 * SupervisionLoop#execute}.
 */
public interface SupervisionBackend {
  /** Starts driver {@code launch.attempt()}; its start and its exit are submitted when seen. */
  void launchDriver(LaunchDriver launch);

  /** Asks driver {@code stop.attempt()} to stop gracefully (SIGTERM), if it runs. */
  void stopDriver(StopDriver stop);

  /** Ends driver {@code kill.attempt()} now (SIGKILL), if it runs. */
  void killDriver(KillDriver kill);

  /**
   * Starts executor {@code launch.executorId()}; its start and its exit are submitted when seen.
   */
  void launchExecutor(LaunchExecutor launch);

  /** Stops executor {@code stop.executorId()}, if it runs; its exit is submitted when seen. */
  void stopExecutor(StopExecutor stop);

  /** Tells whoever watches that a restart is scheduled; nothing to carry out. */
  default void restartScheduled(RestartScheduled scheduled) {}

  /** Tells whoever watches that the Supervisor gave up; nothing to carry out. */
  default void gaveUp(GiveUp giveUp) {}

  /**
   * The newest report of the current driver attempt's status endpoint, or empty when no driver of
   * that attempt runs or it does not answer (yet). A report of another attempt is never returned.
   */
  Optional<DriverStatusReport> pollDriver();

  /**
   * Called with each event just before the Supervisor handles it, so the backend can note what it
   * reports (an exit's time, its log), while its own records still describe the process that ended.
   */
  default void observe(SupervisorEvent event) {}

  /**
   * Called after each event was handled and its actions carried out, with the Supervisor's view
   * after them: where the backend publishes its status.
   */
  default void handled(SupervisorEvent event, SupervisorView view) {}

  /** Called at the end of each turn of the loop, after its {@code Tick}: periodic bookkeeping. */
  default void turnEnded() {}
}
