#!/usr/bin/env node
// A tiny dependency-free static server for the repository root (so that www/ can import ../pkg/).
//   node scripts/serve.mjs [--port N] [--host H] [--root DIR]     (PORT and HOST env work too)
// Port 0 picks a free port; the first line printed is "waprice: serving <root> at <url>".
import http from 'node:http';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const here = path.dirname(fileURLToPath(import.meta.url));

export const MIME = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json; charset=utf-8',
  '.map': 'application/json; charset=utf-8',
  '.wasm': 'application/wasm',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.ico': 'image/x-icon',
  '.csv': 'text/csv; charset=utf-8',
  '.md': 'text/markdown; charset=utf-8',
  '.txt': 'text/plain; charset=utf-8',
  '.ts': 'text/plain; charset=utf-8',
};

export const CSP = [
  "default-src 'self'",
  "script-src 'self' 'wasm-unsafe-eval'",
  "style-src 'self'",
  "img-src 'self' data:",
  "object-src 'none'",
  "base-uri 'none'",
  "frame-ancestors 'none'",
].join('; ');

const SECURITY_HEADERS = {
  'Content-Security-Policy': CSP,
  'X-Content-Type-Options': 'nosniff',
  'Referrer-Policy': 'no-referrer',
  'Cache-Control': 'no-cache',
};

function send(res, status, body, headers = {}) {
  const text = body ?? '';
  res.writeHead(status, {
    ...SECURITY_HEADERS,
    'Content-Type': 'text/plain; charset=utf-8',
    'Content-Length': Buffer.byteLength(text),
    ...headers,
  });
  res.end(res.req.method === 'HEAD' ? undefined : text);
}

/** Create (not start) the server for `root`. */
export function createServer(root) {
  const realRoot = fs.realpathSync(path.resolve(root));
  const inRoot = (p) => p === realRoot || p.startsWith(realRoot + path.sep);

  return http.createServer((req, res) => {
    if (req.method !== 'GET' && req.method !== 'HEAD') {
      return send(res, 405, 'method not allowed\n', { Allow: 'GET, HEAD' });
    }
    let pathname;
    try {
      pathname = decodeURIComponent(new URL(req.url, 'http://localhost').pathname);
    } catch {
      return send(res, 400, 'bad request\n');
    }
    if (pathname.includes('\0') || pathname.includes('\\')) return send(res, 400, 'bad request\n');
    if (pathname === '/') return send(res, 302, 'see /www/\n', { Location: '/www/' });

    // Resolve against the root and refuse anything that leaves it (.., or a symlink pointing out).
    const wanted = path.resolve(realRoot, '.' + path.posix.normalize(pathname));
    if (!inRoot(wanted)) return send(res, 403, 'forbidden\n');
    let file;
    try {
      file = fs.realpathSync(wanted);
    } catch {
      return send(res, 404, 'not found\n');
    }
    if (!inRoot(file)) return send(res, 403, 'forbidden\n');
    // Dot-files and the VCS / tool directories are nobody's business.
    const rel = path.relative(realRoot, file).split(path.sep);
    if (rel.some((part) => part.startsWith('.')) || rel[0] === 'node_modules' || rel[0] === 'target') {
      return send(res, 404, 'not found\n');
    }

    let stat = fs.statSync(file);
    if (stat.isDirectory()) {
      if (!pathname.endsWith('/')) {
        const url = new URL(req.url, 'http://localhost');
        return send(res, 301, 'moved\n', { Location: pathname + '/' + url.search });
      }
      file = path.join(file, 'index.html');
      try {
        stat = fs.statSync(file);
      } catch {
        return send(res, 404, 'not found\n');
      }
    }
    if (!stat.isFile()) return send(res, 404, 'not found\n');

    const type = MIME[path.extname(file).toLowerCase()] ?? 'application/octet-stream';
    res.writeHead(200, { ...SECURITY_HEADERS, 'Content-Type': type, 'Content-Length': stat.size });
    if (req.method === 'HEAD') return res.end();
    const stream = fs.createReadStream(file);
    stream.on('error', () => res.destroy());
    stream.pipe(res);
  });
}

function parseArgs(argv) {
  const opts = {
    port: process.env.PORT ?? '8080',
    host: process.env.HOST ?? '127.0.0.1',
    root: path.resolve(here, '..'),
  };
  for (let i = 0; i < argv.length; i++) {
    const [flag, inline] = argv[i].split('=', 2);
    const value = () => inline ?? argv[++i];
    if (flag === '--port') opts.port = value();
    else if (flag === '--host') opts.host = value();
    else if (flag === '--root') opts.root = path.resolve(value());
    else {
      console.error(`usage: node scripts/serve.mjs [--port N] [--host H] [--root DIR]`);
      process.exit(2);
    }
  }
  const port = Number(opts.port);
  if (!Number.isInteger(port) || port < 0 || port > 65535) {
    console.error(`waprice: bad port ${JSON.stringify(opts.port)}`);
    process.exit(2);
  }
  return { ...opts, port };
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const { port, host, root } = parseArgs(process.argv.slice(2));
  const server = createServer(root);
  server.on('error', (err) => {
    console.error(`waprice: cannot listen on ${host}:${port}: ${err.message}`);
    process.exit(1);
  });
  server.listen(port, host, () => {
    const actual = server.address().port;
    const shown = host === '127.0.0.1' || host === '::1' ? 'localhost' : host;
    console.log(`waprice: serving ${root} at http://${shown}:${actual}/ (Ctrl-C stops)`);
  });
  for (const sig of ['SIGINT', 'SIGTERM']) process.on(sig, () => server.close(() => process.exit(0)));
}
