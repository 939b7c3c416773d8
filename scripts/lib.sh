# shellcheck shell=bash
# Shared helpers for scripts/build.sh and scripts/test.sh: install only what is missing.
# Sourced, never run. Every helper is idempotent and needs no terminal (CI=true, no TTY).

# Cargo's bin directory first, so the wasm-bindgen that `cargo install` put there wins.
export PATH="${CARGO_HOME:-$HOME/.cargo}/bin:$PATH"
export DEBIAN_FRONTEND=noninteractive
# No prompts, no progress spinners, no update checks.
export npm_config_fund=false npm_config_audit=false npm_config_update_notifier=false
export npm_config_progress=false

WAPRICE_TARGET_DIR="${CARGO_TARGET_DIR:-target}"

log() { printf '[waprice] %s\n' "$*"; }
die() { printf '[waprice] error: %s\n' "$*" >&2; exit 1; }

section() {
  printf '\n==============================================================\n'
  printf '== %s\n' "$*"
  printf '==============================================================\n'
}

as_root() {
  if [ "$(id -u)" = 0 ]; then "$@"
  elif command -v sudo >/dev/null 2>&1; then sudo -n "$@"
  else die "need root (or sudo) to run: $*"
  fi
}

ensure_rustup_target() {
  command -v rustup >/dev/null 2>&1 || die "rustup not found (install Rust with rustup first)"
  if ! rustup target list --installed | grep -qx 'wasm32-unknown-unknown'; then
    log "installing Rust target wasm32-unknown-unknown"
    rustup target add wasm32-unknown-unknown
  fi
}

ensure_rust_components() {
  local missing=()
  cargo fmt --version >/dev/null 2>&1 || missing+=(rustfmt)
  cargo clippy --version >/dev/null 2>&1 || missing+=(clippy)
  if [ "${#missing[@]}" -gt 0 ]; then
    log "installing Rust components: ${missing[*]}"
    rustup component add "${missing[@]}"
  fi
}

# The wasm-bindgen version pinned by Cargo.lock (the CLI must match the library exactly).
locked_wasm_bindgen_version() {
  if [ ! -f Cargo.lock ]; then
    # A fresh checkout carries Cargo.lock; resolve one only if it is really absent.
    cargo generate-lockfile >/dev/null
  fi
  awk '
    /^\[\[package\]\]/ { in_wb = 0 }
    /^name = "wasm-bindgen"$/ { in_wb = 1; next }
    in_wb && /^version = / { gsub(/"/, "", $3); print $3; exit }
  ' Cargo.lock
}

ensure_wasm_bindgen() {
  local want have
  want="$(locked_wasm_bindgen_version)"
  [ -n "$want" ] || die "wasm-bindgen is not in Cargo.lock"
  have="$(wasm-bindgen --version 2>/dev/null | awk '{print $2}' || true)"
  if [ "$have" != "$want" ]; then
    log "installing wasm-bindgen-cli $want (found: ${have:-none}); this builds from crates.io and takes a few minutes"
    # No --locked: the CLI's own lock file pins crates that no longer build with current Rust.
    cargo install wasm-bindgen-cli --version "$want"
    have="$(wasm-bindgen --version 2>/dev/null | awk '{print $2}' || true)"
    [ "$have" = "$want" ] || die "wasm-bindgen on PATH is ${have:-missing}, expected $want"
  fi
  command -v wasm-bindgen-test-runner >/dev/null 2>&1 || log "note: wasm-bindgen-test-runner not on PATH"
}

lock_hash() { sha256sum package.json package-lock.json | sha256sum | awk '{print $1}'; }

ensure_node_modules() {
  command -v node >/dev/null 2>&1 || die "node not found"
  command -v npm >/dev/null 2>&1 || die "npm not found"
  local stamp=node_modules/.waprice-lock-hash
  if [ ! -d node_modules ] || [ ! -f "$stamp" ] || [ "$(cat "$stamp")" != "$(lock_hash)" ] \
     || [ ! -x node_modules/.bin/wasm-opt ] || [ ! -d node_modules/playwright-core ]; then
    log "installing npm packages (npm ci)"
    npm ci --no-audit --no-fund --ignore-scripts
    lock_hash > "$stamp"
  fi
}

ensure_chromium() {
  if [ ! -x /usr/bin/chromium ] || [ ! -x /usr/bin/chromedriver ]; then
    log "installing Debian chromium and chromium-driver"
    as_root apt-get update
    as_root apt-get install -y chromium chromium-driver
  fi
}

# The printed-quote tests read PDFs back (poppler-utils) and print Chinese and Japanese (Noto CJK).
ensure_print_tools() {
  if ! command -v pdftotext >/dev/null 2>&1 || ! fc-list 2>/dev/null | grep -q 'Noto Sans CJK'; then
    log "installing Debian poppler-utils and fonts-noto-cjk"
    as_root apt-get update
    as_root apt-get install -y poppler-utils fonts-noto-cjk
  fi
}

# Gzipped size, as the budget counts it.
gzip_size() { gzip -9 -c "$1" | wc -c | tr -d ' '; }
raw_size() { wc -c < "$1" | tr -d ' '; }
