#!/usr/bin/env bash
# A single-node Slurm on this Debian machine, for the sweep tests and for trying the Slurm backend.
#
#   scripts/slurm-local.sh          install (if missing), configure and start munged, slurmctld, slurmd;
#                                   waits until the node is idle. Idempotent: with everything up it returns at once.
#   scripts/slurm-local.sh stop     stops slurmd, slurmctld and munged (configuration and packages stay).
#   scripts/slurm-local.sh status   prints whether each daemon runs and what sinfo says.
#
# Runs as root and needs no systemd: the daemons are started directly (Debian 12's slurm-wlm 22.05).
# The node gets this host's short name, its CPU count (nproc) and its memory less a margin; one partition,
# `debug`, is the default. Logs: /var/log/slurm/. State: /var/lib/slurm/ and /var/spool/slurmd/.
set -euo pipefail

ACTION="${1:-start}"
CONF_DIR=/etc/slurm
CONF="$CONF_DIR/slurm.conf"
LOG_DIR=/var/log/slurm
STATE_DIR=/var/lib/slurm/slurmctld
SPOOL_DIR=/var/spool/slurmd
RUN_DIR=/run/slurm
WAIT_SECONDS="${SLURM_LOCAL_WAIT_SECONDS:-60}"

log() { echo "slurm-local: $*" >&2; }
die() { log "$*"; exit 1; }

[ "$(id -u)" -eq 0 ] || die "run as root (it installs packages and starts daemons)"

# True when a live (not zombie) process has exactly this name.
running() {
    local pid
    for pid in $(pgrep -x "$1" 2>/dev/null); do
        [ "$(awk '{print $3}' "/proc/$pid/stat" 2>/dev/null)" != "Z" ] && return 0
    done
    return 1
}

# Stops a daemon by the pid its pid file names, falling back to its exact process name.
stop_daemon() {
    local name="$1" pidfile="$2" i
    if [ -f "$pidfile" ] && kill -0 "$(cat "$pidfile")" 2>/dev/null; then
        kill -TERM "$(cat "$pidfile")" 2>/dev/null || true
    elif running "$name"; then
        pkill -TERM -x "$name" || true
    fi
    for i in $(seq 1 50); do running "$name" || return 0; sleep 0.2; done
    log "$name did not stop on TERM; killing it"
    pkill -KILL -x "$name" || true
}

node_state() { sinfo -h -N -o %t 2>/dev/null | head -n1 | tr -d '*~#!%$@^-' || true; }

if [ "$ACTION" = "stop" ]; then
    stop_daemon slurmd "$RUN_DIR/slurmd.pid"
    stop_daemon slurmctld "$RUN_DIR/slurmctld.pid"
    stop_daemon munged /run/munge/munged.pid
    log "stopped"
    exit 0
fi

if [ "$ACTION" = "status" ]; then
    for d in munged slurmctld slurmd; do
        if running "$d"; then echo "$d: running"; else echo "$d: stopped"; fi
    done
    sinfo 2>&1 || true
    exit 0
fi

[ "$ACTION" = "start" ] || die "unknown action '$ACTION' (start, stop or status)"

# Fast path: everything up and the node idle or busy with jobs.
if running munged && running slurmctld && running slurmd; then
    state="$(node_state)"
    case "$state" in
        idle|mix|alloc|comp) log "already up ($state)"; exit 0 ;;
    esac
fi

# 1. Packages.
if ! command -v slurmctld >/dev/null || ! command -v slurmd >/dev/null || ! command -v munged >/dev/null || ! command -v sbatch >/dev/null; then
    log "installing slurm-wlm and munge"
    export DEBIAN_FRONTEND=noninteractive
    apt-get update -qq
    # policy-rc.d keeps the packages' init scripts from starting daemons while installing.
    printf '#!/bin/sh\nexit 101\n' > /usr/sbin/policy-rc.d; chmod +x /usr/sbin/policy-rc.d
    trap 'rm -f /usr/sbin/policy-rc.d' EXIT
    apt-get install -y -qq slurm-wlm munge >/dev/null
    rm -f /usr/sbin/policy-rc.d; trap - EXIT
fi

# 2. Munge: a key readable only by the munge user, and the daemon running as that user.
if [ ! -s /etc/munge/munge.key ]; then
    log "creating /etc/munge/munge.key"
    mkdir -p /etc/munge
    if command -v mungekey >/dev/null; then
        mungekey --create --keyfile=/etc/munge/munge.key --force >/dev/null
    else
        dd if=/dev/urandom of=/etc/munge/munge.key bs=1 count=1024 status=none
    fi
