import { installSteps } from '../../src/core/install/steps.js';
import type { OperationEvent } from '../../src/core/events.js';
import type { InstallPlan, InstallResult } from '../../src/core/install/types.js';
import type { LoginOperations } from '../../src/core/login/types.js';
import type { Operations } from '../../src/core/operations.js';
import { stackSchema } from '../../src/core/stack/schema.js';
import type { InstanceStatus } from '../../src/core/status/types.js';
import type { Settings } from '../../src/core/settings.js';
import type { DashboardSnapshot } from '../../src/core/dashboard/types.js';
import type { LifecycleOptions, LifecyclePlan, LifecycleResult } from '../../src/core/lifecycle/types.js';
import { lifecycleSteps } from '../../src/core/lifecycle/plan-lifecycle.js';

export const INSTALL_DIR = '/opt/openmates';

export const notInstalled: InstanceStatus = {
  installed: false,
  installDir: INSTALL_DIR,
  services: [],
  checks: [],
  urls: [],
  healthy: false,
  degraded: false,
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
  degraded: false,
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
  versionReason: 'newest stable in registry.local:5000/openmates/openmates-api',
  checks: [
    { name: 'Docker engine', level: 'ok', detail: 'Docker 27.1.1 at /var/run/docker.sock' },
    { name: 'Memory', level: 'warning', detail: '3.1 GB free, 4 GB recommended', hint: 'Close other programs or add memory.' },
  ],
  placeholders: { installDir: INSTALL_DIR, dockerSocketGroup: '994' },
  images: ['registry.local:5000/openmates/openmates-api:v0.14.0', 'registry.local:5000/openmates/openmates-web:v0.14.0'],
  steps: installSteps(2),
};

export const result: InstallResult = {
  version: 'v0.14.0',
  installDir: INSTALL_DIR,
  project: 'openmates-core',
  services: [service('api', 'healthy'), service('web', 'healthy'), service('setup', 'completed')].map(({ ...s }) => s),
  degraded: [],
  urls,
  shownSecret: { name: 'SELF_HOST_FIRST_INVITE_CODE', value: '4821-0937-5512' },
  logFile: `${INSTALL_DIR}/logs/install-2025-01-01.log`,
  changed: true,
};

/** Login operations for tests that do not log in: each call fails, naming itself. */
export const loginNotScripted: LoginOperations = {
  loginStart: () => Promise.reject(new Error('loginStart is not scripted in this test')),
  loginWaitForApproval: () => Promise.reject(new Error('loginWaitForApproval is not scripted in this test')),
  loginSubmitPin: () => Promise.reject(new Error('loginSubmitPin is not scripted in this test')),
  whoami: () => Promise.reject(new Error('whoami is not scripted in this test')),
  logout: () => Promise.reject(new Error('logout is not scripted in this test')),
};

/**
 * Operations for tests that only care about some of them: every call rejects saying it was not
 * expected, except the settings, which say safety mode is off (so the app asks no first-run question).
 */
export function operationsStub(settings: Settings = { safetyMode: false, updateCheck: true, updateChannel: 'stable', approvalTimeoutSeconds: 600, undoMaxBytes: 1024 ** 3, undoMaxAgeDays: 7 }): Operations {
  const unexpected = (name: string) => () => Promise.reject(new Error(`${name} was not expected in this test`));
  let current = settings;
  return {
    ...unusedBackupOperations,
    ...unusedUpdateOperations,
    ...loginNotScripted,
    status: unexpected('status'),
    planInstall: unexpected('planInstall'),
    install: unexpected('install'),
    planReset: unexpected('planReset'),
    reset: unexpected('reset'),
    planUninstall: unexpected('planUninstall'),
    uninstall: unexpected('uninstall'),
    watchDashboard: unexpected('watchDashboard'),
    planLifecycle: unexpected('planLifecycle'),
    runLifecycle: unexpected('runLifecycle'),
    logs: unexpected('logs'),
    readSettings: async () => current,
    updateSettings: async (patch) => (current = { ...current, ...patch }),
  };
}

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

