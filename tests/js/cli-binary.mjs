// The `waprice` command line for the node tests: built with cargo (a no-op when `cargo test` has
// built it already) in the target directory cargo uses.
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import path from 'node:path';

const root = fileURLToPath(new URL('../..', import.meta.url));
let built;

/** The path of the `waprice` binary, built on first use. */
export function waprice() {
  if (built) return built;
  const r = spawnSync('cargo', ['build', '--quiet', '-p', 'waprice-cli'], { cwd: root, stdio: ['ignore', 'ignore', 'inherit'] });
  if (r.status !== 0) throw new Error(`cargo build -p waprice-cli failed (exit ${r.status})`);
  const target = process.env.CARGO_TARGET_DIR ? path.resolve(root, process.env.CARGO_TARGET_DIR) : path.join(root, 'target');
  built = path.join(target, 'debug', process.platform === 'win32' ? 'waprice.exe' : 'waprice');
  if (!existsSync(built)) throw new Error(`${built} was not built`);
  return built;
}
