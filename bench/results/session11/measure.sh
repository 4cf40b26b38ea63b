#!/usr/bin/env bash
# Final idle measurements (lead, session 11).
set -u
new=${NEW:-/work/wt-trial/build}
cd /work/main
out=bench/results/session11
mkdir -p $out
echo "== machine: $(uptime); new=$new ($(sha256sum $new/storysift | cut -c1-12)), base=/tmp/base13 (e5d61b1)" | tee $out/idle_check.txt
echo "== 20k: e5d61b1 (session start) vs now"
bench/compare_builds.sh /tmp/base13/storysift $new/storysift /tmp/sspeed/c20k.jsonl 5 2>&1 | tee $out/c20k_vs_e5d61b1.txt
echo "== 250k cluster: e5d61b1 vs now"
bench/compare_builds.sh /tmp/base13/storysift $new/storysift /tmp/sscorp/c250k.jsonl 2 cluster 2>&1 | tee $out/c250k_cluster_vs_e5d61b1.txt
echo "== peers at 20k"
REPEAT=3 bench/peers/run_peers.sh /tmp/sspeed/c20k.jsonl $new 2>&1 | tee $out/c20k_peers.txt
echo "== scale: 250k, 1M, 250k (new build only), 2 threads" | tee $out/c1m_scale.txt
for size in 250k 1000k 250k; do
  for cmd in dedup cluster; do
    /usr/bin/time -f "$cmd $size: %e s wall, %U user, %S sys, %M KB peak" $new/storysift $cmd --quiet --threads 2 /tmp/sscorp/c$size.jsonl -o /tmp/m_${size}_$cmd.jsonl 2>&1 | tee -a $out/c1m_scale.txt
  done
done
