#!/bin/sh
# Regenerate the demo fixtures and their expected outputs, then check them.
#   sh Fixtures/tools/regenerate.sh        (from the repository root)
set -eu
cd "$(dirname "$0")/../.."
python3 Fixtures/tools/make_demo.py
# Remove the generated outputs only (TRACES.md is written by hand).
for d in Fixtures/expected/demo Fixtures/expected/with-broken; do
  rm -f "$d"/progress.csv "$d"/procedures.csv "$d"/agencies.csv "$d"/monthly.csv "$d"/rejects.csv \
        "$d"/figures.json "$d"/figures.csv "$d"/dossiers.csv
done
# The demo run exits 0; with-broken exits 65 (its broken files fail, R8). --dossiers writes
# dossiers.csv, the golden file of `onestop run --dossiers` (and the place to find which dossier
# a difference comes from).
python3 Fixtures/tools/oracle.py Pipelines/demo.yaml --out Fixtures/expected/demo --dossiers
python3 Fixtures/tools/oracle.py Fixtures/pipelines/with-broken.yaml --out Fixtures/expected/with-broken --dossiers \
  || [ $? -eq 65 ]
python3 Fixtures/tools/check_planted.py Pipelines/demo.yaml
