// What every esbuild bundle of ours that runs on Node needs: the build (scripts/build.mjs) and
// the benchmarks that bundle a child process (bench/*.bench.ts) share it.
import { readFile } from 'node:fs/promises';
import { dirname, resolve } from 'node:path';

/** `import text from './file?raw'` as Vite understands it: the file's content as a string. */
export const rawTextPlugin = {
  name: 'raw-text',
  setup(build) {
    build.onResolve({ filter: /\?raw$/ }, (args) => ({ path: resolve(dirname(args.importer), args.path.slice(0, -4)), namespace: 'raw-text' }));
    build.onLoad({ filter: /.*/, namespace: 'raw-text' }, async (args) => ({ contents: await readFile(args.path, 'utf8'), loader: 'text' }));
  },
};

/** CommonJS dependencies inside an ES module bundle still expect require and __dirname. */
export const commonJsBanner = {
  js: [
    "import { createRequire as __omCreateRequire } from 'node:module';",
    "import { fileURLToPath as __omFileURLToPath } from 'node:url';",
    "import { dirname as __omDirname } from 'node:path';",
    'const require = __omCreateRequire(import.meta.url);',
    'const __filename = __omFileURLToPath(import.meta.url);',
    'const __dirname = __omDirname(__filename);',
  ].join(' '),
};
