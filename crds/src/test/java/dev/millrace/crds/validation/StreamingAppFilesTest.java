package dev.millrace.crds.validation;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.millrace.crds.BackoffSpec;
import dev.millrace.crds.HealthCheckSpec;
import dev.millrace.crds.ImagePullPolicy;
import dev.millrace.crds.Phase;
import dev.millrace.crds.RestartPolicySpec;
import dev.millrace.crds.RestartPolicyType;
import dev.millrace.crds.StreamingApp;
import dev.millrace.crds.StreamingAppSpec;
import dev.millrace.crds.UpgradeMode;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.ValueSource;

class StreamingAppFilesTest {
  private static final ObjectMapper JSON = new ObjectMapper();

  private static final String HEADER =
      """
      apiVersion: millrace.dev/v1alpha1
      kind: StreamingApp
      metadata:
        name: word-count
      """;

  /** A valid spec with {@code specBody} (indented two spaces) as its spec, starting at line 6. */
  private static String withSpec(String specBody) {
    return HEADER + "spec:\n" + specBody.indent(2);
  }

  private static final String MINIMAL_SPEC =
      """
      application:
        mainClass: com.example.WordCount
      batchInterval: 1s
      checkpoint:
        dir: checkpoints
      """;

  @Test
  void readsARealisticFullSpec() throws Exception {
    StreamingApp app = StreamingAppFiles.read(resource("clickstream-sessions.yaml"));

    assertEquals("clickstream-sessions", app.getMetadata().getName());
    assertEquals("web-analytics", app.getMetadata().getLabels().get("app.kubernetes.io/part-of"));
    StreamingAppSpec spec = app.getSpec();
    assertEquals(ImagePullPolicy.IfNotPresent, spec.getImagePullPolicy());
    assertEquals("com.example.analytics.ClickstreamSessions", spec.getApplication().getMainClass());
    assertEquals(2, spec.getApplication().getJars().size());
    assertEquals("12", spec.getApplication().getConf().get("millrace.default.parallelism"));
    assertEquals("50s", spec.getCheckpoint().getInterval());
    assertEquals("JAVA_TOOL_OPTIONS", spec.getDriver().getEnv().get(1).getName());
    assertEquals(
        "streaming",
        spec.getDriver().getPodTemplate().getSpec().getTolerations().get(0).getValue());
    assertEquals(4, spec.getExecutor().getInstances());
    assertEquals(RestartPolicyType.OnFailure, spec.getRestartPolicy().getType());
    assertEquals(1.5, spec.getRestartPolicy().getBackoff().getMultiplier());
    assertEquals(UpgradeMode.LAST_STATE, spec.getUpgradeMode());
    assertEquals("2024-06-01", spec.getRestartNonce());
  }

  @ParameterizedTest
  @EnumSource(Target.class)
  void theFullExampleIsValidOnEveryTarget(Target target) throws Exception {
    StreamingApp app = StreamingAppFiles.read(resource("clickstream-sessions.yaml"));
    assertEquals(List.of(), StreamingAppValidator.validate(app, target));
  }

  @Test
  void theSmallestLocalExampleIsValidForALocalRunOnly() throws Exception {
    StreamingApp app = StreamingAppFiles.read(resource("word-count-local.yaml"));
    assertEquals(List.of(), StreamingAppValidator.validate(app, Target.LOCAL));
    assertEquals(
        List.of("spec.image", "spec.application.jars[0]", "spec.checkpoint.dir"),
        StreamingAppValidator.validate(app, Target.KUBERNETES).stream()
            .map(SpecViolation::field)
            .toList());
  }

