package dev.millrace.yarn;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.millrace.crds.supervision.FailureClass;
import org.junit.jupiter.api.Test;

class ContainerExitsTest {
  @Test
  void exitStatusesYarnSetForItsOwnReasonsAreNotTheApplicationsFault() {
    for (int status : new int[] {-100, -101, -102, -105, -106, -107}) {
      assertEquals(
          FailureClass.INFRASTRUCTURE,
          ContainerExits.classify(status, false).failureClass(),
          "exit status " + status);
    }
  }

  @Test
  void exceedingMemoryIsTheApplicationsFault() {
    assertEquals(FailureClass.APPLICATION, ContainerExits.classify(-103, false).failureClass());
    assertEquals("ExceededPhysicalMemory", ContainerExits.classify(-104, false).reason());
    assertEquals(FailureClass.APPLICATION, ContainerExits.classify(-104, false).failureClass());
  }

  @Test
  void aContainerThisApplicationMasterEndedWasRequested() {
    assertEquals(FailureClass.REQUESTED, ContainerExits.classify(-105, true).failureClass());
    assertEquals(FailureClass.REQUESTED, ContainerExits.classify(-100, true).failureClass());
    assertEquals(FailureClass.REQUESTED, ContainerExits.classify(143, true).failureClass());
  }

  @Test
  void processExitCodesKeepTheLaunchContractsMeaning() {
    assertEquals(FailureClass.FINISHED, ContainerExits.classify(0, false).failureClass());
    assertEquals(FailureClass.APPLICATION, ContainerExits.classify(1, false).failureClass());
    assertEquals(
        FailureClass.INCOMPATIBLE_CHECKPOINT, ContainerExits.classify(65, false).failureClass());
    assertEquals(FailureClass.CONFIGURATION, ContainerExits.classify(78, false).failureClass());
    assertEquals("Killed", ContainerExits.classify(137, false).reason());
    assertEquals(FailureClass.APPLICATION, ContainerExits.classify(137, false).failureClass());
  }
}
