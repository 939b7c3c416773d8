#!/usr/bin/env bash
# README command 2: every test. Installs what is missing (wasm32 target, wasm-bindgen-cli at the
# Cargo.lock version, clippy/rustfmt, npm packages, Debian chromium + chromedriver), then runs:
# rustfmt, clippy (native; wasm32 with all and with default features; wasm32 with SIMD), cargo
# test, the wasm build, the JS contract tests, the wasm-bindgen browser tests (if any), the
# end-to-end page tests, the budgets (wasm
# size, unwrap proofs, licences) and, when cargo-fuzz is installed, 30 s of fuzzing per target.
# Runs every step it can, prints a summary, and exits non-zero if any step failed.
set -uo pipefail
cd "$(dirname "$0")/.."
# shellcheck source=scripts/lib.sh
. scripts/lib.sh

export CI="${CI:-true}"
# Plain output when nobody is watching (CI, pipes): no colours, no progress bars.
FMT_COLOR=auto
if [ ! -t 1 ]; then
  export CARGO_TERM_COLOR=never CARGO_TERM_PROGRESS_WHEN=never NO_COLOR=1 FORCE_COLOR=0
  FMT_COLOR=never
fi

SIZE_BUDGET=$((300 * 1024))   # gzipped pkg/waprice_bg.wasm, bytes
results=()
failed=0

# step NAME COMMAND...: run it under a header, record PASS/FAIL and the time it took.
step() {
  local name="$1"; shift
  section "$name"
  printf '$ %s\n' "$*"
  local start=$SECONDS rc=0
  "$@" || rc=$?
  local took=$((SECONDS - start))
  if [ "$rc" = 0 ]; then
    results+=("PASS  ${took}s  $name")
  else
    results+=("FAIL  ${took}s  $name (exit $rc)")
    failed=1
  fi
  return "$rc"
}

skip() { results+=("SKIP      $1 ($2)"); section "$1"; log "skipped: $2"; }

install_all() {
  ensure_rustup_target
  ensure_rust_components
  ensure_wasm_bindgen
  ensure_node_modules
  ensure_chromium
  ensure_print_tools
  log "$(rustc --version)"
  log "$(wasm-bindgen --version); $(wasm-bindgen-test-runner --version 2>/dev/null || echo 'no wasm-bindgen-test-runner')"
  log "node $(node --version); npm $(npm --version 2>/dev/null)"
  log "$(/usr/bin/chromium --version 2>/dev/null); $(/usr/bin/chromedriver --version 2>/dev/null | head -n1)"
}

# Test targets that use wasm-bindgen-test, as cargo arguments (--lib, --test NAME).
wasm_test_targets() {
  local f
  if grep -rqs 'wasm_bindgen_test' src; then echo --lib; fi
  for f in tests/*.rs; do
    [ -f "$f" ] || continue
    if grep -qs 'wasm_bindgen_test' "$f"; then echo --test; basename "$f" .rs; fi
  done
}

wasm_browser_tests() {
  local args
  mapfile -t args < <(wasm_test_targets)
  # The runner adds headless, no-sandbox and disable-dev-shm-usage; scripts/webdriver.json adds
  # Debian's chromium binary and the flags that keep it off this closed network.
  CHROMEDRIVER=/usr/bin/chromedriver \
  WASM_BINDGEN_TEST_WEBDRIVER_JSON="$PWD/scripts/webdriver.json" \
  WASM_BINDGEN_TEST_TIMEOUT="${WASM_BINDGEN_TEST_TIMEOUT:-120}" \
    cargo test --target wasm32-unknown-unknown "${args[@]}"
}

size_budget() {
  local f=pkg/waprice_bg.wasm raw gz
  [ -f "$f" ] || { echo "$f is missing"; return 1; }
  raw="$(raw_size "$f")"
  gz="$(gzip_size "$f")"
  printf '%s: %s bytes raw, %s bytes gzipped (budget %s bytes = 300 KiB)\n' "$f" "$raw" "$gz" "$SIZE_BUDGET"
  if [ "$gz" -gt "$SIZE_BUDGET" ]; then
    echo "FAIL: gzipped wasm is $((gz - SIZE_BUDGET)) bytes over the budget"
    return 1
  fi
  echo "OK: $((SIZE_BUDGET - gz)) bytes under the budget"
}

step "install what is missing" install_all || { section "summary"; printf '%s\n' "${results[@]}"; exit 1; }
step "cargo fmt --check" cargo fmt --all -- --check --color "$FMT_COLOR"
# --workspace: the library and the command line (cli/); the wasm steps build the library alone.
step "cargo clippy (native, all targets)" cargo clippy --workspace --all-targets --all-features -- -D warnings
step "cargo clippy (wasm32 lib)" cargo clippy --lib --target wasm32-unknown-unknown --all-features -- -D warnings
# The calculator's package is built with the default features: code gated on the others (cfg
# attributes) can hide a warning or an error that only this build sees.
step "cargo clippy (wasm32 lib, default features, as pkg/ is built)" \
  cargo clippy --lib --target wasm32-unknown-unknown -- -D warnings
# The log package is built with wasm SIMD (scripts/build.sh), which compiles code of its own.
step "cargo clippy (wasm32 lib with simd128, as pkg/logs/ is built)" \
  env CARGO_TARGET_WASM32_UNKNOWN_UNKNOWN_RUSTFLAGS="-C target-feature=+simd128" \
  cargo clippy --lib --target wasm32-unknown-unknown --all-features \
  --target-dir "$WAPRICE_TARGET_DIR/simd128" -- -D warnings
step "cargo test" cargo test --workspace
step "budget: no unwrap/expect without a proof (scripts/check_unwrap.py)" python3 scripts/check_unwrap.py
step "budget: licences and duplicate dependencies (scripts/check_deps.py)" python3 scripts/check_deps.py
if step "build (scripts/build.sh)" bash scripts/build.sh; then
  step "JS contract tests (node --test tests/js/)" node --test tests/js/
  if [ -n "$(wasm_test_targets)" ]; then
    step "wasm-bindgen browser tests (cargo test --target wasm32-unknown-unknown)" wasm_browser_tests
  else
    skip "wasm-bindgen browser tests" "no wasm_bindgen_test in src/ or tests/*.rs"
  fi
  step "end-to-end page tests (node --test tests/e2e/)" node --test tests/e2e/
  step "size budget (gzipped wasm <= 300 KiB)" size_budget
else
  skip "JS contract tests" "build failed"
  skip "end-to-end page tests" "build failed"
  skip "size budget" "build failed"
fi

# Bounded fuzzing: 30 s per target (7 targets) when cargo-fuzz is installed, after building the
# targets (3 to 11 minutes on 2 cores, with the address sanitizer). The test command does not
# install cargo-fuzz (`cargo install cargo-fuzz --locked`, about 2.5 minutes): install it once to
# make this step run.
if command -v cargo-fuzz >/dev/null 2>&1; then
  step "bounded fuzzing (scripts/fuzz.sh 30)" bash scripts/fuzz.sh 30
else
  skip "bounded fuzzing" "cargo-fuzz is not installed (cargo install cargo-fuzz --locked)"
fi

section "summary"
printf '%s\n' "${results[@]}"
npass=0; nfail=0
for r in "${results[@]}"; do
  case "$r" in PASS*) npass=$((npass + 1)) ;; FAIL*) nfail=$((nfail + 1)) ;; esac
done
echo "steps: $npass passed, $nfail failed"
if [ "$failed" != 0 ]; then
  echo "FAILED"
  exit 1
fi
echo "ALL PASSED"
