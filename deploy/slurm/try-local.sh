#!/usr/bin/env bash
# Proves the Slurm path on this machine (not part of CI): installs Slurm and munge from Debian's
# packages, starts a one-node cluster, submits deploy/slurm/arwatch-batch.sbatch as a 4-task
# array over a 12-creditor sample, merges the shards' summaries, and checks that the merged
# summary equals a plain `arwatch batch` of the same manifest (statuses and figures).
# Run as root from the repository: deploy/slurm/try-local.sh
set -euo pipefail
repo="$(cd "$(dirname "$0")/../.." && pwd)"
work="${WORK:-/tmp/arwatch-slurm}"
cargo build --release --manifest-path "$repo/Cargo.toml"
arwatch="$repo/target/release/arwatch"

apt-get update -qq
DEBIAN_FRONTEND=noninteractive apt-get install -y -qq slurm-wlm munge >/dev/null

# munge: a key, then the daemon.
mkdir -p /etc/munge /var/run/munge /var/log/munge
[ -s /etc/munge/munge.key ] || dd if=/dev/urandom bs=1 count=1024 of=/etc/munge/munge.key 2>/dev/null
chown -R munge:munge /etc/munge /var/run/munge /var/log/munge
chmod 400 /etc/munge/munge.key
pgrep -x munged >/dev/null || su -s /bin/sh munge -c /usr/sbin/munged

# One node: this machine, its cores and memory.
host="$(hostname -s)"
cpus="$(nproc)"
mem_mb="$(awk '/MemTotal/ {print int($2/1024) - 1024}' /proc/meminfo)"
mkdir -p /etc/slurm /var/spool/slurmctld /var/spool/slurmd /var/log/slurm
cat > /etc/slurm/slurm.conf <<CONF
ClusterName=arwatch-trial
SlurmctldHost=$host
AuthType=auth/munge
ProctrackType=proctrack/linuxproc
TaskPlugin=task/none
ReturnToService=2
SchedulerType=sched/backfill
SelectType=select/cons_tres
SelectTypeParameters=CR_Core_Memory
SlurmctldPidFile=/var/run/slurmctld.pid
SlurmdPidFile=/var/run/slurmd.pid
SlurmdSpoolDir=/var/spool/slurmd
StateSaveLocation=/var/spool/slurmctld
SlurmUser=root
SlurmctldLogFile=/var/log/slurm/slurmctld.log
SlurmdLogFile=/var/log/slurm/slurmd.log
NodeName=$host CPUs=$cpus RealMemory=$mem_mb State=UNKNOWN
PartitionName=main Nodes=$host Default=YES MaxTime=INFINITE State=UP
CONF
pkill -x slurmctld 2>/dev/null || true
pkill -x slurmd 2>/dev/null || true
sleep 1
slurmctld -c
slurmd -c
for _ in $(seq 30); do sinfo -h -o %T 2>/dev/null | grep -qE 'idle|mix' && break; sleep 1; done
sinfo

# The sample and its plain batch, to compare with.
rm -rf "$work"
"$arwatch" sample --portfolios 12 --out "$work"
"$arwatch" batch "$work/manifest.toml" --out "$work/plain" -q || true

# The array job: 4 tasks, each its shard, into the batch root; then the merge.
cd "$work"
job="$(MANIFEST="$work/manifest.toml" ARWATCH="$arwatch" sbatch --parsable --mem=2G "$repo/deploy/slurm/arwatch-batch.sbatch")"
echo "submitted array job $job"
for _ in $(seq 600); do [ -z "$(squeue -h -j "$job" 2>/dev/null)" ] && break; sleep 1; done
sacct -j "$job" --format=JobID,State,ExitCode,Elapsed 2>/dev/null || true
ls "$work/batch"/batch-summary-shard-*.csv
"$arwatch" batch "$work/manifest.toml" --merge-summaries

# Equal to the plain batch: portfolio, status, exit code, clients, net AR, DSO, alerts.
cut -d, -f1-3,5-13 "$work/batch/batch-summary.csv" > "$work/merged.cut"
cut -d, -f1-3,5-13 "$work/plain/batch-summary.csv" > "$work/plain.cut"
if diff -u "$work/plain.cut" "$work/merged.cut"; then
  echo "OK: the Slurm array's merged summary equals the plain batch ($(($(wc -l < "$work/merged.cut") - 1)) portfolios)"
else
  echo "DIFFERENT: see the diff above" >&2
  exit 1
fi
