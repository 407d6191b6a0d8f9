# The Millrace runtime image: the base of application images. The operator's driver and executor
# pods run `millrace driver ...` and `millrace executor ...` in it (the pod's command, which
# replaces ENTRYPOINT), and the driver loads the application from spec.application.jars.
#
#   mvn -B -DskipTests -pl examples -am package        # the runtime classpath in examples/target/lib
#   docker build -f docker/runtime.Dockerfile -t <registry>/millrace-runtime:0.1.0 .
#
# An application image adds its jar and names it in the StreamingApp:
#   FROM <registry>/millrace-runtime:0.1.0
#   COPY target/my-app.jar /opt/app/my-app.jar          # spec.application.jars: [local:///opt/app/my-app.jar]
FROM eclipse-temurin:17-jre

# A named user: Hadoop's FileSystem (checkpoints) looks the process's user up by uid and fails
# for a uid without a passwd entry. Pods should run as this uid (10001).
RUN groupadd --system --gid 10001 millrace \
 && useradd --system --uid 10001 --gid millrace --home-dir /opt/millrace --no-create-home \
      --shell /usr/sbin/nologin millrace \
 && mkdir -p /opt/app

# millrace-runtime, millrace-crds and their runtime dependencies, with Log4j (the one slf4j
# provider; Millrace's default configuration is in the runtime jar, see README "Logging").
COPY examples/target/lib/ /opt/millrace/lib/
# The examples (dev.millrace.examples.*), off the classpath: name the jar in spec.application.jars.
COPY examples/target/millrace-examples.jar /opt/millrace/examples/millrace-examples.jar
COPY --chmod=755 docker/millrace /usr/local/bin/millrace

USER 10001:10001
WORKDIR /tmp
# The HTTP port (/healthz, /api/v1/status, /metrics) and executor registration, fixed by the
# operator; executor pods serve their /metrics on 4040 too.
EXPOSE 4040 7077
ENTRYPOINT ["millrace"]
CMD ["help"]
