#!/usr/bin/env bash
# Builds the gateway's container image with podman, without any registry.
#
#   scripts/build-image.sh              image from the prebuilt jar (target/, built if missing)
#   scripts/build-image.sh --from-source
#                                       the Dockerfile's multi-stage path: the jar is compiled by
#                                       Maven inside a local JDK image (offline, from ~/.m2)
#
# The public base images named in the Dockerfile cannot be pulled here, so this script makes the
# runtime base itself: a Debian root filesystem from `debootstrap --variant=minbase` (from the
# Debian mirror in this machine's apt sources) plus a Java runtime cut with jlink from the JDK in
# JAVA_HOME (Debian's own JRE is 17; the gateway needs 21+). The module list comes from jdeps over
# the jar, plus modules that are only reached by reflection.
#
# Cached between runs (safe to delete; everything is rebuilt from scratch when missing):
#   $S3EG_CACHE_DIR (default /var/tmp/s3eg-container-cache)/rootfs-SUITE.tar   debootstrap output
#   $S3EG_CACHE_DIR/jre-modules-HASH.txt   jdeps result, keyed by the jar's list of classes
#   podman's store: localhost/s3eg-runtime-base:KEY (and, for --from-source,
#   localhost/s3eg-runtime-base-full:KEY and localhost/s3eg-build-base:KEY)
#
# Environment: IMAGE (default localhost/s3-encryption-gateway:dev), JAVA_HOME (a JDK 21+),
# DEBIAN_SUITE and DEBIAN_MIRROR (default: this machine's), S3EG_CACHE_DIR.
# Needs root, podman, runc and debootstrap (apt-get install podman runc debootstrap).
set -euo pipefail
cd "$(dirname "$0")/.."

FROM_SOURCE=false
case "${1:-}" in
  --from-source) FROM_SOURCE=true ;;
  "") ;;
  *) echo "usage: $0 [--from-source]" >&2; exit 64 ;;
esac

IMAGE="${IMAGE:-localhost/s3-encryption-gateway:dev}"
JAVA_HOME="${JAVA_HOME:-/usr/lib/jvm/temurin-25-jdk-amd64}"
CACHE_DIR="${S3EG_CACHE_DIR:-/var/tmp/s3eg-container-cache}"
JAR=target/s3-encryption-gateway.jar
# crun fails on these machines; runc works. Builds and runs are capped like every other process.
PODMAN=(podman --runtime /usr/sbin/runc)
ULIMITS=(--ulimit nofile=1024:1024 --ulimit nproc=1024:1024)
# Modules that jdeps cannot see: loaded by name or through services at run time.
EXTRA_MODULES=jdk.crypto.ec,jdk.crypto.cryptoki,java.net.http,jdk.naming.dns,jdk.zipfs,jdk.charsets,jdk.localedata

log() { echo "build-image: $*" >&2; }

