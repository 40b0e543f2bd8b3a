import type { CoreDeps } from '../../core/deps.js';
import { createOperations } from '../../core/create-operations.js';
import { classifyCommand, createExecSessions, runCommand } from '../../core/exec/index.js';
import { createFileOps } from '../../core/files/index.js';
import { createHostFacts } from '../../core/host/index.js';
import { createSecretRedactor } from '../../core/secrets/index.js';
import { settingsDir } from '../../core/settings.js';
import { sessionFilePath } from '../../auth/session-store.js';
import type { AgentServices } from './services.js';
import { controlSocketPath } from './control-path.js';
import { openAgentUndoJournal } from './undo-bounds.js';
import { RemoteTerminals } from './remote-terminals.js';

/** The real core behind the agent: file ops on the roots, commands with sessions, cached host facts, the stack's operations. */
export function createAgentServices(options: { roots: string[]; fullAccess: boolean; installDir: string; stateDir: string; connect: () => Promise<CoreDeps> }): AgentServices {
  let deps: Promise<CoreDeps> | undefined;
  // Retried after a failure: the engine may come back while the agent runs.
  const connected = () => (deps ??= options.connect().catch((error: unknown) => {
    deps = undefined;
    throw error;
  }));
  const sessions = createExecSessions();
  const host = createHostFacts({ engine: async () => (await connected()).engine });
  const undo = openAgentUndoJournal(options.stateDir);
  return {
    files: createFileOps({ roots: options.roots, fullAccess: options.fullAccess, protected: [options.stateDir, controlSocketPath(options.stateDir).dir, settingsDir()] }, { journal: undo }),
    undo,
    roots: options.roots,
    classifyCommand,
    runCommand: (request) => runCommand({ ...request, sessions }),
    hostFacts: () => host.get(),
    // Asked first, so an engine that is down fails every server op with the engine's own sentence.
    operations: async () => {
      const ready = await connected();
      await ready.engine.ping();
      return createOperations(ready);
    },
    installDir: options.installDir,
    terminals: new RemoteTerminals(),
    runs: async () => {
      const { connectRunEngine } = await import('../../docker/run-containers.js');
      return connectRunEngine();
    },
    secrets: createSecretRedactor({ installDir: options.installDir, roots: options.roots, env: process.env, sessionFile: sessionFilePath() }),
  };
}

