# syntax=docker/dockerfile:1
# s3-encryption-gateway container image.
#
# Two ways to get the jar into the image, chosen with JAR_SOURCE:
#   JAR_SOURCE=build     (default) the "build" stage compiles it with the Maven wrapper in
#                        BUILD_IMAGE, then the runtime stage copies it: the usual multi-stage build,
#                          docker build -t s3-encryption-gateway .
#   JAR_SOURCE=prebuilt  copies target/s3-encryption-gateway.jar from the build context (built
#                        before with ./mvnw package); the build stage is skipped. This is what
#                        scripts/build-image.sh uses on machines without a registry.
#
# Base images come in as build arguments so that locally made images can stand in for the public
# ones (no registry is reachable on the project's CI machines; see docs/deployment.md):
#   BUILD_IMAGE    a JDK 21+ with Maven (or with curl/wget, for the Maven wrapper)
#   RUNTIME_IMAGE  a Java 21+ runtime whose `java` is on PATH, with bash (for the health check)
#
# The image runs as uid/gid 10001, with a read-only root filesystem: the only places it writes are
# /data (the embedded store's DATA_DIR, used only without BACKEND_ENDPOINT) and /tmp; mount both as
# volumes (or emptyDir / tmpfs).

ARG BUILD_IMAGE=docker.io/library/maven:3.9-eclipse-temurin-25
ARG RUNTIME_IMAGE=docker.io/library/eclipse-temurin:25-jre
ARG JAR_SOURCE=build

# ---- build: the jar from source -----------------------------------------------------------------
FROM ${BUILD_IMAGE} AS build
WORKDIR /build
COPY .mvn/ .mvn/
COPY mvnw pom.xml ./
COPY src/ src/
# The image's own Maven if it has one (the maven:* images do), else the wrapper (downloads Maven).
# Tests are neither compiled nor run here: CI runs them (./mvnw verify) before images are built.
RUN if command -v mvn >/dev/null 2>&1; then mvn -B -q package -Dmaven.test.skip=true; \
    else ./mvnw -B -q package -Dmaven.test.skip=true; fi

FROM scratch AS jar-build
COPY --from=build /build/target/s3-encryption-gateway.jar /s3-encryption-gateway.jar

# ---- prebuilt: the jar from the build context ---------------------------------------------------
FROM scratch AS jar-prebuilt
COPY target/s3-encryption-gateway.jar /s3-encryption-gateway.jar

FROM jar-${JAR_SOURCE} AS jar

# ---- runtime ------------------------------------------------------------------------------------
FROM ${RUNTIME_IMAGE} AS runtime
# A numeric, non-root user (Kubernetes' runAsNonRoot can verify a number, not a name). Written
# into /etc/passwd directly because minimal bases lack useradd.
RUN set -eu; \
    echo 's3eg:x:10001:10001:s3-encryption-gateway:/app:/usr/sbin/nologin' >> /etc/passwd; \
    echo 's3eg:x:10001:' >> /etc/group; \
    mkdir -p /app /data; \
    chown 10001:10001 /data; \
    chmod 0750 /data
COPY --from=jar /s3-encryption-gateway.jar /app/s3-encryption-gateway.jar
COPY docker/healthcheck /app/healthcheck

# LANG: file names in UTF-8 (the embedded store keeps object keys as file names; without a UTF-8
# locale Java encodes them in ASCII and refuses keys like "ünïcödé").
ENV LISTEN_ADDR=:8080 \
    DATA_DIR=/data \
    LANG=C.UTF-8
USER 10001:10001
WORKDIR /app
VOLUME ["/data", "/tmp"]
EXPOSE 8080
HEALTHCHECK --interval=30s --timeout=5s --start-period=60s --retries=3 CMD ["/app/healthcheck"]
# Heap sized from the container's memory limit; the gateway streams bodies, so most of the rest is
# thread stacks, direct buffers and metaspace. An OutOfMemoryError ends the process so that the
# orchestrator restarts it, instead of a half-working JVM. Netty (the HTTP server) uses
# sun.misc.Unsafe for its direct buffers; allowing it keeps Java 24+ from warning at every start
# (Java 21-23 do not know the option and ignore it). More flags: JAVA_TOOL_OPTIONS.
ENTRYPOINT ["java", \
    "-XX:MaxRAMPercentage=75.0", \
    "-XX:InitialRAMPercentage=25.0", \
    "-XX:+ExitOnOutOfMemoryError", \
    "-XX:+IgnoreUnrecognizedVMOptions", \
    "--sun-misc-unsafe-memory-access=allow", \
    "-Djava.io.tmpdir=/tmp", \
    "-jar", "/app/s3-encryption-gateway.jar"]