# shellcheck source=/dev/null
. /etc/os-release
DEBIAN_SUITE="${DEBIAN_SUITE:-${VERSION_CODENAME:-bookworm}}"
if [ -z "${DEBIAN_MIRROR:-}" ]; then
  DEBIAN_MIRROR="$(
    { grep -hs '^URIs:' /etc/apt/sources.list.d/*.sources | awk '{print $2}'
      grep -hs '^deb ' /etc/apt/sources.list | awk '{print $2}'; } \
      | grep -v -e security -e '^$' | grep -i debian | head -n1 || true)"
  DEBIAN_MIRROR="${DEBIAN_MIRROR:-http://deb.debian.org/debian}"
fi

mkdir -p "$CACHE_DIR"
WORK="$(mktemp -d /var/tmp/s3eg-build.XXXXXX)"
trap 'rm -rf "$WORK"' EXIT

sha() { sha256sum | cut -c1-16; }

# ---- the jar -----------------------------------------------------------------------------------
if [ ! -f "$JAR" ] && [ "$FROM_SOURCE" = false ]; then
  log "no $JAR: building it"
  JAVA_HOME="$JAVA_HOME" ./mvnw -B -q package -DskipTests
fi

# ---- Debian root filesystem (debootstrap, cached) ----------------------------------------------
ROOTFS_TAR="$CACHE_DIR/rootfs-$DEBIAN_SUITE.tar"
if [ ! -s "$ROOTFS_TAR" ]; then
  log "debootstrap --variant=minbase $DEBIAN_SUITE from $DEBIAN_MIRROR (first run only)"
  debootstrap --variant=minbase "$DEBIAN_SUITE" "$WORK/debootstrap" "$DEBIAN_MIRROR" \
    >"$WORK/debootstrap.log" 2>&1 || { tail -n 30 "$WORK/debootstrap.log" >&2; exit 1; }
  # What a runtime image does not need: package caches and lists, documentation, locales.
  rm -rf "$WORK/debootstrap"/var/cache/apt/archives/*.deb "$WORK/debootstrap"/var/lib/apt/lists/* \
    "$WORK/debootstrap"/usr/share/doc/* "$WORK/debootstrap"/usr/share/man/* \
    "$WORK/debootstrap"/usr/share/info/* "$WORK/debootstrap"/usr/share/locale/*
  tar -C "$WORK/debootstrap" -cf "$ROOTFS_TAR.tmp" .
  mv "$ROOTFS_TAR.tmp" "$ROOTFS_TAR"
  rm -rf "$WORK/debootstrap"
fi

JDK_RELEASE="$(cat "$JAVA_HOME/release")"

# ---- a base image: the root filesystem plus Java under /opt/java/openjdk -------------------------
# Same layout as the eclipse-temurin images, so the Dockerfile treats both alike.
BASE_PATH=/opt/java/openjdk/bin:/opt/maven/bin:/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin
make_base() { # name key filler: prints the tag; filler ROOTFS adds Java (and more) to the tree
  local name="$1" key="$2" filler="$3"
  local tag="localhost/$name:$key"
  if "${PODMAN[@]}" image exists "$tag"; then
    log "base image $tag (cached)"
  else
    log "making base image $tag"
    rm -rf "$WORK/rootfs" && mkdir "$WORK/rootfs"
    tar -C "$WORK/rootfs" -xf "$ROOTFS_TAR"
    mkdir -p "$WORK/rootfs/opt/java"
    "$filler" "$WORK/rootfs"
    tar -C "$WORK/rootfs" -c . | "${PODMAN[@]}" import --quiet \
      --change "ENV PATH=$BASE_PATH" --change 'ENV JAVA_HOME=/opt/java/openjdk' \
      --change 'CMD ["/bin/bash"]' - "$tag" >/dev/null
    rm -rf "$WORK/rootfs"
    # Older keys of the same base are no longer needed (kept while an image still uses them).
    "${PODMAN[@]}" images --format '{{.Repository}}:{{.Tag}}' "localhost/$name" \
      | grep -vxF "$tag" | xargs -r "${PODMAN[@]}" rmi >/dev/null 2>&1 || true
  fi
  echo "$tag"
}

jre_modules() {
  local listing_hash modules_file release
  listing_hash="$("$JAVA_HOME/bin/jar" tf "$JAR" | LC_ALL=C sort | sha)"
  modules_file="$CACHE_DIR/jre-modules-$listing_hash.txt"
  if [ ! -s "$modules_file" ]; then
    log "jdeps over $JAR (again only when its list of classes changes)"
    release="$(sed -n 's/^JAVA_VERSION="\([0-9]*\).*/\1/p' "$JAVA_HOME/release")"
    "$JAVA_HOME/bin/jdeps" --multi-release "$release" --ignore-missing-deps \
      --print-module-deps -q "$JAR" >"$modules_file.tmp"
    mv "$modules_file.tmp" "$modules_file"
  fi
  echo "$(tr -d '\n' <"$modules_file"),$EXTRA_MODULES"
}

add_jre() { # rootfs: a runtime cut to $MODULES
  "$JAVA_HOME/bin/jlink" --add-modules "$MODULES" --output "$1/opt/java/openjdk" \
    --strip-debug --no-man-pages --no-header-files >"$WORK/jlink.log" 2>&1 \
    || { cat "$WORK/jlink.log" >&2; exit 1; }
  test -x "$1/opt/java/openjdk/bin/java"
}

