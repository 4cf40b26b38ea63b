#!/usr/bin/env bash
# Usage: bench/state_history.sh BIN DAYS DOCS_PER_DAY [RETENTION_DAYS] [WORK_DIR]
# A nightly `cluster --state` job over DAYS days of DOCS_PER_DAY generated
# articles (each day's topics its own, so stories go idle and are archived
# RETENTION_DAYS (default 2) days later): prints, for every day, the run's wall
# and CPU seconds, peak RSS, the bytes it read (/proc/PID/io rchar: every
# read(2), page cache or not), the bytes it wrote (write_bytes: what reached
# the disk) and the state directory's size on disk (hard-linked files once).
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
echo "day docs wall_s cpu_s peak_rss_kb read_bytes written_bytes state_du_kb"
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
  # The run's /proc/PID/io, read while it is a zombie (waitid WNOWAIT), and
  # its rusage once reaped.
  read -r wall cpu rss read written < <(python3 - "$bin" cluster "$work/day.jsonl" \
    --state "$state" --retention-days "$retention" -q -o /dev/null <<'PY'
import os, sys, time
start = time.time()
pid = os.fork()
if pid == 0:
    os.execv(sys.argv[1], sys.argv[1:])
os.waitid(os.P_PID, pid, os.WEXITED | os.WNOWAIT)
with open(f"/proc/{pid}/io") as f:
    io = dict((k, int(v)) for k, v in (line.split(":") for line in f))
_, status, usage = os.wait4(pid, 0)
if os.waitstatus_to_exitcode(status) != 0:
    sys.exit(f"storysift exited {os.waitstatus_to_exitcode(status)}")
print(f"{time.time() - start:.2f} {usage.ru_utime + usage.ru_stime:.2f} {usage.ru_maxrss} "
      f"{io['rchar']} {io['write_bytes']}")
PY
  )
  du_kb=$(du -sk "$state" | cut -f1)
  echo "$day $per_day $wall $cpu $rss $read $written $du_kb"
done