  @Test
  void readsAResourceAsKubectlGetPrintsIt() {
    StreamingApp app =
        StreamingAppFiles.parse(
            """
            apiVersion: millrace.dev/v1alpha1
            kind: StreamingApp
            metadata:
              creationTimestamp: "2024-06-01T10:00:00Z"
              generation: 3
              name: word-count
              namespace: default
              resourceVersion: "48213"
              uid: 0b7c4a52-6a8e-4d55-9d8a-0f6c3f3f1a11
              managedFields:
              - apiVersion: millrace.dev/v1alpha1
                fieldsType: FieldsV1
                fieldsV1:
                  f:spec:
                    .: {}
                manager: kubectl-client-side-apply
                operation: Update
            spec:
              application:
                mainClass: com.example.WordCount
              batchInterval: 1s
              checkpoint:
                dir: hdfs://namenode:8020/checkpoints/word-count
            status:
              phase: Running
              observedGeneration: 3
              conditions:
              - type: Ready
                status: "True"
                reason: BatchesCompleting
                lastTransitionTime: "2024-06-01T10:01:00Z"
              driver:
                attempt: 2
            """,
            "<stdin>");
    assertEquals(3L, app.getMetadata().getGeneration());
    assertEquals(Phase.Running, app.getStatus().getPhase());
    assertEquals("Ready", app.getStatus().getConditions().get(0).getType());
  }

  @Test
  void fieldsLeftOutGetTheJavaDefaults() {
    StreamingAppSpec spec = StreamingAppFiles.parse(withSpec(MINIMAL_SPEC), "app.yaml").getSpec();

    assertEquals(
        JSON.valueToTree(new RestartPolicySpec()), JSON.valueToTree(spec.getRestartPolicy()));
    assertEquals(JSON.valueToTree(new HealthCheckSpec()), JSON.valueToTree(spec.getHealthCheck()));
    assertEquals(10, spec.getCheckpoint().getRetain());
    assertEquals("1Gi", spec.getExecutor().getMemory());
    assertEquals(List.of(), spec.getApplication().getJars());
    assertEquals(Map.of(), spec.getApplication().getConf());
  }

  @Test
  void fieldsSetToNullGetTheirDefaultsAsOnKubernetes() {
    StreamingAppSpec spec =
        StreamingAppFiles.parse(
                withSpec(
                    MINIMAL_SPEC
                        + """
                        restartPolicy:
                          maxRestarts: ~
                          backoff:
                        executor:
                          cores: null
                        upgradeMode:
                        """),
                "app.yaml")
            .getSpec();

    assertEquals(5, spec.getRestartPolicy().getMaxRestarts());
    assertEquals(
        JSON.valueToTree(new BackoffSpec()),
        JSON.valueToTree(spec.getRestartPolicy().getBackoff()));
    assertEquals(1, spec.getExecutor().getCores());
    assertEquals(UpgradeMode.LAST_STATE, spec.getUpgradeMode());
  }

  @Test
  void aSpecWithEveryOptionalFieldLeftOutIsValidForALocalRun() {
    StreamingApp app = StreamingAppFiles.parse(withSpec(MINIMAL_SPEC), "app.yaml");
    assertEquals(List.of(), StreamingAppValidator.validate(app, Target.LOCAL));
  }

  @Test
  void yamlSyntaxErrorNamesLineAndColumn() {
    assertEquals(
        List.of("YAML syntax error: mapping values are not allowed here (line 7, column 27)"),
        messages(withSpec("application:\n  mainClass: com.example: WordCount\n")));
  }

  @Test
  void tabIndentationIsASyntaxErrorAtTheTab() {
    String message = messages(HEADER + "spec:\n\tbatchInterval: 1s\n").get(0);
    assertTrue(message.startsWith("YAML syntax error: "), message);
    assertTrue(message.endsWith("(line 6, column 1)"), message);
  }

  @Test
  void unknownFieldNamesTheClosestKnownField() {
    assertEquals(
        List.of(
            "spec.restartPolicy.maxRestart: unknown field; did you mean maxRestarts? (line 12)"),
        messages(withSpec(MINIMAL_SPEC + "restartPolicy:\n  maxRestart: 3\n")));
  }

  @Test
  void transposedLettersAndOtherCaseCountAsTypos() {
    assertEquals(
        List.of(
            "spec.executor.memroy: unknown field; did you mean memory? (line 12)",
            "spec.healthcheck: unknown field; did you mean healthCheck? (line 13)"),
        messages(
            withSpec(
                MINIMAL_SPEC + "executor:\n  memroy: 2Gi\nhealthcheck:\n  startTimeout: 1m\n")));
  }

