import { OpenmatesError } from '../../core/errors.js';
import { openSettings, readSettingsFile } from '../../core/settings.js';
import type { AgentEvent, AgentEventSink } from '../../remote/agent/agent-types.js';
import { createAgentServices } from '../../remote/agent/create-services.js';
import { rpcServeSession } from '../../remote/agent/serve-session.js';
import { startAgent } from '../../remote/agent/start-agent.js';
import { remoteStateDir } from '../../remote/agent/state-dir.js';
import { askYesNo } from '../ask.js';
import { installDirOf, type CliContext } from '../context.js';
import { color } from '../format.js';
import { writeJsonLine } from '../render/json-lines.js';
import { agentEventLine } from '../render/agent-lines.js';
import { readyLine } from '../../remote/agent/ready-line.js';
import { readDeviceKeyFile } from '../../remote/agent/device-key-file.js';
import type { RemoteAccessStartOptions } from './remote-access-start.command.js';

export const PRODUCTION_QUESTION = 'Is this a production server? Or would it be very bad if data were deleted by accident?';

/** `openmates remote-access start`: the agent in the foreground until Ctrl-C, SIGTERM or `remote-access stop`. */
export async function remoteAccessStartCommand(options: RemoteAccessStartOptions, context: CliContext): Promise<number> {
  // Read once, before anything starts: a bad file starts nothing, and the file may go right after.
  const device = options.deviceKeyFile !== undefined ? await readDeviceKeyFile(options.deviceKeyFile) : undefined;
  const safetyMode = options.devServer ? false : await safetyModeSetting(context);
  const interactive = !options.json && context.stdout.isTTY === true && process.stdin.isTTY === true;
  if (options.fullAccess) context.stderr.write(color.red(color.bold('\n  FULL ACCESS: the WHOLE MACHINE is shared (every file this user can read or write, every command).\n\n')));
  const stateDir = remoteStateDir();
  const services = createAgentServices({ roots: options.roots, fullAccess: options.fullAccess, installDir: installDirOf(options), stateDir, connect: context.deps });
  const view = interactive ? await startView(stateDir) : undefined;
  const sink: AgentEventSink = view ? view.sink : options.json ? jsonSink(context, options.relay !== undefined) : (event) => context.stderr.write(`${agentEventLine(event)}\n`);
  let agent;
  try {
    agent = await startAgent(
      { stateDir, roots: options.roots, fullAccess: options.fullAccess, safetyMode, name: options.name, listen: options.listen, installDir: installDirOf(options), ...(device ? { device } : {}), ...(options.relay ? { relay: options.relay } : {}) },
      services,
      rpcServeSession(services.hostFacts),
      sink,
    );
  } catch (error) {
    view?.close();
    throw error;
  }
  const running = agent;
  const stop = () => void running.stop('stopped by a signal');
  context.signal.addEventListener('abort', stop, { once: true });
  view?.onQuit(() => void running.stop('stopped from its screen'));
  await running.stopped;
  view?.close();
  context.signal.removeEventListener('abort', stop);
  return 0;
}

/**
 * JSON lines; the first is the ready line. With --relay it waits until the relay has accepted
 * the agent (the line carries the relay's public URL, which the link needs), and what happened
 * before is printed right after it.
 */
function jsonSink(context: CliContext, relayConfigured: boolean): AgentEventSink {
  let listening: Extract<AgentEvent, { type: 'listening' }> | undefined;
  let ready = false;
  const held: AgentEvent[] = [];
  const flush = (relayUrl: string | undefined) => {
    ready = true;
    writeJsonLine(context.stdout, readyLine(listening!.status, relayUrl, listening!.device));
    for (const event of held.splice(0)) writeJsonLine(context.stdout, event);
  };
  return (event) => {
    if (event.type === 'listening') listening = event;
    if (ready) return writeJsonLine(context.stdout, event);
    if (held.length < 1000) held.push(event);
    if (!listening) return;
    if (!relayConfigured) return flush(undefined);
    if (event.type === 'relay' && event.relay.state === 'connected') flush(event.relay.publicUrl ?? event.relay.url);
    else if (event.type === 'listening' && listening.status.relay?.state === 'connected') flush(listening.status.relay.publicUrl ?? listening.status.relay.url);
  };
}

/** The agent's screen; its approvals and devices go over the agent's own control socket, so the app and this screen decide alike. */
async function startView(stateDir: string) {
  const [{ startRemoteView }, { controlSocketApprovals }, { stateDirDevices }] = await Promise.all([
    import('../../screens/remote/run-remote-view.js'),
    import('../../remote/agent/control-approvals.js'),
    import('../../screens/remote/devices-source.js'),
  ]);
  return startRemoteView(controlSocketApprovals({ stateDir }), stateDirDevices(stateDir));
}

/** The stored answer; asked once on a terminal; without one, an error naming both ways to answer. */
async function safetyModeSetting(context: CliContext): Promise<boolean> {
  let stored: boolean | undefined;
  try {
    stored = (await readSettingsFile()).safetyMode;
  } catch {
    return true; // a settings file we cannot read: when in doubt, safe
  }
  if (stored !== undefined) return stored;
  if (!process.stdin.isTTY) {
    throw new OpenmatesError(
      'needs-answer',
      'Safety mode is not set on this machine, and there is no terminal to ask whether this is a production server.',
      'Run `openmates config set safety-mode on|off` once (on: every change waits for a person\'s approval), or pass --dev-server to run this session without it.',
    );
  }
  const production = await askYesNo({ text: PRODUCTION_QUESTION, flag: '--dev-server', defaultYes: true }, context.signal);
  (await openSettings()).update({ safetyMode: production });
  context.stderr.write(`Safety mode is ${production ? 'on' : 'off'} (change it with \`openmates config set safety-mode on|off\`).\n`);
  return production;
}