/** The backup operations, for screen tests that never reach them. */
export const unusedBackupOperations: Pick<Operations, 'backup' | 'restore' | 'restorePhrase' | 'listBackups'> = {
  backup: () => Promise.reject(new Error('backup is not used by this test')),
  restore: () => Promise.reject(new Error('restore is not used by this test')),
  restorePhrase: () => Promise.reject(new Error('restorePhrase is not used by this test')),
  listBackups: async () => [],
};

/** The update operations, for screen tests that never reach them: the start-up check finds nothing. */
export const unusedUpdateOperations: Pick<Operations, 'checkForUpdates' | 'planUpdate' | 'update'> = {
  checkForUpdates: async () => ({ notes: [] }),
  planUpdate: () => Promise.reject(new Error('planUpdate is not used by this test')),
  update: () => Promise.reject(new Error('update is not used by this test')),
};

/** The dashboard's view of a status (what watchDashboard would send for it). */
export function snapshotFromStatus(status: InstanceStatus): DashboardSnapshot {
  return {
    installed: status.installed,
    installDir: status.installDir,
    ...(status.project ? { project: status.project } : {}),
    ...(status.version ? { version: status.version } : {}),
    urls: status.urls,
    services: status.services.map((s) => ({
      service: s.service,
      container: s.container,
      state: s.state,
      engineState: s.engineState,
      exitCode: s.state === 'exited' ? 1 : 0,
      ...(s.startedAt ? { startedAt: s.startedAt } : {}),
      restartCount: s.restartCount,
    })),
    checks: status.checks,
    healthy: status.healthy,
    engine: { state: 'live' },
    ...(status.keptData ? { keptData: status.keptData } : {}),
    ...(status.interruptedUpdate ? { interruptedUpdate: status.interruptedUpdate } : {}),
  };
}

// Relative to the real clock: the screen computes uptime from Date.now().
const NOW = Date.now();

/** A healthy running stack with stats, a host, and one crashed worker. */
export const liveSnapshot: DashboardSnapshot = {
  installed: true,
  installDir: INSTALL_DIR,
  project: 'openmates-core',
  version: 'v0.14.0',
  urls,
  services: [
    { service: 'setup', container: 'openmates-core-setup-1', state: 'completed', engineState: 'exited', exitCode: 0, restartCount: 0 },
    { service: 'api', container: 'openmates-core-api-1', state: 'healthy', engineState: 'running', health: 'healthy', exitCode: 0, startedAt: new Date(NOW - 3 * 3600_000).toISOString(), restartCount: 0, cpuPercent: 2.5, memoryBytes: 181_300_000, memoryLimitBytes: 4_000_000_000 },
    { service: 'task-worker', container: 'openmates-core-task-worker-1', state: 'exited', engineState: 'exited', exitCode: 137, restartCount: 3 },
    { service: 'cache', container: 'openmates-core-cache-1', state: 'healthy', engineState: 'running', health: 'healthy', exitCode: 0, startedAt: new Date(NOW - 90_000).toISOString(), restartCount: 0, cpuPercent: 0.3, memoryBytes: 12_000_000, memoryLimitBytes: 4_000_000_000 },
  ],
  checks: [{ name: 'api', url: 'http://127.0.0.1:8000/v1/health', ok: true, detail: 'HTTP 200' }],
  healthy: false,
  host: { cpuPercent: 7.5, cpuCount: 2, loadAverage: [0.31, 0.2, 0.1], memoryTotalBytes: 4_000_000_000, memoryAvailableBytes: 2_500_000_000, disks: [{ label: 'install, Docker', path: INSTALL_DIR, totalBytes: 40_000_000_000, freeBytes: 12_300_000_000 }] },
  engine: { state: 'live' },
  sampledAt: NOW,
};

