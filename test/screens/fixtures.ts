import { installSteps } from '../../src/core/install/steps.js';
import type { OperationEvent } from '../../src/core/events.js';
import type { InstallPlan, InstallResult } from '../../src/core/install/types.js';
import type { Operations } from '../../src/core/operations.js';
import { stackSchema } from '../../src/core/stack/schema.js';
import type { InstanceStatus } from '../../src/core/status/types.js';

export const INSTALL_DIR = '/opt/openmates';

export const notInstalled: InstanceStatus = {
  installed: false,
  installDir: INSTALL_DIR,
  services: [],
  checks: [],
  urls: [],
  healthy: false,
};

const urls = [
  { name: 'Web app', url: 'http://localhost:5173' },
  { name: 'API', url: 'http://localhost:8000' },
];

function service(name: string, state: InstanceStatus['services'][number]['state']) {
  return { service: name, container: `openmates-core-${name}-1`, state, engineState: state === 'exited' ? 'exited' : 'running', restartCount: 0 };
}

export const installedDegraded: InstanceStatus = {
  installed: true,
  installDir: INSTALL_DIR,
  project: 'openmates-core',
  version: 'v0.14.0',
  services: [service('api', 'healthy'), service('web', 'running'), service('worker', 'exited'), service('cms', 'healthy'), service('cache', 'healthy'), service('setup', 'completed')],
  checks: [{ name: 'api', url: 'http://127.0.0.1:8000/v1/health', ok: true, detail: '200 OK' }],
  urls,
  healthy: false,
};

export const stack = stackSchema.parse({
  name: 'openmates-core',
  compose: 'docker-compose.yml',
  registry: 'registry.local:5000/openmates',
  registryVariable: 'OPENMATES_IMAGE_REGISTRY',
  tag: 'v0.14.0',
  tagVariable: 'OPENMATES_IMAGE_TAG',
  versionImage: 'openmates-api',
  urls,
});

export const plan: InstallPlan = {
  stack,
  stackSource: 'name: openmates-core\n',
  installDir: INSTALL_DIR,
  composeFile: `${INSTALL_DIR}/docker-compose.yml`,
  composeSource: 'services: {}\n',
  alreadyInstalled: false,
  version: 'v0.14.0',
  checks: [
    { name: 'Docker engine', level: 'ok', detail: 'Docker 27.1.1 at /var/run/docker.sock' },
    { name: 'Memory', level: 'warning', detail: '3.1 GB free, 4 GB recommended', hint: 'Close other programs or add memory.' },
  ],
  images: ['registry.local:5000/openmates/openmates-api:v0.14.0', 'registry.local:5000/openmates/openmates-web:v0.14.0'],
  steps: installSteps(2),
};

export const result: InstallResult = {
  version: 'v0.14.0',
  installDir: INSTALL_DIR,
  project: 'openmates-core',
  services: [service('api', 'healthy'), service('web', 'healthy'), service('setup', 'completed')].map(({ ...s }) => s),
  urls,
  shownSecret: { name: 'SELF_HOST_FIRST_INVITE_CODE', value: '4821-0937-5512' },
  logFile: `${INSTALL_DIR}/logs/install-2025-01-01.log`,
  changed: true,
};

/** For operations a test never expects to be called. */
export const logsNotUsed: Operations['logs'] = () => Promise.reject(new Error('logs is not used in this test'));

/** A promise the test settles by hand. */
export function deferred<T>() {
  let resolve!: (value: T) => void;
  let reject!: (error: unknown) => void;
  const promise = new Promise<T>((res, rej) => {
    resolve = res;
    reject = rej;
  });
  return { promise, resolve, reject };
}

/**
 * Operations whose install the test drives: `emit` sends events through the sink the screen gave,
 * `finish`/`fail` settle it; `installSignal` is the signal the screen passed.
 */
export function scriptedOperations(options: { status?: () => Promise<InstanceStatus>; planInstall?: Operations['planInstall']; logs?: Operations['logs'] } = {}) {
  const install = deferred<InstallResult>();
  let sink: ((event: OperationEvent) => void) | undefined;
  const calls = { status: 0, planInstall: 0, install: 0 };
  let installSignal: AbortSignal | undefined;
  const operations: Operations = {
    status: () => {
      calls.status += 1;
      return options.status ? options.status() : Promise.resolve(notInstalled);
    },
    planInstall: (installOptions, planSink, signal) => {
      calls.planInstall += 1;
      if (options.planInstall) return options.planInstall(installOptions, planSink, signal);
      for (const check of plan.checks) planSink({ type: 'check', name: check.name, ok: check.level !== 'error', detail: check.detail });
      return Promise.resolve(plan);
    },
    install: (_plan, installSink, signal) => {
      calls.install += 1;
      sink = installSink;
      installSignal = signal;
      return install.promise;
    },
    logs: options.logs ?? logsNotUsed,
  };
  return {
    operations,
    calls,
    emit: (...events: OperationEvent[]) => {
      if (!sink) throw new Error('install has not been called');
      for (const event of events) sink(event);
    },
    finish: (value: InstallResult = result) => install.resolve(value),
    fail: (error: unknown) => install.reject(error),
    get installSignal() {
      return installSignal;
    },
  };
}
