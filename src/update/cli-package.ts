declare const OPENMATES_VERSION: string;
declare const OPENMATES_PACKAGE_NAME: string;

/** This CLI's npm package and version, as the build stamps them (source runs in tests read "dev"). */
export const CLI_PACKAGE = {
  name: typeof OPENMATES_PACKAGE_NAME === 'string' ? OPENMATES_PACKAGE_NAME : 'openmates-server-cli',
  version: typeof OPENMATES_VERSION === 'string' ? OPENMATES_VERSION : 'dev',
};

export const DEFAULT_NPM_REGISTRY = 'https://registry.npmjs.org';

/** The npm registry to ask: OPENMATES_NPM_REGISTRY, else the public one. */
export function npmRegistry(env: NodeJS.ProcessEnv = process.env): string {
  return (env.OPENMATES_NPM_REGISTRY || DEFAULT_NPM_REGISTRY).replace(/\/+$/, '');
}

/** What a user runs to get the newest CLI. */
export function cliUpgradeCommand(packageName: string = CLI_PACKAGE.name): string {
  return `npm install -g ${packageName}@latest`;
}
