package dev.millrace.yarn;

import dev.millrace.crds.supervision.DriverAttemptState;
import dev.millrace.crds.supervision.ExitReport;
import dev.millrace.crds.supervision.FailureClass;
import dev.millrace.crds.supervision.Supervisor;
import dev.millrace.crds.supervision.SupervisorEvent;
import dev.millrace.crds.supervision.SupervisorEvent.DriverExited;
import dev.millrace.crds.supervision.SupervisorEvent.DriverStarted;
import dev.millrace.crds.supervision.SupervisorEvent.ExecutorExited;
import dev.millrace.crds.supervision.SupervisorEvent.ExecutorStarted;
import dev.millrace.crds.supervision.SupervisorPolicy;
import dev.millrace.crds.supervision.SupervisorSnapshot;
import dev.millrace.crds.supervision.SupervisorSnapshot.ExecutorSnapshot;
import dev.millrace.crds.supervision.SupervisorSnapshot.ExecutorState;
import dev.millrace.yarn.AmLedger.Role;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.apache.hadoop.yarn.api.records.Container;
import org.apache.hadoop.yarn.api.records.ContainerId;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * How a new ApplicationMaster attempt continues where the previous ones left off: the Supervisor
 * restored from the ledger, the containers YARN kept for it ({@code
 * keepContainersAcrossApplicationAttempts}) adopted by what the ledger says they run, and the
 * events that tell the Supervisor what is still there. A container the ledger does not place (or
 * places in an attempt long gone) is released; a driver or executor the Supervisor counts as live
 * that YARN no longer has ended while no ApplicationMaster watched: not the application's fault, so
 * not counted toward its restarts. Without a ledger, supervision starts afresh and every container
 * is released.
 *
 * @param supervisor the Supervisor to continue with: restored, or new
 * @param driverAttempt the current driver attempt (0 before the first)
 * @param adopted the containers kept, by id, in YARN's order
 * @param released the containers to give back
 * @param events what to tell the Supervisor, in order, before supervision goes on
 * @param ledgerContainers how many containers the ledger placed, for the log
 */
record ContainerAdoption(
    Supervisor supervisor,
    int driverAttempt,
    Map<ContainerId, RunningContainer> adopted,
    List<ContainerId> released,
    List<SupervisorEvent> events,
    int ledgerContainers) {
  private static final Logger LOG = LoggerFactory.getLogger(ContainerAdoption.class);
  private static final ExitReport LOST =
      new ExitReport(null, "EndedWhileNoApplicationMasterRan", FailureClass.INFRASTRUCTURE);

  /** Whether a previous attempt's ledger was continued. */
  boolean continued() {
    return ledgerContainers >= 0;
  }

  /** Decides, at {@code now}, what to do with the {@code previous} attempts' containers. */
  static ContainerAdoption of(
      SupervisorPolicy policy, Optional<AmLedger> ledger, List<Container> previous, Instant now) {
    if (ledger.isEmpty()) {
      List<ContainerId> released = new ArrayList<>();
      for (Container container : previous) {
        LOG.warn("releasing {}: no ledger says what it runs", container.getId());
        released.add(container.getId());
      }
      return new ContainerAdoption(new Supervisor(policy), 0, Map.of(), released, List.of(), -1);
    }
    SupervisorSnapshot snapshot = ledger.get().supervisor();
    int driverAttempt = snapshot.attempt();
    Set<String> tracked = new HashSet<>();
    for (ExecutorSnapshot executor : snapshot.executors()) {
      tracked.add(executor.id());
    }
    Map<ContainerId, RunningContainer> adopted = new LinkedHashMap<>();
    List<ContainerId> released = new ArrayList<>();
    for (Container container : previous) {
      Role role = ledger.get().containers().get(container.getId().toString());
      boolean current =
          role != null
              && (role.isDriver()
                  ? role.driverAttempt() == driverAttempt
                  : tracked.contains(role.executorId()));
      if (current) {
        LOG.info("adopted {} in {}", role, container.getId());
        adopted.put(container.getId(), new RunningContainer(container, role));
      } else {
        LOG.warn(
            "releasing {} from a previous attempt: {}",
            container.getId(),
            role == null ? "the ledger does not place it" : role + " is no longer supervised");
        released.add(container.getId());
      }
    }
    List<SupervisorEvent> events = new ArrayList<>();
    if (snapshot.driverState() != DriverAttemptState.NONE) {
      boolean driverAdopted = adopted.values().stream().anyMatch(r -> r.runsDriver(driverAttempt));
      events.add(
          driverAdopted
              ? new DriverStarted(now, driverAttempt)
              : new DriverExited(now, driverAttempt, LOST));
    }
    for (ExecutorSnapshot executor : snapshot.executors()) {
      if (executor.state() == ExecutorState.WAITING) {
        continue;
      }
      boolean executorAdopted =
          adopted.values().stream().anyMatch(r -> executor.id().equals(r.role.executorId()));
      events.add(
          executorAdopted
              ? new ExecutorStarted(now, executor.id())
              : new ExecutorExited(now, executor.id(), LOST));
    }
    return new ContainerAdoption(
        Supervisor.restore(policy, snapshot),
        driverAttempt,
        adopted,
        released,
        events,
        ledger.get().containers().size());
  }
}
