#!/usr/bin/env bash
# Bounded fuzzing of the engine with cargo-fuzz (libFuzzer): every target of fuzz/ for
# SECONDS each (default 60), seeded from the committed corpus fuzz/corpus/<target>/.
#
#   bash scripts/fuzz.sh [SECONDS] [TARGET...]
#
# New inputs found go to a temporary directory and are dropped, so a run leaves the tree clean;
# FUZZ_KEEP=1 merges them into fuzz/corpus/<target>/ with libFuzzer's -merge=1, which keeps only
# inputs that add coverage (the corpus stays small and minimized). A crash, a timeout (10 s per
# input) or an allocation beyond 2 GiB fails the run and leaves the input in
# fuzz/artifacts/<target>/. Prints executions per target and exits non-zero if any target failed.
#
# Needs cargo-fuzz (`cargo install cargo-fuzz`, about 2.5 minutes on 2 cores). libFuzzer needs
# nightly rustc flags (-Zsanitizer); RUSTC_BOOTSTRAP=1 lets the stable toolchain accept them.
set -uo pipefail
cd "$(dirname "$0")/.."

SECONDS_PER_TARGET="${1:-60}"
shift || true
export RUSTC_BOOTSTRAP=1
export CARGO_TERM_PROGRESS_WHEN=never

if ! command -v cargo-fuzz >/dev/null 2>&1; then
  echo "cargo-fuzz is not installed: cargo install cargo-fuzz" >&2
  exit 2
fi

cd fuzz
if [ "$#" -gt 0 ]; then
  targets=("$@")
else
  mapfile -t targets < <(cargo fuzz list)
fi

echo "building ${#targets[@]} fuzz targets (release, debug assertions, address sanitizer)"
cargo fuzz build -O || exit 1

work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
summary=()
failed=0
for t in "${targets[@]}"; do
  mkdir -p "corpus/$t" "$work/$t"
  log="$work/$t.log"
  echo "== $t: ${SECONDS_PER_TARGET}s"
  rc=0
  cargo fuzz run -O "$t" "$work/$t" "corpus/$t" -- \
    -max_total_time="$SECONDS_PER_TARGET" -rss_limit_mb=2048 -timeout=10 \
    -max_len=4096 -print_final_stats=1 >"$log" 2>&1 || rc=$?
  runs="$(sed -n 's/^Done \([0-9]*\) runs in \([0-9]*\) second.*/\1 runs in \2 s/p' "$log" | tail -n1)"
  cov="$(grep -o 'cov: [0-9]*' "$log" | tail -n1)"
  if [ "$rc" = 0 ]; then
    summary+=("PASS  $t: ${runs:-? runs}, ${cov:-cov: ?}, $(find "corpus/$t" -type f | wc -l) corpus inputs")
  else
    failed=1
    summary+=("FAIL  $t (exit $rc): see fuzz/artifacts/$t/")
    if grep -qE 'panicked|ERROR: libFuzzer|SUMMARY|Test unit written|==ERROR' "$log"; then
      grep -E 'panicked|ERROR: libFuzzer|SUMMARY|Test unit written|==ERROR' "$log" | head -n 20
    else
      tail -n 20 "$log"   # not a finding: a build or setup failure
    fi
  fi
  if [ "${FUZZ_KEEP:-0}" = 1 ] && [ "$rc" = 0 ]; then
    cargo fuzz run -O "$t" "corpus/$t" "$work/$t" -- -merge=1 -rss_limit_mb=2048 -timeout=10 \
      >"$work/$t.merge.log" 2>&1 || echo "merge of $t failed"
  fi
done

echo "== summary (${SECONDS_PER_TARGET}s per target)"
printf '%s\n' "${summary[@]}"
exit "$failed"