  @Test
  void fieldAtTheWrongLevelNamesWhereItBelongs() {
    assertEquals(
        List.of(
            "spec.maxRestarts: unknown field; did you mean spec.restartPolicy.maxRestarts? (line 11)",
            "spec.memory: unknown field; did you mean spec.driver.memory or spec.executor.memory?"
                + " (line 12)"),
        messages(withSpec(MINIMAL_SPEC + "maxRestarts: 3\nmemory: 2Gi\n")));
  }

  @Test
  void unknownFieldWithNoLikelyMeaningListsTheKnownFields() {
    assertEquals(
        List.of(
            "spec.checkpoint.compression: unknown field; spec.checkpoint has dir, interval,"
                + " retain (line 11)"),
        messages(withSpec(MINIMAL_SPEC.replace("dir: checkpoints", "dir: c\n  compression: lz4"))));
  }

  @Test
  void unknownMetadataFieldIsAnErrorAsWithKubectl() {
    assertEquals(
        List.of("metadata.lables: unknown field; did you mean labels? (line 5)"),
        messages(HEADER + "  lables:\n    team: web\nspec:\n" + MINIMAL_SPEC.indent(2)));
  }

  @Test
  void fieldsOfPodTemplatesAreLeftToKubernetes() {
    StreamingApp app =
        StreamingAppFiles.parse(
            withSpec(
                MINIMAL_SPEC
                    + """
                    driver:
                      podTemplate:
                        spec:
                          priorityClassName: streaming
                          someFutureField: true
                    """),
            "app.yaml");
    assertEquals(
        "streaming", app.getSpec().getDriver().getPodTemplate().getSpec().getPriorityClassName());
  }

  @Test
  void podTemplateThatIsNoPodTemplateIsReportedWithItsPath() {
    List<String> messages =
        messages(
            withSpec(
                MINIMAL_SPEC
                    + """
                    executor:
                      podTemplate:
                        spec:
                          containers: 5
                    """));
    assertEquals(1, messages.size(), messages::toString);
    assertTrue(
        messages.get(0).startsWith("spec.executor.podTemplate.spec.containers: cannot be read: "),
        messages::toString);
    assertTrue(messages.get(0).endsWith("(line 14)"), messages::toString);
  }

  @Test
  void wrongTypeNamesTheExpectedType() {
    assertEquals(
        List.of("spec.executor.instances: \"three\" must be an integer (line 12)"),
        messages(withSpec(MINIMAL_SPEC + "executor:\n  instances: three\n")));
  }

  @Test
  void quotedNumbersAndBooleansAreTypeErrorsAsOnKubernetes() {
    assertEquals(
        List.of(
            "spec.executor.instances: \"3\" must be an integer, without quotes (line 12)",
            "spec.restartPolicy.backoff.multiplier: \"1.5\" must be a number, without quotes"
                + " (line 15)",
            "spec.suspend: \"true\" must be true or false, without quotes (line 16)"),
        messages(
            withSpec(
                MINIMAL_SPEC
                    + """
                    executor:
                      instances: "3"
                    restartPolicy:
                      backoff:
                        multiplier: "1.5"
                    suspend: "true"
                    """)));
  }

  @Test
  void numbersWhereStringsBelongAreTypeErrorsAsOnKubernetes() {
    assertEquals(
        List.of(
            "spec.application.conf[\"millrace.default.parallelism\"]: 4 must be a string (line 9)",
            "spec.restartNonce: 2 must be a string (line 13)"),
        messages(
            withSpec(
                MINIMAL_SPEC.replace(
                        "  mainClass: com.example.WordCount",
                        "  mainClass: com.example.WordCount\n  conf:\n"
                            + "    millrace.default.parallelism: 4")
                    + "restartNonce: 2\n")));
  }

  @Test
  void aListOrMappingInTheWrongPlaceIsATypeError() {
    assertEquals(
        List.of(
            "spec.application.jars: \"app.jar\" must be a list (line 8)",
            "spec.batchInterval: {\"seconds\":1} must be a string (line 9)",
            "spec.driver: [\"cores\"] must be a mapping of fields (line 13)"),
        messages(
            withSpec(
                MINIMAL_SPEC
                        .replace("batchInterval: 1s", "batchInterval:\n  seconds: 1")
                        .replace(
                            "  mainClass: com.example.WordCount",
                            "  mainClass: com.example.WordCount\n  jars: app.jar")
                    + "driver: [cores]\n")));
  }