export function lifecyclePlan(options: Pick<LifecycleOptions, 'action' | 'clearCache'>): LifecyclePlan {
  const cacheVolumes = options.action === 'restart' ? [{ name: 'openmates-cache-data', sizeBytes: 12_300_000 }, { name: 'openmates-api-logs' }] : [];
  return {
    action: options.action,
    installDir: INSTALL_DIR,
    project: 'openmates-core',
    version: 'v0.14.0',
    stack,
    compose: { name: 'openmates-core', composeFile: `${INSTALL_DIR}/docker-compose.yml`, envFile: `${INSTALL_DIR}/.env` },
    expectedServices: ['api', 'cache'],
    oneShotServices: [],
    services: [
      { service: 'api', state: 'healthy', engineState: 'running' },
      { service: 'cache', state: 'healthy', engineState: 'running' },
    ],
    expectedDowntime: { summary: 'Unavailable from the stop until healthy again: at most about 190 s.', maxSeconds: 190 },
    clearCache: options.clearCache === true,
    cacheVolumes,
    dataVolumes: ['openmates-postgres-data', 'openmates-vault-data'],
    healthTimeout: 180,
    steps: lifecycleSteps(options.action, options.clearCache === true, cacheVolumes.length),
  };
}

export const restartResult: LifecycleResult = {
  action: 'restart',
  project: 'openmates-core',
  version: 'v0.14.0',
  installDir: INSTALL_DIR,
  services: [service('api', 'healthy'), service('cache', 'healthy')],
  checks: [],
  urls,
  clearedVolumes: ['openmates-cache-data'],
  logFile: `${INSTALL_DIR}/logs/restart-2026.log`,
  durationSeconds: 9.2,
  downtimeSeconds: 9.1,
};

/**
 * Operations whose install the test drives: `emit` sends events through the sink the screen gave,
 * `finish`/`fail` settle it; `installSignal` is the signal the screen passed. The dashboard sends
 * the `status` as one snapshot (or runs `dashboard`); start/stop/restart plan with `lifecyclePlan`
 * and run until `finishLifecycle`/`failLifecycle`.
 */
export function scriptedOperations(
  options: {
    status?: () => Promise<InstanceStatus>;
    planInstall?: Operations['planInstall'];
    logs?: Operations['logs'];
    dashboard?: (onSnapshot: (snapshot: DashboardSnapshot) => void, signal: AbortSignal) => Promise<void>;
  } = {},
) {
  const install = deferred<InstallResult>();
  const lifecycle = deferred<LifecycleResult>();
  let sink: ((event: OperationEvent) => void) | undefined;
  let lifecycleSink: ((event: OperationEvent) => void) | undefined;
  const calls = { status: 0, planInstall: 0, install: 0, planLifecycle: [] as LifecycleOptions[], runLifecycle: [] as LifecyclePlan[] };
  let installSignal: AbortSignal | undefined;
  const untilAborted = (signal: AbortSignal) => new Promise<void>((resolve) => signal.addEventListener('abort', () => resolve(), { once: true }));
  const operations: Operations = {
    ...operationsStub(),
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
    watchDashboard: async (_options, onSnapshot, signal) => {
      calls.status += 1;
      if (options.dashboard) return options.dashboard(onSnapshot, signal);
      const status = await (options.status ? options.status() : Promise.resolve(notInstalled));
      onSnapshot(snapshotFromStatus(status));
      if (status.installed) await untilAborted(signal);
    },
    planLifecycle: (lifecycleOptions) => {
      calls.planLifecycle.push(lifecycleOptions);
      return Promise.resolve(lifecyclePlan(lifecycleOptions));
    },
    runLifecycle: (lifecyclePlanToRun, runSink) => {
      calls.runLifecycle.push(lifecyclePlanToRun);
      lifecycleSink = runSink;
      return lifecycle.promise;
    },
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
    emitLifecycle: (...events: OperationEvent[]) => {
      if (!lifecycleSink) throw new Error('runLifecycle has not been called');
      for (const event of events) lifecycleSink(event);
    },
    finishLifecycle: (value: LifecycleResult = restartResult) => lifecycle.resolve(value),
    failLifecycle: (error: unknown) => lifecycle.reject(error),
    get installSignal() {
      return installSignal;
    },
  };
}
