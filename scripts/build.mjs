// Bundles the CLI into dist/ so start-up loads a handful of files, not thousands.
// Docker and the full-screen app are split into chunks loaded only when a command needs them.
import { build } from 'esbuild';
import { readFile, rm } from 'node:fs/promises';
import { commonJsBanner, rawTextPlugin } from './node-bundle.mjs';

const { name, version } = JSON.parse(await readFile(new URL('../package.json', import.meta.url), 'utf8'));
await rm(new URL('../dist', import.meta.url), { recursive: true, force: true });
await build({
  entryPoints: { openmates: 'src/cli/main.ts' },
  outdir: 'dist',
  bundle: true,
  splitting: true,
  format: 'esm',
  platform: 'node',
  target: 'node20',
  plugins: [rawTextPlugin],
  define: { OPENMATES_VERSION: JSON.stringify(version), OPENMATES_PACKAGE_NAME: JSON.stringify(name), 'process.env.NODE_ENV': '"production"' },
  // Optional native add-ons of ssh2 and Ink's dev tools: loaded only if present, never needed.
  external: ['cpu-features', 'react-devtools-core', '*.node'],
  banner: commonJsBanner,
  // Smaller files parse faster: start-up time is what a user of `status` waits for.
  minify: true,
  legalComments: 'none',
  logLevel: 'warning',
});
