#!/bin/bash
# bench/scaling.sh: how knetsim's engine scales with cores and members (issue 14). Prints one line
# per measurement: what, wall seconds and run seconds (from summary.json), events, events/s of the run.
#
#   J="java -cp topology/target/knetsim.jar knetsim.topology.cli.Main" bench/scaling.sh
#   # on a machine without Java, after /work/shared/bigbox/pack.sh (see its header):
#   J="/tmp/jre/bin/java -cp /tmp/kn knetsim.topology.cli.Main" bench/scaling.sh
#
# Run from the repository root (it reads configs/campus-1000.conf). Measurements:
#   1. campus-1000 (S4) for $VT of virtual time, one member, under taskset -c 0..N-1, N = 1 2 4 8 16
#      (only the N that the machine has);
#   2. campus-1000 on every core with knetsim.sync = windows and channels, adapted and fixed spans;
#   3. campus-1000 with --members 1 2 4 8 on every core (forked member JVMs on loopback);
#   4. selftest --events $SELFTEST_EVENTS with --partitions 1 2 4 8.
# Sized to finish in under 9 minutes on a 16-core machine: S4 runs about 7.3 million events per
# virtual second, so VT=500ms is 3.65 million events (under 20 s of run on one core), plus 10-25 s
# of set-up and results per run; every run is cut at $LIMIT seconds (printed as TIMEOUT).
# Environment: J (required), VT (500ms), SELFTEST_EVENTS (4000000), LIMIT (100), OUT (a temp dir).
set -u
: "${J:?set J to a java command line for knetsim.topology.cli.Main}"
VT=${VT:-500ms}
SELFTEST_EVENTS=${SELFTEST_EVENTS:-4000000}
LIMIT=${LIMIT:-100}
OUT=${OUT:-$(mktemp -d)}
CORES=$(nproc)
mkdir -p "$OUT"

# one line from a summary.json: wall s, run s, events, events/s of the run
line() { # name summary.json rc
    if [ "$3" = 124 ] || [ "$3" = 137 ]; then printf '%-28s TIMEOUT after %s s\n' "$1" "$LIMIT"; return; fi
    python3 - "$1" "$2" "$3" <<'PY'
import json, sys
name, path, rc = sys.argv[1], sys.argv[2], sys.argv[3]
try:
    s = json.load(open(path))
except Exception as e:
    print(f"{name:<28} FAILED (exit {rc}, no summary: {e})"); sys.exit()
run = s.get("runSeconds") or 0
ev = s.get("events") or 0
ok = "" if s.get("complete", True) else "  INCOMPLETE: " + str(s.get("reason"))
print(f"{name:<28} wall {s.get('wallSeconds', 0):7.1f} s  run {run:7.2f} s  events {ev:>10}  "
      f"{(ev / run if run else 0):>10.0f} events/s{ok}")
PY
}

echo "# $(date -u +%FT%TZ) $(uname -n), $CORES cores, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | xargs)"
echo "# campus-1000 for $VT; selftest $SELFTEST_EVENTS events; J=$J"
for n in 1 2 4 8 16; do
    [ "$n" -le "$CORES" ] || continue
    d="$OUT/cores-$n"
    timeout -k 5 "$LIMIT" taskset -c "0-$((n - 1))" $J run configs/campus-1000.conf --duration "$VT" \
        --out "$d" --no-progress > "$d.log" 2>&1
    line "s4 taskset $n cores" "$d/summary.json" $?
done
# how groups wait for each other, on every core (docs/architecture.md, "Measured before choosing"):
# one window for all, channel clocks with spans adapted to 256 events per Advance (the default), with
# fixed 1 ms spans, and with fixed 100 us spans
for opt in "-Dknetsim.sync=windows" "-Dknetsim.sync=channels" "-Dknetsim.advance-events=0" \
        "-Dknetsim.advance-events=0 -Dknetsim.advance-span=100us"; do
    d="$OUT/sync$(echo "$opt" | tr -c 'a-z0-9' '_')"
    timeout -k 5 "$LIMIT" ${J%% *} $opt ${J#* } run configs/campus-1000.conf --duration "$VT" \
        --out "$d" --no-progress > "$d.log" 2>&1
    line "s4 $opt" "$d/summary.json" $?
done
for m in 1 2 4 8; do
    d="$OUT/members-$m"
    timeout -k 5 "$LIMIT" $J run configs/campus-1000.conf --duration "$VT" --members "$m" \
        --out "$d" --no-progress > "$d.log" 2>&1
    line "s4 --members $m" "$d/summary.json" $?
done
for p in 1 2 4 8; do
    d="$OUT/selftest-$p"
    timeout -k 5 "$LIMIT" $J selftest --events "$SELFTEST_EVENTS" --partitions "$p" --out "$d" > "$d.log" 2>&1
    line "selftest --partitions $p" "$d/summary.json" $?
done
echo "# logs and results in $OUT"
