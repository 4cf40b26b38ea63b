#!/usr/bin/env bash
# Usage: bench/state_history.sh BIN DAYS DOCS_PER_DAY [RETENTION_DAYS] [WORK_DIR]
# A nightly `cluster --state` job over DAYS days of DOCS_PER_DAY generated
# articles (each day's topics its own, so stories go idle and are archived
# RETENTION_DAYS (default 2) days later): prints, for every day, the run's wall
# and CPU seconds, peak RSS, the bytes it wrote (getrusage's output blocks x 512) and the state directory's size on disk (hard-linked files once).
# What it shows: whether a run's cost follows the retained window or the
# history behind it (the archive grows by every day's stories).
# Example: bench/state_history.sh build/storysift 120 2000
set -euo pipefail
bin=$(realpath "${1:?usage: state_history.sh BIN DAYS DOCS_PER_DAY [RETENTION_DAYS] [WORK_DIR]}")
days=${2:?}
per_day=${3:?}
retention=${4:-2}
work=${5:-$(mktemp -d)}
mkdir -p "$work"
state="$work/state"
rm -rf "$state"
echo "day docs wall_s cpu_s peak_rss_kb written_bytes state_du_kb"
for day in $(seq 1 "$days"); do
  python3 - "$work/day.jsonl" "$day" "$per_day" <<'PY'
import random, sys, datetime
path, day, n = sys.argv[1], int(sys.argv[2]), int(sys.argv[3])
rng = random.Random(day)
date = (datetime.date(2020, 1, 1) + datetime.timedelta(days=day)).isoformat()
with open(path, "w") as out:
    for i in range(n):
        topic = f"t{day}x{i % (n // 8 + 1)}"
        words = " ".join(f"{topic}w{rng.randrange(60)} common{rng.randrange(3000)}"
                         for _ in range(120))
        out.write('{"id":"%d-%d","title":"%s report %d","text":"%s","date":"%sT08:00:00Z"}\n'
                  % (day, i, topic, i, words, date))
PY
  # %O: blocks written (getrusage ru_oublock, 512 bytes each: the task's write_bytes).
  /usr/bin/time -o "$work/time" -f "%e %U %S %M %O" \
    "$bin" cluster "$work/day.jsonl" --state "$state" --retention-days "$retention" -q -o /dev/null
  read -r wall user sys rss blocks < "$work/time"
  written=$((blocks * 512))
  du_kb=$(du -sk "$state" | cut -f1)
  cpu=$(python3 -c "print(round($user + $sys, 2))")
  echo "$day $per_day $wall $cpu $rss $written $du_kb"
done
