// Bundles the CLI into dist/ so start-up loads a handful of files, not thousands.
// Docker and the full-screen app are split into chunks loaded only when a command needs them.
import { build } from 'esbuild';
import { readFile, rm } from 'node:fs/promises';
import { dirname, resolve } from 'node:path';

/** `import text from './file?raw'` as Vite understands it: the file's content as a string. */
const rawText = {
  name: 'raw-text',
  setup(build) {
    build.onResolve({ filter: /\?raw$/ }, (args) => ({ path: resolve(dirname(args.importer), args.path.slice(0, -4)), namespace: 'raw-text' }));
    build.onLoad({ filter: /.*/, namespace: 'raw-text' }, async (args) => ({ contents: await readFile(args.path, 'utf8'), loader: 'text' }));
  },
};

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
  plugins: [rawText],
  define: { OPENMATES_VERSION: JSON.stringify(version), OPENMATES_PACKAGE_NAME: JSON.stringify(name), 'process.env.NODE_ENV': '"production"' },
  // Optional native add-ons of ssh2 and Ink's dev tools: loaded only if present, never needed.
  external: ['cpu-features', 'react-devtools-core', '*.node'],
  // CommonJS dependencies inside an ES module bundle still expect require and __dirname.
  banner: {
    js: [
      "import { createRequire as __omCreateRequire } from 'node:module';",
      "import { fileURLToPath as __omFileURLToPath } from 'node:url';",
      "import { dirname as __omDirname } from 'node:path';",
      'const require = __omCreateRequire(import.meta.url);',
      'const __filename = __omFileURLToPath(import.meta.url);',
      'const __dirname = __omDirname(__filename);',
    ].join(' '),
  },
  // Smaller files parse faster: start-up time is what a user of `status` waits for.
  minify: true,
  legalComments: 'none',
  logLevel: 'warning',
});
