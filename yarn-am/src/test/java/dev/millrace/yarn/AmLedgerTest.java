package dev.millrace.yarn;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.millrace.crds.supervision.Supervisor;
import dev.millrace.crds.supervision.SupervisorEvent.BatchCompleted;
import dev.millrace.crds.supervision.SupervisorEvent.DriverStarted;
import dev.millrace.crds.supervision.SupervisorEvent.ExecutorStarted;
import dev.millrace.crds.supervision.SupervisorEvent.Tick;
import dev.millrace.crds.supervision.SupervisorPolicy;
import dev.millrace.yarn.AmLedger.Role;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Map;
import org.junit.jupiter.api.Test;

class AmLedgerTest {
  private static final SupervisorPolicy POLICY =
      SupervisorPolicy.from(TestingSpecs.app("executor: {instances: 2}").getSpec());
  private static final Instant T0 = Instant.parse("2026-11-21T05:00:00Z");

  @Test
  void aLedgerReadBackRestoresTheSameSupervisionAndPlacesEveryContainer() throws IOException {
    Supervisor supervisor = running();
    AmLedger ledger =
        new AmLedger(
            supervisor.snapshot(),
            Map.of(
                "container_1_0001_01_000002", Role.driver(1),
                "container_1_0001_01_000003", Role.executor("exec-1")));

    AmLedger read = AmLedger.fromJson(ledger.toJson());

    assertEquals(ledger, read);
    Supervisor restored = Supervisor.restore(POLICY, read.supervisor());
    assertEquals(supervisor.view(), restored.view());
    assertEquals(supervisor.nextDeadline(), restored.nextDeadline());
    assertTrue(read.containers().get("container_1_0001_01_000002").isDriver());
    assertEquals("executor exec-1", read.containers().get("container_1_0001_01_000003").toString());
  }

  @Test
  void batchProgressAloneIsNotAChangeButAnExitOrAContainerIs() {
    Supervisor supervisor = running();
    Map<String, Role> containers = Map.of("container_1_0001_01_000002", Role.driver(1));
    AmLedger before = new AmLedger(supervisor.snapshot(), containers);

    supervisor.on(new BatchCompleted(T0.plusSeconds(9), T0.plusSeconds(8)));
    AmLedger progressed = new AmLedger(supervisor.snapshot(), containers);
    assertFalse(progressed.equals(before));
    assertTrue(progressed.sameButProgress(before));

    AmLedger moreContainers =
        new AmLedger(
            supervisor.snapshot(),
            Map.of(
                "container_1_0001_01_000002", Role.driver(1),
                "container_1_0001_01_000004", Role.executor("exec-2")));
    assertFalse(moreContainers.sameButProgress(progressed));
  }

  @Test
  void aDamagedLedgerIsAnIoErrorThatQuotesIt() {
    byte[] damaged = "{\"supervisor\": {\"phase\": \"Runn".getBytes(StandardCharsets.UTF_8);
    IOException e = assertThrows(IOException.class, () -> AmLedger.fromJson(damaged));
    assertTrue(e.getMessage().startsWith("not an ApplicationMaster ledger"), e.getMessage());
    assertTrue(e.getMessage().contains("\"phase\": \"Runn"), e.getMessage());
  }

  private static Supervisor running() {
    Supervisor supervisor = new Supervisor(POLICY);
    supervisor.on(new Tick(T0));
    supervisor.on(new DriverStarted(T0.plusSeconds(2), 1));
    supervisor.on(new ExecutorStarted(T0.plusSeconds(2), "exec-1"));
    supervisor.on(new BatchCompleted(T0.plusSeconds(4), T0.plusSeconds(3)));
    return supervisor;
  }
}
