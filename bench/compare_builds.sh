#!/usr/bin/env bash
# Usage: bench/compare_builds.sh OLD_BIN NEW_BIN CORPUS [ROUNDS] [COMMAND...]
# Alternates two storysift binaries on one corpus, ROUNDS times (default 3),
# for each command (default: "dedup" and "cluster"), and prints wall, CPU
# (user + sys) and peak RSS of every run, then the medians and NEW/OLD ratios.
# Alternating keeps a VM's speed drift out of the comparison (docs/performance.md).
# Example (#16's limit, the 250k corpus):
#   bench/compare_builds.sh ../wt-base/build/storysift build/storysift /tmp/sscorp/c250k.jsonl 3 dedup
set -euo pipefail
old=${1:?usage: compare_builds.sh OLD_BIN NEW_BIN CORPUS [ROUNDS] [COMMAND...]}
new=${2:?}
corpus=${3:?}
rounds=${4:-3}
shift $(( $# < 4 ? $# : 4 ))
commands=("$@")
[ ${#commands[@]} -gt 0 ] || commands=(dedup cluster)
log=$(mktemp)
trap 'rm -f "$log"' EXIT
for cmd in "${commands[@]}"; do
  for round in $(seq "$rounds"); do
    for which in old new; do
      bin=${!which}
      /usr/bin/time -o "$log.t" -f "%e %U %S %M" "$bin" $cmd --quiet "$corpus" > /dev/null
      read -r wall user sys rss < "$log.t"
      echo "$cmd $which $wall $user $sys $rss" | tee -a "$log"
    done
  done
done
rm -f "$log.t"
python3 - "$log" <<'PY'
import statistics, sys
rows = [l.split() for l in open(sys.argv[1])]
print(f"\n{'command':<10}{'build':<5}{'wall_s':>9}{'cpu_s':>9}{'rss_MiB':>9}  (medians)")
med = {}
for cmd in dict.fromkeys(r[0] for r in rows):
    for which in ("old", "new"):
        rs = [r for r in rows if r[0] == cmd and r[1] == which]
        wall = statistics.median(float(r[2]) for r in rs)
        cpu = statistics.median(float(r[3]) + float(r[4]) for r in rs)
        rss = statistics.median(int(r[5]) / 1024 for r in rs)
        med[cmd, which] = (wall, cpu, rss)
        print(f"{cmd:<10}{which:<5}{wall:9.3f}{cpu:9.3f}{rss:9.0f}")
    o, n = med[cmd, "old"], med[cmd, "new"]
    print(f"{cmd:<10}new/old: wall x{n[0] / o[0]:.2f}, cpu x{n[1] / o[1]:.2f}, rss x{n[2] / o[2]:.2f}")
PY
