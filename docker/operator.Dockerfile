# The Millrace operator image, run by helm/millrace-operator.
#
#   mvn -B -DskipTests -pl operator -am package        # operator/target/millrace-operator.jar and target/lib
#   docker build -f docker/operator.Dockerfile -t <registry>/millrace-operator:0.1.0 .
FROM eclipse-temurin:17-jre

RUN groupadd --system --gid 10001 millrace \
 && useradd --system --uid 10001 --gid millrace --home-dir /opt/millrace-operator --no-create-home \
      --shell /usr/sbin/nologin millrace

COPY operator/target/lib/ /opt/millrace-operator/lib/
COPY operator/target/millrace-operator.jar /opt/millrace-operator/lib/

USER 10001:10001
# /healthz, /readyz and /metrics (MILLRACE_MONITORING_PORT).
EXPOSE 8080
# JVM options come from JAVA_TOOL_OPTIONS (the chart's javaOptions).
ENTRYPOINT ["java", "-cp", "/opt/millrace-operator/lib/*", "dev.millrace.operator.OperatorMain"]
