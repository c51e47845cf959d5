#!/usr/bin/env bash
# The demo's first-run load, side by side: through the AA connector (the embedded simulator) and from file bundles
# (the previous path), each on an empty data folder, back to back. Prints the wall time from process start to
# "Demo data loaded" and the loader's own figure. Usage: Msme.Benchmarks/demo-load.sh [customers]
set -euo pipefail
cd "$(dirname "$0")/.."
customers=${1:-200}
dotnet build -c Release Msme.Portal >/dev/null
for mode in connector files; do
  dir=$(mktemp -d); log="$dir.log"
  sim=true; port=5471; [ "$mode" = files ] && { sim=false; port=5472; }
  start=$(date +%s.%N)
  Msme__DataDirectory="$dir" Msme__DemoCustomers="$customers" Msme__Aa__Simulator=$sim Msme__Aa__PeriodicFetch=false \
    dotnet run -c Release --project Msme.Portal --no-build --urls "http://127.0.0.1:$port" >"$log" 2>&1 &
  pid=$!
  until grep -q "Demo data loaded" "$log"; do sleep 0.5; kill -0 $pid 2>/dev/null || { cat "$log"; exit 1; }; done
  end=$(date +%s.%N)
  printf '%s: %.1f s from process start to "Demo data loaded"; %s\n' "$mode" "$(echo "$end - $start" | bc)" \
    "$(grep -o 'Demo data fetched through the AA connector.*' "$log" || echo 'file bundles')"
  kill $pid; wait $pid 2>/dev/null || true
  rm -rf "$dir" "$log"
done
