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
# --low-memory-unused lets wasm-opt fold constant offsets into loads and stores, which is sound when
# nothing lives below address 1024: rustc links wasm32 with the stack first (the stack pointer
# starts at 1 MiB and grows down, data and heap sit above it), so only a stack within 1 KiB of
# exhaustion would reach there.
node_modules/.bin/wasm-opt -Oz -Oz --low-memory-unused --strip-producers --strip-target-features \
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

section "build: the log-import package (pkg/logs/, --features logs-wasm,cards-wasm, built for speed)"
# The log importer (engine.logPricer) is a second, larger package loaded only by www/logs.html,
# so that the calculator's own wasm (pkg/waprice_bg.wasm) stays within its size budget. It prices
# logs of millions of lines, so it is built for speed (opt-level 3, wasm-opt -O3), not size.
# With wasm SIMD (simd128, in every current browser and Node): the CSV reader finds commas and
# line ends sixteen bytes at a time. It also reads Meta's rate-card files (engine.loadRateCard,
# feature cards-wasm), so that a log can be priced with one of them (docs/logs.md).
CARGO_TARGET_WASM32_UNKNOWN_UNKNOWN_RUSTFLAGS="-C target-feature=+simd128" \
  cargo build --lib --release --target wasm32-unknown-unknown --features logs-wasm,cards-wasm
logs_wasm="$WAPRICE_TARGET_DIR/wasm32-unknown-unknown/release/waprice.wasm"
[ -f "$logs_wasm" ] || die "$logs_wasm was not built"
rm -rf pkg/logs
wasm-bindgen --target web --out-dir pkg/logs "$logs_wasm"
node_modules/.bin/wasm-opt -O3 \
  --enable-bulk-memory --enable-bulk-memory-opt --enable-nontrapping-float-to-int \
  --enable-sign-ext --enable-mutable-globals --enable-multivalue --enable-reference-types \
  --enable-call-indirect-overlong --enable-simd \
  pkg/logs/waprice_bg.wasm -o pkg/logs/waprice_bg.opt.wasm
mv pkg/logs/waprice_bg.opt.wasm pkg/logs/waprice_bg.wasm
log "pkg/logs/waprice_bg.wasm: $(raw_size pkg/logs/waprice_bg.wasm) bytes raw, $(gzip_size pkg/logs/waprice_bg.wasm) bytes gzipped"

section "build: the card-reading package (pkg/cards/, --features cards-wasm, built for size)"
# engine.loadRateCard reads Meta's own rate-card files (CSV and XLSX, calamine). The reader would
# not fit the calculator's size budget, so it is a second package of the same engine, loaded by the
# page only when one of Meta's files is dropped (docs/data.md).
cargo build --lib --profile wasm-size --target wasm32-unknown-unknown --features cards-wasm
cards_wasm="$WAPRICE_TARGET_DIR/wasm32-unknown-unknown/wasm-size/waprice.wasm"
[ -f "$cards_wasm" ] || die "$cards_wasm was not built"
rm -rf pkg/cards
wasm-bindgen --target web --out-dir pkg/cards "$cards_wasm"
node_modules/.bin/wasm-opt -Oz \
  --enable-bulk-memory --enable-bulk-memory-opt --enable-nontrapping-float-to-int \
  --enable-sign-ext --enable-mutable-globals --enable-multivalue --enable-reference-types \
  --enable-call-indirect-overlong \
  pkg/cards/waprice_bg.wasm -o pkg/cards/waprice_bg.opt.wasm
mv pkg/cards/waprice_bg.opt.wasm pkg/cards/waprice_bg.wasm
log "pkg/cards/waprice_bg.wasm: $(raw_size pkg/cards/waprice_bg.wasm) bytes raw, $(gzip_size pkg/cards/waprice_bg.wasm) bytes gzipped"

section "build: the npm package (pkg/package.json and the Node entries, from npm/)"
# pkg/ is also the npm package `waprice`: its exports serve browsers and bundlers (waprice.js,
# which fetches the wasm beside it), Node (node.js, which reads the wasm file) and TypeScript.
version="$(awk -F'"' '/^version = /{ print $2; exit }' Cargo.toml)"
cp npm/node.js pkg/node.js
cp npm/logs-node.js pkg/logs/node.js
cp npm/README.md pkg/README.md
node -e '
  const fs = require("fs");
  const p = JSON.parse(fs.readFileSync("npm/package.json", "utf8"));
  p.version = process.argv[1];
  fs.writeFileSync("pkg/package.json", JSON.stringify(p, null, 2) + "\n");
' "$version"
log "pkg/package.json: waprice $version"