fi
mkdir -p /run/munge /var/log/munge /var/lib/munge
chown munge:munge /etc/munge /etc/munge/munge.key /run/munge /var/log/munge /var/lib/munge
chmod 0700 /etc/munge /var/log/munge /var/lib/munge
chmod 0400 /etc/munge/munge.key
chmod 0755 /run/munge
if ! running munged; then
    log "starting munged"
    rm -f /run/munge/munged.pid
    runuser -u munge -- /usr/sbin/munged
fi
for i in $(seq 1 50); do munge -n >/dev/null 2>&1 && break; sleep 0.2; done
munge -n | unmunge >/dev/null 2>&1 || die "munge does not answer (see /var/log/munge/munged.log)"

# 3. slurm.conf for this host.
HOST="$(hostname -s)"
CPUS="$(nproc)"
MEM_MB=$(( $(awk '/^MemTotal:/ {print $2}' /proc/meminfo) / 1024 ))
# Leave the system some memory: 10% and at least 512 MB.
MARGIN_MB=$(( MEM_MB / 10 > 512 ? MEM_MB / 10 : 512 ))
REAL_MEM_MB=$(( MEM_MB - MARGIN_MB ))
[ "$REAL_MEM_MB" -gt 256 ] || REAL_MEM_MB=256

mkdir -p "$CONF_DIR" "$LOG_DIR" "$STATE_DIR" "$SPOOL_DIR" "$RUN_DIR"
NEW_CONF="$(mktemp)"
cat > "$NEW_CONF" <<EOF
# Written by scripts/slurm-local.sh: a single-node Slurm for this host.
ClusterName=hertools-local
SlurmctldHost=$HOST
SlurmUser=root
SlurmdUser=root
AuthType=auth/munge
CryptoType=crypto/munge
MpiDefault=none
ProctrackType=proctrack/linuxproc
TaskPlugin=task/none
SelectType=select/cons_tres
SelectTypeParameters=CR_Core
SchedulerType=sched/backfill
ReturnToService=2
JobRequeue=1
# Time between the TERM a cancelled or requeued job gets and the KILL that follows.
KillWait=30
MaxArraySize=10001
StateSaveLocation=$STATE_DIR
SlurmdSpoolDir=$SPOOL_DIR
SlurmctldPidFile=$RUN_DIR/slurmctld.pid
SlurmdPidFile=$RUN_DIR/slurmd.pid
SlurmctldLogFile=$LOG_DIR/slurmctld.log
SlurmdLogFile=$LOG_DIR/slurmd.log
SlurmctldPort=6817
SlurmdPort=6818
JobCompType=jobcomp/none
JobAcctGatherType=jobacct_gather/none
AccountingStorageType=accounting_storage/none
NodeName=$HOST CPUs=$CPUS RealMemory=$REAL_MEM_MB State=UNKNOWN
PartitionName=debug Nodes=$HOST Default=YES MaxTime=INFINITE State=UP
EOF
CHANGED=0
if ! cmp -s "$NEW_CONF" "$CONF"; then
    log "writing $CONF ($HOST: $CPUS CPUs, ${REAL_MEM_MB} MB)"
    mv "$NEW_CONF" "$CONF"
    chmod 0644 "$CONF"
    CHANGED=1
else
    rm -f "$NEW_CONF"
fi

# 4. The daemons (restarted when the configuration changed).
if [ "$CHANGED" = 1 ]; then
    stop_daemon slurmd "$RUN_DIR/slurmd.pid"          # returns at once when it is not running
    stop_daemon slurmctld "$RUN_DIR/slurmctld.pid"
fi
if ! running slurmctld; then
    log "starting slurmctld"
    /usr/sbin/slurmctld || die "slurmctld did not start (see $LOG_DIR/slurmctld.log)"
fi
if ! running slurmd; then
    log "starting slurmd"
    /usr/sbin/slurmd || die "slurmd did not start (see $LOG_DIR/slurmd.log)"
fi

# 5. Wait for the node to be idle; a node left down or drained by an earlier run is resumed.
for i in $(seq 1 $(( WAIT_SECONDS * 2 ))); do
    state="$(node_state)"
    case "$state" in
        idle|mix|alloc|comp) log "up: node $HOST is $state"; exit 0 ;;
        down|drain|drng|fail|failg) scontrol update NodeName="$HOST" State=RESUME >/dev/null 2>&1 || true ;;
    esac
    sleep 0.5
done
sinfo >&2 || true
die "the node did not become idle within ${WAIT_SECONDS}s (see $LOG_DIR/slurmctld.log and $LOG_DIR/slurmd.log)"
