#!/usr/bin/env bash
# The speed-and-scale benchmark (docs/performance.md): full builds of gongshi at N records against
# Hugo on the same disclosure bodies and against the pulldown-cmark render-and-write floor,
# alternating, several runs each; then the `serve` edit-to-served latency at 10,000 records and a
# build with 20 releases of history against the same build without. Writes raw figures to
# $RESULTS/*.tsv, a summary to $RESULTS/summary.md and the plot to docs/performance-time.svg.
#
#   benches/run.sh                 # N = 1,000 10,000 100,000; 5 runs (3 at 100,000)
#   SIZES="1000 10000" RUNS=7 benches/run.sh
#
# Environment: SIZES, RUNS, RUNS_LARGE (runs at N >= 100,000), SERVE_N, SERVE_EDITS, HISTORY_N,
# HISTORY_RUNS, BENCH_DIR (corpora and outputs; default a tmpfs, see below), RESULTS (default
# benches/results), SKIP_HUGO=1.
set -euo pipefail
cd "$(dirname "$0")/.."
repo=$(pwd)

SIZES=${SIZES:-"1000 10000 100000"}
RUNS=${RUNS:-5}
RUNS_LARGE=${RUNS_LARGE:-3}
SERVE_N=${SERVE_N:-10000}
SERVE_EDITS=${SERVE_EDITS:-20}
HISTORY_N=${HISTORY_N:-1000}
HISTORY_RUNS=${HISTORY_RUNS:-5}
DATE=2026-03-31
# Outputs go to a tmpfs when there is one: on ext4, creating tens of thousands of folders right after
# deleting the previous run's makes inode allocation slower run after run (a file-system effect, the
# same for every tool), which would drown the differences being measured.
if [ -z "${BENCH_DIR:-}" ]; then
  if [ -d /dev/shm ] && [ -w /dev/shm ]; then BENCH_DIR=/dev/shm/gongshi-bench; else BENCH_DIR=$repo/target/bench; fi
fi
RESULTS=${RESULTS:-$repo/benches/results}
mkdir -p "$BENCH_DIR" "$RESULTS"

