// Bundles the CLI into dist/ so start-up loads a handful of files, not thousands.
// Docker and the full-screen app are split into chunks loaded only when a command needs them.
import { build } from 'esbuild';
import { execFile } from 'node:child_process';
import { createHash } from 'node:crypto';
import { copyFile, readdir, readFile, rename, rm } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { commonJsBanner, rawTextPlugin } from './node-bundle.mjs';

const { name, version } = JSON.parse(await readFile(new URL('../package.json', import.meta.url), 'utf8'));
await rm(new URL('../dist', import.meta.url), { recursive: true, force: true });
// Names this build's parsers and schemas: what src/core/parse-memo.ts remembered under another build is parsed again.
const buildId = await sourceHash(['src', 'stacks']);
// The SDK's types (declarations of its entry and what it exports, into dist/types) take tsc a few
// seconds: it runs beside the bundles.
const tsc = fileURLToPath(new URL('../node_modules/typescript/bin/tsc', import.meta.url));
const sdkTypes = promisify(execFile)(process.execPath, [tsc, '-p', fileURLToPath(new URL('../tsconfig.remote-types.json', import.meta.url))]);
sdkTypes.catch(() => undefined); // awaited (and its failure thrown) after the bundles
await build({
  entryPoints: { openmates: 'src/cli/main.ts' },
  outdir: 'dist',
  bundle: true,
  splitting: true,
  format: 'esm',
  platform: 'node',
  target: 'node20',
  plugins: [rawTextPlugin],
  define: { OPENMATES_VERSION: JSON.stringify(version), OPENMATES_PACKAGE_NAME: JSON.stringify(name), OPENMATES_BUILD_ID: JSON.stringify(buildId), 'process.env.NODE_ENV': '"production"' },
  // Optional native add-ons of ssh2 and Ink's dev tools: loaded only if present, never needed. The PTY
  // library (terminals) is the one native runtime dependency: resolved from node_modules when a terminal opens.
  external: ['cpu-features', 'react-devtools-core', '*.node', '@lydell/node-pty'],
  banner: commonJsBanner,
  // Smaller files parse faster: start-up time is what a user of `status` waits for.
  minify: true,
  legalComments: 'none',
  logLevel: 'warning',
});

// The SDK (`openmates-server-cli/remote`), everything it uses bundled in, so the package has no
// dependencies: for Node (with `ws`, and require() for libsodium's Node branch) and for browsers.
await build({
  entryPoints: { 'remote-node': 'src/remote/sdk/node.ts' },
  outdir: 'dist',
  bundle: true,
  format: 'esm',
  platform: 'node',
  target: 'node20',
  external: ['bufferutil', 'utf-8-validate'],
  banner: commonJsBanner,
  legalComments: 'none',
  logLevel: 'warning',
});
await build({
  entryPoints: { remote: 'src/remote/sdk/index.ts' },
  outdir: 'dist',
  bundle: true,
  format: 'esm',
  platform: 'browser',
  target: 'es2022',
  legalComments: 'none',
  logLevel: 'warning',
});
await sdkTypes;

// The web page (src/web/app): one script, one stylesheet, the HTML and its service worker (sw.js), into dist/web/ where
// src/web/page-assets.ts reads them; the SDK's browser build inside, nothing from a CDN.
await build({
  entryPoints: { app: 'src/web/app/main.ts', 'app-style': 'src/web/app/app.css', sw: 'src/web/app/service-worker.ts' },
  outdir: 'dist/web',
  bundle: true,
  format: 'esm',
  platform: 'browser',
  target: 'es2022',
  define: { 'process.env.NODE_ENV': '"production"' },
  minify: true,
  legalComments: 'none',
  logLevel: 'warning',
});
await rename(new URL('../dist/web/app-style.css', import.meta.url), new URL('../dist/web/app.css', import.meta.url));
await copyFile(new URL('../src/web/app/index.html', import.meta.url), new URL('../dist/web/index.html', import.meta.url));

/** 12 hex digits of a hash over every file under these directories (names and contents, in a fixed order) and the lockfile. */
async function sourceHash(dirs) {
  const hash = createHash('sha256');
  const root = new URL('..', import.meta.url);
  const files = [];
  for (const dir of dirs) {
    for (const entry of await readdir(new URL(dir, root), { recursive: true, withFileTypes: true })) {
      if (entry.isFile()) files.push(`${entry.parentPath ?? entry.path}/${entry.name}`);
    }
  }
  for (const file of [...files.sort(), fileURLToPath(new URL('package-lock.json', root))]) hash.update(file.slice(fileURLToPath(root).length)).update('\0').update(await readFile(file)).update('\0');
  return hash.digest('hex').slice(0, 12);
}