  @Test
  void unknownEnumValueListsTheAllowedValues() {
    assertEquals(
        List.of(
            "spec.imagePullPolicy: \"Sometimes\" must be one of Always, IfNotPresent, Never (line 11)",
            "spec.upgradeMode: \"last_state\" must be one of last-state, stateless; did you mean"
                + " last-state? (line 12)"),
        messages(withSpec(MINIMAL_SPEC + "imagePullPolicy: Sometimes\nupgradeMode: last_state\n")));
  }

  @Test
  void apiVersionAndKindAreChecked() {
    assertEquals(
        List.of(
            "apiVersion: \"millrace.dev/v1\" must be millrace.dev/v1alpha1 (line 1)",
            "kind: \"StreamingApplication\" must be StreamingApp (line 2)"),
        messages(
            withSpec(MINIMAL_SPEC)
                .replace("v1alpha1", "v1")
                .replace("kind: StreamingApp", "kind: StreamingApplication")));
  }

  @Test
  void apiVersionAndKindAreRequired() {
    assertEquals(
        List.of(
            "apiVersion: <missing> is required; write apiVersion: millrace.dev/v1alpha1",
            "kind: <missing> is required; write kind: StreamingApp"),
        messages(
            withSpec(MINIMAL_SPEC).lines().skip(2).map(l -> l + "\n").reduce("", String::concat)));
  }

  @ParameterizedTest
  @ValueSource(strings = {"", "\n\n", "# nothing yet\n", "---\n", "~\n"})
  void anEmptyDocumentIsInvalid(String text) {
    assertEquals(
        List.of("the document is empty; a StreamingApp has apiVersion, kind, metadata and spec"),
        messages(text));
  }

  @Test
  void moreThanOneDocumentIsInvalid() {
    assertEquals(
        List.of("a second document starts at line 12; write one StreamingApp per file"),
        messages(withSpec(MINIMAL_SPEC) + "---\n" + withSpec(MINIMAL_SPEC)));
  }

  @Test
  void documentMarkersAroundOneDocumentAreFine() {
    StreamingApp app =
        StreamingAppFiles.parse("---\n" + withSpec(MINIMAL_SPEC) + "---\n", "app.yaml");
    assertEquals("word-count", app.getMetadata().getName());
  }

  @Test
  void aDocumentThatIsNotAMappingIsInvalid() {
    assertEquals(
        List.of(
            "the document must be a mapping with apiVersion, kind, metadata and spec, not"
                + " \"app.yaml\""),
        messages("app.yaml\n"));
  }

  @Test
  void aFieldSetTwiceIsInvalid() {
    assertEquals(
        List.of("spec.batchInterval: is set twice (lines 8 and 11); keep one"),
        messages(withSpec(MINIMAL_SPEC + "batchInterval: 2s\n")));
  }

  @Test
  void anchorsAndAliasesAreResolved() {
    StreamingApp app =
        StreamingAppFiles.parse(
            withSpec(
                MINIMAL_SPEC
                    + """
                    driver:
                      env: &common
                        - name: TZ
                          value: UTC
                    executor:
                      env: *common
                    """),
            "app.yaml");
    assertEquals("UTC", app.getSpec().getExecutor().getEnv().get(0).getValue());
  }

  @Test
  void mergeKeysAreRejectedRatherThanMisread() {
    assertEquals(
        List.of(
            "spec.executor[\"<<\"]: YAML merge keys are not supported; write the fields out"
                + " (line 14)"),
        messages(
            withSpec(
                MINIMAL_SPEC
                    + """
                    driver: &resources
                      cores: 2
                    executor:
                      <<: *resources
                      instances: 2
                    """)));
  }