apt_install() {
  local sudo=""
  [ "$(id -u)" = 0 ] || sudo="sudo"
  $sudo apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends "$@"
}
need=()
[ -x /usr/bin/time ] || need+=(time)
[ -n "${SKIP_HUGO:-}" ] || command -v hugo >/dev/null 2>&1 || need+=(hugo)
if [ ${#need[@]} -gt 0 ]; then
  echo "installing: ${need[*]}"
  apt_install "${need[@]}" || echo "could not install ${need[*]}: continuing without"
fi
have_hugo=0
if [ -z "${SKIP_HUGO:-}" ] && command -v hugo >/dev/null 2>&1; then have_hugo=1; fi

cargo build --release --quiet --bin gongshi --example gen_corpus --example floor --example serve_latency
bin=$repo/target/release
gongshi=$bin/gongshi

# ---------------------------------------------------------------------------------------- machine
{
  echo "date: $(date -u +%Y-%m-%dT%H:%MZ)"
  echo "commit: $(git rev-parse --short HEAD 2>/dev/null || echo unknown)$(git diff --quiet 2>/dev/null || echo ' (with uncommitted changes)')"
  echo "cpu: $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | sed 's/^ //') × $(nproc)"
  echo "memory: $(free -g | awk '/Mem:/ {print $2}') GiB"
  echo "kernel: $(uname -r)"
  echo "bench dir: $BENCH_DIR ($(df -T "$BENCH_DIR" | awk 'NR==2 {print $2}'))"
  echo "rustc: $(rustc --version)"
  [ $have_hugo = 1 ] && echo "hugo: $(hugo version | cut -d' ' -f1-2)"
  echo "load average before: $(cut -d' ' -f1-3 /proc/loadavg)"
} > "$RESULTS/machine.txt"
cat "$RESULTS/machine.txt"

# ------------------------------------------------------------------------------------------- runs

# time_run TSV N TOOL RUN OUT_DIR -- COMMAND...: one timed run into a fresh OUT_DIR, appended to TSV.
time_run() {
  local tsv=$1 n=$2 tool=$3 run=$4 out=$5
  shift 6
  rm -rf "$out"
  local t
  t=$(mktemp)
  /usr/bin/time -f "%e %M %U %S" -o "$t" "$@" >/dev/null 2>"$t.err" || {
    echo "FAILED: $*" >&2
    cat "$t.err" >&2
    exit 1
  }
  local pages
  pages=$(find "$out" -name '*.html' | wc -l)
  printf '%s\t%s\t%s\t%s\t%s\t%s\n' "$n" "$tool" "$run" "$(tr ' ' '\t' <"$t")" "$pages" "$(cut -d' ' -f1-3 /proc/loadavg | tr ' ' ',')" >>"$tsv"
  printf '  N=%-7s %-8s run %s: %ss, %s KiB peak RSS, %s pages\n' "$n" "$tool" "$run" "$(cut -d' ' -f1 "$t")" "$(cut -d' ' -f2 "$t")" "$pages"
  rm -f "$t" "$t.err"
  rm -rf "$out"
}

builds=$RESULTS/builds.tsv
printf 'n\ttool\trun\twall_s\tmax_rss_kib\tuser_s\tsys_s\tpages\tload\n' >"$builds"
sources=$RESULTS/sources.tsv
printf 'n\ttool\tsource_bytes\trecords\n' >"$sources"

for n in $SIZES; do
  corpus=$BENCH_DIR/n$n
  if [ ! -d "$corpus/site/content" ]; then
    rm -rf "$corpus"
    "$bin/examples/gen_corpus" "$n" "$corpus/site" --hugo "$corpus/hugo"
  fi
  # The corpus must be a valid site: a build with errors exits non-zero.
  "$gongshi" build --quiet --root "$corpus/site" --out "$corpus/check" --date $DATE
  rm -rf "$corpus/check"
  printf '%s\tgongshi\t%s\t%s\n' "$n" "$(du -sb "$corpus/site/content" | cut -f1)" "$n" >>"$sources"
  printf '%s\thugo\t%s\t%s\n' "$n" "$(du -sb "$corpus/hugo/content" | cut -f1)" "$n" >>"$sources"
  printf '%s\tfloor\t%s\t%s\n' "$n" "$(du -sb "$corpus/site/content/disclosures" | cut -f1)" "$n" >>"$sources"
  runs=$RUNS
  [ "$n" -ge 100000 ] && runs=$RUNS_LARGE
  echo "N=$n: $runs alternating runs"
  for run in $(seq 1 "$runs"); do
    time_run "$builds" "$n" gongshi "$run" "$corpus/out-gongshi" -- \
      "$gongshi" build --quiet --root "$corpus/site" --out "$corpus/out-gongshi" --date $DATE
    if [ $have_hugo = 1 ]; then
      time_run "$builds" "$n" hugo "$run" "$corpus/out-hugo" -- \
        hugo --quiet --source "$corpus/hugo" --destination "$corpus/out-hugo"
    fi
    time_run "$builds" "$n" floor "$run" "$corpus/out-floor" -- \
      "$bin/examples/floor" "$corpus/site" "$corpus/out-floor"
  done
  # Where the time goes, once (GONGSHI_TIMINGS prints each stage's wall time).
  GONGSHI_TIMINGS=1 "$gongshi" build --quiet --root "$corpus/site" --out "$corpus/out-gongshi" --date $DATE \
    2>"$RESULTS/stages-$n.txt" || true
  rm -rf "$corpus/out-gongshi"
done

# ------------------------------------------------------------------------------------------ serve
serve_root=$BENCH_DIR/serve$SERVE_N
rm -rf "$serve_root"
mkdir -p "$serve_root"
if [ ! -d "$BENCH_DIR/n$SERVE_N/site/content" ]; then
  "$bin/examples/gen_corpus" "$SERVE_N" "$BENCH_DIR/n$SERVE_N/site"
fi
cp -r "$BENCH_DIR/n$SERVE_N/site/content" "$serve_root/content"
echo "serve: $SERVE_EDITS one-record edits at N=$SERVE_N"
"$bin/examples/serve_latency" "$serve_root" "$SERVE_EDITS" | tee "$RESULTS/serve.txt"
rm -rf "$serve_root"

# ---------------------------------------------------------------------------------------- history
hist=$BENCH_DIR/history$HISTORY_N
rm -rf "$hist"
"$bin/examples/gen_corpus" "$HISTORY_N" "$hist/with" >/dev/null
echo "history: 20 releases at N=$HISTORY_N"
for k in $(seq 1 20); do
  day=$(date -u -d "2026-02-01 + $k days" +%Y-%m-%d)
  [ "$k" -gt 1 ] && "$bin/examples/gen_corpus" correct "$hist/with" "$((k * 37))" "$day" >/dev/null
  "$gongshi" release --quiet --root "$hist/with" --out "$hist/with/public" --date "$day" --by 基准测试 -m "第${k}版（基准测试）"
done
mkdir -p "$hist/without"
cp -r "$hist/with/content" "$hist/without/content"
rm -rf "$hist/without/content/releases"
history_tsv=$RESULTS/history.tsv
printf 'n\ttool\trun\twall_s\tmax_rss_kib\tuser_s\tsys_s\tpages\tload\n' >"$history_tsv"
for run in $(seq 1 "$HISTORY_RUNS"); do
  time_run "$history_tsv" "$HISTORY_N" with-history "$run" "$hist/out" -- \
    "$gongshi" build --quiet --root "$hist/with" --out "$hist/out" --date $DATE
  time_run "$history_tsv" "$HISTORY_N" no-history "$run" "$hist/out" -- \
    "$gongshi" build --quiet --root "$hist/without" --out "$hist/out" --date $DATE
done
rm -rf "$hist"

echo "load average after: $(cut -d' ' -f1-3 /proc/loadavg)" >>"$RESULTS/machine.txt"
python3 benches/report.py "$RESULTS" "$repo/docs/performance-time.svg" | tee "$RESULTS/summary.md"
