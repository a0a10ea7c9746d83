#!/usr/bin/env bash
# Regenerates this folder's example: two sweeps of simulated models (no network, no real model)
# into a temporary folder, then `leadline evolution` in md, json and html. Run from anywhere after
# `mvn -o -q -DskipTests package`; the sweeps' run folders are named relatively, so the outputs
# hold no machine paths. Same inputs, same bytes, except each run's run_id and created time.
set -euo pipefail
here="$(cd -P "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
leadline="$here/../../bin/leadline"
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
cd "$work"
export LEADLINE_HOME="$work/home"

"$leadline" sweep --models-file "$here/lineage.yaml" --benchmarks gsm8k,arc-e,arc-c,hellaswag,triviaqa \
  --limit 100 --out runs/lineage >/dev/null
"$leadline" sweep --models-file "$here/family.yaml" --benchmarks gsm8k,bbh \
  --settings gpt-fathom,cot-off --out runs/family >/dev/null

for format in md json html; do
  "$leadline" evolution runs/lineage --format "$format" --out "$here/lineage.$format"
  "$leadline" evolution runs/family --by params --contrast cot-off --format "$format" \
    --out "$here/emergence.$format"
done
echo "wrote $here/{lineage,emergence}.{md,json,html}"