  @Test
  void everyFormViolationIsReportedAtOnceInDocumentOrder() {
    List<String> fields =
        violations(
                withSpec(
                    """
                    application:
                      mainClas: com.example.WordCount
                    batchInterval: 1
                    batchInterval: 2s
                    checkpoint:
                      dir: checkpoints
                      retain: many
                    upgradeMode: fresh
                    """))
            .stream()
            .map(SpecViolation::field)
            .toList();
    assertEquals(
        List.of(
            "spec.application.mainClas",
            "spec.batchInterval",
            "spec.batchInterval",
            "spec.checkpoint.retain",
            "spec.upgradeMode"),
        fields);
  }

  @Test
  void aByteOrderMarkIsIgnored() {
    StreamingApp app = StreamingAppFiles.parse("\uFEFF" + withSpec(MINIMAL_SPEC), "app.yaml");
    assertEquals("word-count", app.getMetadata().getName());
  }

  @Test
  void readNamesTheFileInItsErrors(@TempDir Path dir) throws IOException {
    Path file = Files.writeString(dir.resolve("app.yaml"), withSpec("batchIntervall: 1s\n"));
    InvalidSpecException e =
        assertThrows(InvalidSpecException.class, () -> StreamingAppFiles.read(file));
    assertEquals(file.toString(), e.source());
    assertTrue(e.getMessage().startsWith(file + " is not a valid StreamingApp:\n"), e::getMessage);
  }

  @Test
  void aMissingFileIsAnIoErrorNotAnInvalidSpec(@TempDir Path dir) {
    Path file = dir.resolve("nope.yaml");
    UncheckedIOException e =
        assertThrows(UncheckedIOException.class, () -> StreamingAppFiles.read(file));
    assertEquals("cannot read " + file + ": no such file", e.getMessage());
  }

  @Test
  void aFileThatIsNotUtf8IsInvalid(@TempDir Path dir) throws IOException {
    Path file = Files.write(dir.resolve("app.yaml"), new byte[] {'a', ':', ' ', (byte) 0xC3, 0x28});
    InvalidSpecException e =
        assertThrows(InvalidSpecException.class, () -> StreamingAppFiles.read(file));
    assertEquals(
        List.of("the file is not UTF-8 text; save it as UTF-8"),
        e.violations().stream().map(SpecViolation::message).toList());
  }

  @Test
  void toYamlRoundTripsThroughParse() throws Exception {
    StreamingApp app = StreamingAppFiles.read(resource("clickstream-sessions.yaml"));

    String yaml = StreamingAppFiles.toYaml(app);
    StreamingApp back = StreamingAppFiles.parse(yaml, "written.yaml");

    assertEquals(JSON.valueToTree(app.getSpec()), JSON.valueToTree(back.getSpec()));
    assertEquals(app.getMetadata(), back.getMetadata());
    assertEquals(yaml, StreamingAppFiles.toYaml(back));
  }

  @Test
  void toYamlQuotesStringsThatWouldReadAsNumbersOrBooleans() {
    StreamingApp app = StreamingAppFiles.parse(withSpec(MINIMAL_SPEC), "app.yaml");
    app.getSpec().setRestartNonce("0x1F");
    app.getSpec().getApplication().setArgs(List.of("yes", "1e3", ".nan", "~", "", "- x", "a: b"));

    StreamingApp back = StreamingAppFiles.parse(StreamingAppFiles.toYaml(app), "written.yaml");

    assertEquals("0x1F", back.getSpec().getRestartNonce());
    assertEquals(
        app.getSpec().getApplication().getArgs(), back.getSpec().getApplication().getArgs());
  }

  @Test
  void toYamlWritesWhatAUserWritesWithoutStatusNullsOrEmptyLists() {
    StreamingApp app = StreamingAppFiles.parse(withSpec(MINIMAL_SPEC), "app.yaml");
    app.getStatus().setMessage("running");

    String yaml = StreamingAppFiles.toYaml(app);

    assertTrue(
        yaml.startsWith("apiVersion: \"millrace.dev/v1alpha1\"\nkind: \"StreamingApp\"\n"), yaml);
    for (String absent : List.of("status", "null", "jars", "conf", "env", "image:", "---")) {
      assertTrue(!yaml.contains(absent), () -> absent + " in\n" + yaml);
    }
    assertNull(StreamingAppFiles.parse(yaml, "written.yaml").getSpec().getImage());
  }

