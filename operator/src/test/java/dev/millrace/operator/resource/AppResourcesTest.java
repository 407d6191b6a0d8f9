package dev.millrace.operator.resource;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import dev.millrace.crds.StreamingApp;
import dev.millrace.crds.StreamingAppStatus;
import dev.millrace.crds.validation.StreamingAppFiles;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.Service;
import java.util.Map;
import org.junit.jupiter.api.Test;

class AppResourcesTest {
  @Test
  void configMapHoldsTheSpecAsTheDriverReadsIt() {
    StreamingApp app = AppPodsTest.app();
    app.getMetadata().setResourceVersion("42");
    app.setStatus(new StreamingAppStatus());
    ConfigMap map = AppResources.specConfigMap(app);
    assertEquals("wc-spec", map.getMetadata().getName());
    String yaml = map.getData().get("app.yaml");
    assertFalse(yaml.contains("status"), yaml);
    assertFalse(yaml.contains("resourceVersion"), yaml);
    StreamingApp read = StreamingAppFiles.parse(yaml, "app.yaml");
    assertEquals(app.getSpec().getImage(), read.getSpec().getImage());
    assertEquals("wc", read.getMetadata().getName());
  }

  @Test
  void serviceIsHeadlessAndSelectsTheDriverOfAnyAttempt() {
    Service service = AppResources.driverService(AppPodsTest.app());
    assertEquals("wc-driver", service.getMetadata().getName());
    assertEquals("None", service.getSpec().getClusterIP());
    assertEquals(
        Map.of(
            "app.kubernetes.io/name",
            "millrace",
            "millrace.dev/app",
            "wc",
            "millrace.dev/role",
            "driver"),
        service.getSpec().getSelector());
    assertEquals(7077, service.getSpec().getPorts().get(1).getPort());
    assertEquals("uid-wc", service.getMetadata().getOwnerReferences().get(0).getUid());
  }
}
