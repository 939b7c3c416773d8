#!/usr/bin/env bash
# Build the engine to WebAssembly into pkg/ (wasm-bindgen --target web), installing what is missing:
# the wasm32 target, wasm-bindgen-cli at the Cargo.lock version, and the npm packages (wasm-opt).
set -euo pipefail
cd "$(dirname "$0")/.."
# shellcheck source=scripts/lib.sh
. scripts/lib.sh

# One build at a time: two builds writing pkg/ at once would collide.
mkdir -p target
exec 9>target/.build.lock
flock 9

section "build: toolchain"
ensure_rustup_target
ensure_wasm_bindgen
ensure_node_modules
log "$(rustc --version); $(wasm-bindgen --version); wasm-opt $(node_modules/.bin/wasm-opt --version | awk '{print $3}')"

section "build: cargo build --lib --profile wasm-size --target wasm32-unknown-unknown"
cargo build --lib --profile wasm-size --target wasm32-unknown-unknown

section "build: wasm-bindgen --target web --out-dir pkg"
wasm="$WAPRICE_TARGET_DIR/wasm32-unknown-unknown/wasm-size/waprice.wasm"
[ -f "$wasm" ] || die "$wasm was not built"
rm -rf pkg
wasm-bindgen --target web --out-dir pkg "$wasm"
before="$(raw_size pkg/waprice_bg.wasm)"

section "build: wasm-opt -Oz -Oz"
# Features that rustc's default wasm32 target emits (Rust >= 1.87 / LLVM 20): wasm-opt must accept
# them, or it refuses the module, and must not emit anything beyond them. The second -Oz runs the
# pipeline again on what the first left, which shrinks it a little further. The producers and
# target-features sections only inform tools (compiler versions, features used); browsers ignore them.
node_modules/.bin/wasm-opt -Oz -Oz --strip-producers --strip-target-features \
  --enable-bulk-memory --enable-bulk-memory-opt --enable-nontrapping-float-to-int \
  --enable-sign-ext --enable-mutable-globals --enable-multivalue --enable-reference-types \
  --enable-call-indirect-overlong \
  pkg/waprice_bg.wasm -o pkg/waprice_bg.opt.wasm
mv pkg/waprice_bg.opt.wasm pkg/waprice_bg.wasm
node -e '
  const bytes = require("fs").readFileSync(process.argv[1]);
  if (!WebAssembly.validate(bytes)) { console.error("pkg/waprice_bg.wasm does not validate"); process.exit(1); }
' pkg/waprice_bg.wasm

raw="$(raw_size pkg/waprice_bg.wasm)"
gz="$(gzip_size pkg/waprice_bg.wasm)"
log "pkg/waprice_bg.wasm: $raw bytes raw ($before before wasm-opt), $gz bytes gzipped ($((gz / 1024)) KiB)"
echo CALCSIZE $gz