  @Test
  void aTypoAndABadValueAreReportedTogetherInDocumentOrder() {
    String yaml =
        withSpec(
            """
            application:
              mainClass: com.example.WordCount
            batchInterval: 5ms
            checkpoint:
              dir: checkpoints
            restartPolicy:
              maxRestart: 3
            """);

    assertEquals(
        List.of(
            "spec.batchInterval: 5ms must be at least 10ms",
            "spec.restartPolicy.maxRestart: unknown field; did you mean maxRestarts? (line 12)"),
        messagesOfParseValid(yaml, Target.LOCAL));
  }

  @Test
  void aFieldDroppedForItsFormIsNotReportedAgainForItsValue() {
    String yaml =
        withSpec(
            """
            application:
              mainClass: com.example.WordCount
            batchInterval: [1s]
            checkpoint: checkpoints
            driver:
              env: ["A=1"]
            """);

    assertEquals(
        List.of("spec.batchInterval", "spec.checkpoint", "spec.driver.env[0]"),
        violationsOfParseValid(yaml, Target.LOCAL).stream().map(SpecViolation::field).toList());
  }

  @Test
  void aBadEnumValueIsReportedAndTheRestIsStillChecked() {
    String yaml =
        withSpec(
            """
            application:
              mainClass: WordCount.java
            batchInterval: 1s
            checkpoint:
              dir: checkpoints
            restartPolicy:
              type: Allways
            """);

    assertEquals(
        List.of(
            "spec.application.mainClass: WordCount.java must be a Java class name, not a file"
                + " name; write WordCount",
            "spec.restartPolicy.type: \"Allways\" must be one of Always, Never, OnFailure;"
                + " did you mean Always? (line 12)"),
        messagesOfParseValid(yaml, Target.LOCAL));
  }

  @Test
  void aYamlSyntaxErrorStillEndsReadingAtOnce() {
    String yaml = withSpec("batchInterval: 5ms\nrestartPolicy: {maxRestart: 3\n");

    List<SpecViolation> found = violationsOfParseValid(yaml, Target.LOCAL);

    assertEquals(1, found.size(), found::toString);
    assertEquals("", found.get(0).field());
    assertTrue(found.get(0).rule().startsWith("YAML syntax error"), found::toString);
  }

  @ParameterizedTest
  @EnumSource(Target.class)
  void aValidFileReadsAsReadAndRequireValidRead(Target target) throws Exception {
    Path file = resource("clickstream-sessions.yaml");

    StreamingApp expected =
        StreamingAppValidator.requireValid(StreamingAppFiles.read(file), target, file.toString());
    StreamingApp app = StreamingAppFiles.readValid(file, target);

    assertEquals(JSON.valueToTree(expected.getSpec()), JSON.valueToTree(app.getSpec()));
    assertEquals(expected.getMetadata(), app.getMetadata());
  }

  @Test
  void aWellFormedFileGetsTheValidatorsViolations() throws Exception {
    Path file = resource("word-count-local.yaml");

    InvalidSpecException e =
        assertThrows(
            InvalidSpecException.class, () -> StreamingAppFiles.readValid(file, Target.KUBERNETES));

    assertEquals(file.toString(), e.source());
    assertEquals(
        StreamingAppValidator.validate(StreamingAppFiles.read(file), Target.KUBERNETES),
        e.violations());
  }

  private static List<SpecViolation> violationsOfParseValid(String yaml, Target target) {
    return assertThrows(
            InvalidSpecException.class,
            () -> StreamingAppFiles.parseValid(yaml, "app.yaml", target))
        .violations();
  }

  private static List<String> messagesOfParseValid(String yaml, Target target) {
    return violationsOfParseValid(yaml, target).stream().map(SpecViolation::message).toList();
  }

  private static List<SpecViolation> violations(String yaml) {
    return assertThrows(InvalidSpecException.class, () -> StreamingAppFiles.parse(yaml, "app.yaml"))
        .violations();
  }

  private static List<String> messages(String yaml) {
    return violations(yaml).stream().map(SpecViolation::message).toList();
  }

  private static Path resource(String name) throws URISyntaxException {
    return Path.of(StreamingAppFilesTest.class.getResource(name).toURI());
  }
}