add_jdk_and_maven() { # rootfs: the whole JDK and the wrapper's Maven, offline by default
  cp -a "$JAVA_HOME/." "$1/opt/java/openjdk"
  cp -a "$MAVEN_DIST/." "$1/opt/maven"
  mkdir -p "$1/root/.m2"
  printf '<settings><offline>true</offline></settings>\n' >"$1/root/.m2/settings.xml"
}

if [ "$FROM_SOURCE" = true ]; then
  # The multi-stage path has no jar beforehand for jdeps: the runtime gets every module.
  # (jdk.jlink, and jdk.jpackage which needs it, cannot be linked from a JDK without packaged
  # modules.)
  MODULES="$("$JAVA_HOME/bin/java" --list-modules | sed 's/@.*//' | grep -vx -e jdk.jlink -e jdk.jpackage | paste -sd, -)"
else
  MODULES="$(jre_modules)"
fi
# Named apart, so that the two kinds of build do not evict each other's cached base.
RUNTIME_BASE_NAME=s3eg-runtime-base
[ "$FROM_SOURCE" = true ] && RUNTIME_BASE_NAME=s3eg-runtime-base-full
RUNTIME_BASE="$(make_base "$RUNTIME_BASE_NAME" \
  "$(printf '%s\n%s\n%s\n%s\n' "$DEBIAN_SUITE" "$JDK_RELEASE" "$MODULES" "$(declare -f add_jre)" | sha)" add_jre)"

BUILD_ARGS=(--build-arg "RUNTIME_IMAGE=$RUNTIME_BASE")
if [ "$FROM_SOURCE" = true ]; then
  # No registry and no network inside the build: Maven (the wrapper's copy on this machine) runs
  # offline against this machine's local repository, mounted as an overlay so nothing is written
  # back to it.
  JAVA_HOME="$JAVA_HOME" ./mvnw -B -q --version >/dev/null
  MAVEN_DIST="$(dirname "$(dirname "$(ls -d "$HOME"/.m2/wrapper/dists/apache-maven-*/*/bin/mvn | head -n1)")")"
  BUILD_BASE="$(make_base s3eg-build-base \
    "$(printf '%s\n%s\n%s\n%s\n' "$DEBIAN_SUITE" "$JDK_RELEASE" "$MAVEN_DIST" "$(declare -f add_jdk_and_maven)" | sha)" \
    add_jdk_and_maven)"
  BUILD_ARGS+=(--build-arg "BUILD_IMAGE=$BUILD_BASE" --build-arg JAR_SOURCE=build
    --volume "$HOME/.m2/repository:/root/.m2/repository:O")
else
  BUILD_ARGS+=(--build-arg JAR_SOURCE=prebuilt)
fi

OLD_ID="$("${PODMAN[@]}" image inspect --format '{{.Id}}' "$IMAGE" 2>/dev/null || true)"
DANGLING_BEFORE="$("${PODMAN[@]}" images --quiet --no-trunc --filter dangling=true | sort)"
log "podman build $IMAGE"
# --format docker keeps the HEALTHCHECK (the OCI image format has no field for it).
# --network none: nothing in the build may reach a network (Maven runs offline, bases are local).
"${PODMAN[@]}" build --format docker --pull=never --network none "${ULIMITS[@]}" "${BUILD_ARGS[@]}" \
  --tag "$IMAGE" --file Dockerfile . >"$WORK/build.log" 2>&1 \
  || { tail -n 40 "$WORK/build.log" >&2; exit 1; }
# What this build left behind: the previous image under this tag and the jar stage's image.
NEW_ID="$("${PODMAN[@]}" image inspect --format '{{.Id}}' "$IMAGE")"
if [ -n "$OLD_ID" ] && [ "$OLD_ID" != "$NEW_ID" ]; then
  "${PODMAN[@]}" rmi "$OLD_ID" >/dev/null 2>&1 || true
fi
"${PODMAN[@]}" images --quiet --no-trunc --filter dangling=true | sort \
  | comm -13 <(echo "$DANGLING_BEFORE") - | xargs -r "${PODMAN[@]}" rmi >/dev/null 2>&1 || true
log "built $IMAGE ($("${PODMAN[@]}" image inspect --format '{{.Size}}' "$IMAGE" | awk '{printf "%.0f MB", $1/1e6}'))"
