#!/usr/bin/env bash
# A throwaway one-node Ceph cluster with the RADOS Gateway (a real S3 server with versioning,
# Object Lock, tagging and atomic conditional writes) on loopback, for tests:
#
#   scripts/ceph-test-backend.sh [DIR]
#
# Starts, as the current user and all inside DIR (default: a new temporary directory): one monitor,
# one OSD on memstore (objects live in the OSD's memory; nothing is written to a disk but logs and
# the monitor's small database), and radosgw with its beast HTTP frontend; then creates one S3 user.
# When RGW answers it prints one line on standard output:
#
#   READY endpoint=http://127.0.0.1:PORT access_key=AK secret_key=SK region=us-east-1 dir=DIR
#
# and runs until its standard input closes (so a test JVM that dies takes the cluster with it) or it
# gets SIGTERM/SIGINT; then it stops the daemons and removes DIR. A start that fails prints
# "FAILED <why>" and the logs' last lines on standard error and exits 1.
#
# Needs Debian's radosgw, ceph-mon and ceph-osd (16.2 is what was tested); no Docker, no root.
# Settings (environment): CEPH_MON_PORT, CEPH_RGW_PORT (default: free ports picked here),
# CEPH_ACCESS_KEY, CEPH_SECRET_KEY, CEPH_START_TIMEOUT (seconds, default 90).
# Like Ceph's own vstart.sh: cephx is off ("auth ... = none", so connections use "crc" mode) and
# every pool has one replica; the monitor's Paxos proposal interval is shortened from 1 s to 10 ms,
# which takes RGW's start (it creates its pools one after the other) from ~12 s to ~3 s.
set -euo pipefail

for tool in ceph-mon ceph-osd radosgw radosgw-admin ceph monmaptool curl; do
  if ! command -v "$tool" >/dev/null 2>&1; then
    echo "FAILED $tool not found: apt-get install radosgw ceph-mon ceph-osd curl" >&2
    exit 1
  fi
done

dir="${1:-$(mktemp -d /tmp/s3eg-ceph.XXXXXX)}"
mkdir -p "$dir"
dir="$(cd "$dir" && pwd)"
access_key="${CEPH_ACCESS_KEY:-ceph-access}"
secret_key="${CEPH_SECRET_KEY:-ceph-secret-0123456789}"
timeout="${CEPH_START_TIMEOUT:-90}"

free_port() {
  /usr/bin/python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'
}
mon_port="${CEPH_MON_PORT:-$(free_port)}"
rgw_port="${CEPH_RGW_PORT:-$(free_port)}"
while [ "$rgw_port" = "$mon_port" ]; do rgw_port="$(free_port)"; done

pids=()
stop() {
  local status=$?
  trap - EXIT INT TERM
  # SIGKILL at once: the cluster's state is thrown away anyway, and radosgw takes seconds to stop.
  for pid in "${pids[@]}"; do kill -KILL "$pid" 2>/dev/null || true; done
  for pid in "${pids[@]}"; do wait "$pid" 2>/dev/null || true; done
  rm -rf "$dir"
  exit "$status"
}
trap stop EXIT
trap 'exit 0' INT TERM

fail() {
  echo "FAILED $*" >&2
  for log in "$dir"/log/*.log "$dir"/log/*.out; do
    [ -s "$log" ] || continue
    echo "--- last lines of $log" >&2
    tail -n 15 "$log" >&2
  done
  exit 1
}

mkdir -p "$dir"/{run,log,mon.a,osd.0}
fsid="$(cat /proc/sys/kernel/random/uuid)"
conf="$dir/ceph.conf"
cat >"$conf" <<EOF
[global]
fsid = $fsid
mon host = v2:127.0.0.1:$mon_port
public addr = 127.0.0.1
ms bind ipv6 = false
auth cluster required = none
auth service required = none
auth client required = none
ms mon client mode = crc
ms mon service mode = crc
ms mon cluster mode = crc
ms client mode = crc
ms service mode = crc
ms cluster mode = crc
run dir = $dir/run
admin socket = $dir/run/\$name.asok
log file = $dir/log/\$name.log
pid file = $dir/run/\$name.pid
keyring = $dir/keyring
osd pool default size = 1
osd pool default min size = 1
osd pool default pg num = 8
osd pool default pgp num = 8
osd pool default pg autoscale mode = off
osd crush chooseleaf type = 0
mon allow pool size one = true
mon warn on pool no redundancy = false
mon data avail warn = 1
mon data avail crit = 0
paxos propose interval = 0.01
paxos min wait = 0.001
[mon]
mon data = $dir/mon.\$id
[osd]
osd data = $dir/osd.\$id
osd objectstore = memstore
memstore device bytes = 4294967296
osd class dir = /usr/lib/x86_64-linux-gnu/rados-classes
[client.rgw]
rgw frontends = beast endpoint=127.0.0.1:$rgw_port
rgw data = $dir/rgw
EOF
mkdir -p "$dir/rgw"
started=$(date +%s)
deadline=$((started + timeout))

monmaptool --create --fsid "$fsid" --addv a "[v2:127.0.0.1:$mon_port]" "$dir/monmap" >/dev/null ||
  fail "monmaptool"
ceph-mon -c "$conf" -i a --mkfs --monmap "$dir/monmap" >"$dir/log/mkfs-mon.out" 2>&1 ||
  fail "ceph-mon --mkfs"
ceph-mon -c "$conf" -i a -f >"$dir/log/mon.a.out" 2>&1 &
pids+=($!)

osd_uuid="$(cat /proc/sys/kernel/random/uuid)"
osd_id="$(timeout 30 ceph -c "$conf" --connect-timeout 25 osd new "$osd_uuid" 2>"$dir/log/osd-new.out")" ||
  fail "ceph osd new (is the monitor up on port $mon_port?)"
ceph-osd -c "$conf" -i "$osd_id" --mkfs --osd-uuid "$osd_uuid" >"$dir/log/mkfs-osd.out" 2>&1 ||
  fail "ceph-osd --mkfs"
ceph-osd -c "$conf" -i "$osd_id" -f >"$dir/log/osd.out" 2>&1 &
pids+=($!)
radosgw -c "$conf" -n client.rgw -f >"$dir/log/rgw.out" 2>&1 &
pids+=($!)

until curl -s --max-time 2 -o /dev/null "http://127.0.0.1:$rgw_port/"; do
  for pid in "${pids[@]}"; do kill -0 "$pid" 2>/dev/null || fail "a daemon exited (pid $pid)"; done
  [ "$(date +%s)" -lt "$deadline" ] || fail "RGW did not answer on port $rgw_port within ${timeout}s"
  sleep 0.1
done
# The suite makes many buckets in one JVM (the conformance suite alone over 1,000: RGW's default
# limit per user, beyond which CreateBucket answers 400 TooManyBuckets).
radosgw-admin -c "$conf" user create --uid tester --display-name tester --max-buckets 100000 \
  --access-key "$access_key" --secret "$secret_key" >"$dir/log/user.out" 2>&1 ||
  fail "radosgw-admin user create"

echo "READY endpoint=http://127.0.0.1:$rgw_port access_key=$access_key secret_key=$secret_key region=us-east-1 dir=$dir"
# Until standard input closes (or a signal): a pipe from a test JVM closes when that JVM exits.
# In the background (with stdin passed explicitly: bash gives background jobs /dev/null) so that
# "wait" returns at once on SIGTERM.
exec 3<&0
cat <&3 >/dev/null &
pids+=($!)
wait $! || true
