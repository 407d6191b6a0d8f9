package dev.millrace.operator.reconciler;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.millrace.crds.ReconciliationStatus;
import dev.millrace.crds.StreamingAppSpec;
import dev.millrace.crds.StreamingAppStatus;
import dev.millrace.crds.supervision.ExitReport;
import dev.millrace.crds.supervision.Supervisor;
import dev.millrace.crds.supervision.SupervisorEvent.DriverExited;
import dev.millrace.crds.supervision.SupervisorEvent.Tick;
import dev.millrace.crds.supervision.SupervisorPolicy;
import dev.millrace.crds.supervision.SupervisorSnapshot;
import dev.millrace.operator.TestingApps;
import java.time.Instant;
import org.junit.jupiter.api.Test;

class AppMemoryTest {
  private static final Instant T0 = Instant.parse("2026-01-01T00:00:00Z");

  @Test
  void aStatusWithoutMemoryRemembersNothing() {
    AppMemory memory = AppMemory.of(new StreamingAppStatus());
    assertTrue(memory.lastSpec().isEmpty());
    assertTrue(memory.snapshot().isEmpty());
  }

  @Test
  void specAndSnapshotReadBackEqual() {
    StreamingAppSpec spec = TestingApps.app("memory", 2).getSpec();
    Supervisor supervisor = new Supervisor(SupervisorPolicy.from(spec));
    supervisor.on(new Tick(T0));
    supervisor.on(new DriverExited(T0.plusSeconds(1), 1, ExitReport.ofExitCode(1)));
    SupervisorSnapshot snapshot = supervisor.snapshot();

    AppMemory read = AppMemory.of(statusWith(AppMemory.remember(spec, snapshot, empty())));

    assertEquals(snapshot, read.snapshot().orElseThrow());
    assertEquals(
        SpecDiff.classify(spec, read.lastSpec().orElseThrow()), java.util.Optional.empty());
  }

  @Test
  void aSnapshotThatOnlyMovedItsClockIsNotRewritten() {
    StreamingAppSpec spec = TestingApps.app("memory", 0).getSpec();
    Supervisor supervisor = new Supervisor(SupervisorPolicy.from(spec));
    supervisor.on(new Tick(T0));
    ReconciliationStatus first = AppMemory.remember(spec, supervisor.snapshot(), empty());
    supervisor.on(new Tick(T0.plusSeconds(5)));

    ReconciliationStatus second =
        AppMemory.remember(spec, supervisor.snapshot(), AppMemory.of(statusWith(first)));

    assertEquals(first, second);
  }

  @Test
  void unreadableMemorySaysHowToRecover() {
    ReconciliationStatus broken = new ReconciliationStatus();
    broken.setSupervisor("{not json");
    IllegalStateException e =
        assertThrows(IllegalStateException.class, () -> AppMemory.of(statusWith(broken)));
    assertTrue(e.getMessage().contains("status.reconciliation.supervisor"), e.getMessage());
  }

  private static AppMemory empty() {
    return AppMemory.of(null);
  }

  private static StreamingAppStatus statusWith(ReconciliationStatus reconciliation) {
    StreamingAppStatus status = new StreamingAppStatus();
    status.setReconciliation(reconciliation);
    return status;
  }
}
