#!/bin/bash
# UNTESTED EXAMPLE — written from the Slurm sbatch documentation, never run by the project's tests.
#
#   deploy/slurm/submit.sh PIPELINE SHARDS PARTIALS OUT [AT_ONCE]
#   deploy/slurm/submit.sh /shared/pipelines/nation-2022.yaml 64 /shared/partials/nation-2022-run1 /shared/out/nation-2022 32
#
# Queues SHARDS array tasks (at most AT_ONCE running, default all) and the merge after them.
# PARTIALS must be a new, empty folder: one run's partials only. A failed shard I can be run again
# alone with `sbatch --array=I --export=ALL,... shard.sbatch` before merging by hand.
set -euo pipefail
[ $# -ge 4 ] || { sed -n '3,9p' "$0"; exit 64; }
PIPELINE=$1 SHARDS=$2 PARTIALS=$3 OUT=$4 AT_ONCE=${5:-$2}
HERE=$(cd "$(dirname "$0")" && pwd)

mkdir -p "$PARTIALS"
if compgen -G "$PARTIALS/*.partial" >/dev/null; then
    echo "$PARTIALS already holds partials: give a new folder for this run" >&2
    exit 64
fi
export PIPELINE SHARDS PARTIALS OUT
shards=$(sbatch --parsable --export=ALL --array="1-${SHARDS}%${AT_ONCE}" "$HERE/shard.sbatch")
merge=$(sbatch --parsable --export=ALL --dependency="afterok:${shards}" "$HERE/merge.sbatch")
echo "shards: job ${shards} (${SHARDS} tasks); merge: job ${merge}, after every shard succeeded"
