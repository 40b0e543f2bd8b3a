import { userInfo } from 'node:os';
import { join } from 'node:path';
import { WebSocketServer } from 'ws';
import { OpenmatesError, messageOf } from '../../core/errors.js';
import { readSettingsFile } from '../../core/settings.js';
import { settingsSchema } from '../../core/settings-schema.js';
import { acceptChannel } from '../channel/accept.js';
import type { ChannelSession } from '../channel/session.js';
import { LIMITS } from '../protocol/limits.js';
import type { AgentEventSink, AgentOptions, AgentStatus, DeviceState } from './agent-types.js';
import type { AuditRecord } from './audit-record.js';
import { openAuditLog } from './audit-log.js';
import { askAgent } from './control-client.js';
import { controlSocketPath } from './control-path.js';
import { startControlServer } from './control-server.js';
import { listenHttp } from './http-listener.js';
import { openDeviceStore, type DeviceRecord } from './device-store.js';
import { approvalAuditEntry } from './approvals/approval-audit.js';
import { ApprovalStore } from './approvals/approval-store.js';
import { guardHandlers } from './guard.js';
import { terminalEndedEntry } from './terminal-audit.js';
import { openAgentRecordings } from './recordings/index.js';
import { approvalHandlers } from './ops/approval-handlers.js';
import { auditHandlers } from './ops/audit-handlers.js';
import { agentHandlers } from './handlers.js';
import { loadOrCreateIdentity } from './identity-store.js';
import { applyLocalUndo } from './local-undo.js';
import { redactHandlers } from './redact-handlers.js';
import { redactingAuditLog } from './redacting-audit-log.js';
import type { Handler } from './ops/handler-types.js';
import type { AgentServices } from './services.js';
import { SessionRegistry } from './session-registry.js';
import { startRelayLink, type RelayLink } from './relay-link/relay-link.js';
import type { FrameTransport } from '../channel/transport.js';
import type { WebSocket } from 'ws';
import { STATE_FILES, ensurePrivateDir, writePrivateFile } from './state-dir.js';
import type { Approval, ApprovalDecision } from '../protocol/approvals.js';
import type { OpName } from '../protocol/ops.js';
import type { RejectedRequest } from '../rpc/serve.js';
import { ResumableStreams } from '../rpc/resume/resumable-streams.js';

async function approvalTimeoutSetting(): Promise<number> {
  try {
    return (await readSettingsFile()).approvalTimeoutSeconds;
  } catch {
    return settingsSchema.parse({}).approvalTimeoutSeconds; // an unreadable settings file: the default
  }
}

/** Lets the responses of calls that just ended reach the sockets before the sessions close. */
async function flushResponses(): Promise<void> {
  for (let i = 0; i < 3; i++) await new Promise<void>((resolve) => setImmediate(resolve));
}

async function drainedSockets(server: WebSocketServer, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while ([...server.clients].some((client) => client.bufferedAmount > 0) && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 10));
}

/** Serves one authenticated session with the agent's handlers (the RPC layer's serveRpc). */
export type ServeSession = (session: ChannelSession, handlers: Record<OpName, Handler>, onRejected: (rejection: RejectedRequest) => void, streams: ResumableStreams) => void;

export interface RunningAgent {
  status(): AgentStatus;
  /** For the agent's own screen (in the same process): what waits, and a person's decision on it (`via: 'app'`). */
  approvals: {
    list(): Approval[];
    decide(decision: ApprovalDecision): Promise<Approval>;
  };
  stop(reason: string): Promise<void>;
  /** Resolves once the agent has stopped (by stop(), or a `remote-access stop`). */
  stopped: Promise<void>;
}

/**
 * Starts the agent: its identity and state, the WebSocket listener (sealed channel + RPC), the
 * control socket. Events go to `sink`; nothing here writes to a terminal.
 */
export async function startAgent(options: AgentOptions, services: AgentServices, serve: ServeSession, sink: AgentEventSink): Promise<RunningAgent> {
  await ensurePrivateDir(options.stateDir);
  const socket = controlSocketPath(options.stateDir);
  const already = (await askAgent(socket.path, { op: 'status' }).catch(() => undefined)) as AgentStatus | undefined;
  if (already?.running) {
    throw new OpenmatesError('usage', `A remote-access agent runs already (pid ${already.pid}, ${already.url}).`, 'Stop it first with `openmates remote-access stop`.');
  }
  const { identity, agentId } = await loadOrCreateIdentity(options.stateDir);
  const devices = await openDeviceStore(options.stateDir);
  const adopted = options.device && (await devices.adopt(options.device.name, options.device.role, options.device.publicKey));
  // Secrets reach the audit log as tokens only, whoever sent them.
  const audit = redactingAuditLog(await openAuditLog(options.stateDir), services.secrets);
  const sessions = new SessionRegistry();
  // Command output, followed logs and approval watches that outlive a dropped connection, for a resume.
  const streams = new ResumableStreams();
  const startedAt = new Date().toISOString();
  let requests = 0;
  const onRecord = (record: AuditRecord) => {
    requests++;
    sink({ type: 'request', record });
  };
  const approvals = new ApprovalStore({
    timeoutMs: (options.approvalTimeoutSeconds ?? (await approvalTimeoutSetting())) * 1000,
    onAudit: async (event) => onRecord(await audit.append(approvalAuditEntry(event))),
    onChange: (approval) => sink({ type: 'approval', approval }),
  });
  sessions.onDeviceGone((deviceId) => approvals.deviceGone(deviceId));
  // Every terminal is recorded (asciicast v2 in the state dir), redacted for devices that must not see secrets.
  const recordings = openAgentRecordings(options.stateDir);
  void recordings.prune().catch(() => undefined);
  services.terminals.hooks.record = (session, owner) => recordings.start(session, { device: { id: owner.id, name: owner.name }, ...(owner.seesSecrets ? {} : { redactor: services.secrets }) }).name;
  services.terminals.hooks.ended = (info, exit, owner) => void audit.append(terminalEndedEntry(info, exit, owner.role)).then(onRecord, () => {});
  // Outermost first: the guard (policy, approvals, audit) → the redaction layer → the core handlers.
  // audit.recent redacts its answer itself, for every device (ops/audit-handlers.ts).
  const own = { ...approvalHandlers(approvals), ...auditHandlers(audit.path, (text) => services.secrets.redact(text)), 'agent.info': async () => ({ name: options.name, safetyMode: options.safetyMode }) };
  // Terminal viewers: a stop waits (briefly) until each has heard that its terminal ended.
  const watching = new Set<Promise<unknown>>();
  const handlers = guardHandlers({ ...redactHandlers(agentHandlers(services), services.secrets), ...own } as unknown as Record<OpName, Handler>, {
    safetyMode: () => options.safetyMode,
    classifyCommand: services.classifyCommand,
    audit,
    installDir: options.installDir,
    approvals: { store: approvals, services, redact: (text) => services.secrets.redact(text), spillDir: options.stateDir },
    onRecord,
    onCall: (op, done) => {
      if (op !== 'terminal.attach') return;
      watching.add(done);
      void done.catch(() => undefined).finally(() => watching.delete(done));
    },
  });
  const person = `${userInfo().username} on this server`;
  const decideAsPerson = (decision: ApprovalDecision, via: 'cli' | 'app') => approvals.decide(decision, { via, name: `${person} (${via === 'cli' ? 'openmates remote-access' : 'the openmates app'})` });
  // Requests the RPC layer refuses before a handler runs (unknown op, bad arguments) are audited too.
  const auditRejected = (device: ChannelSession['device']) => (rejection: RejectedRequest) => {
    void audit
      .append({ device: { id: device.id, name: device.name }, role: device.role, op: rejection.op, target: '', decision: 'refused', reason: rejection.reason, result: 'error', code: 'usage', bytes: 0, durationMs: 0 })
      .then(onRecord, () => {});
  };

  // noServer: the HTTP listener (the web page) hands its upgrades over; clients are still tracked here.
  const server = new WebSocketServer({ noServer: true, maxPayload: LIMITS.maxFrameBytes + 1024 });
  const http = await listenHttp(options.listen.host, options.listen.port, server).catch(async (error: unknown) => {
    await audit.close();
    throw error;
  });
  const port = http.port;
  const url = `http://${options.listen.host.includes(':') ? `[${options.listen.host}]` : options.listen.host}:${port}/`;

  const deviceState = (device: DeviceRecord): DeviceState => ({
    id: device.id,
    name: device.name,
    role: device.role,
    created: device.created,
    ...(device.revoked ? { revoked: device.revoked } : {}),
    ...(device.rawSecrets ? { rawSecrets: true } : {}),
    connected: sessions.connected(device.id),
  });
  const status = (): AgentStatus => ({
    running: true,
    name: options.name,
    pid: process.pid,
    url,
    agentId,
    roots: options.roots,
    fullAccess: options.fullAccess,
    safetyMode: options.safetyMode,
    startedAt,
    installDir: options.installDir,
    devices: devices.list().map(deviceState),
    requests,
    stateDir: options.stateDir,
    ...(relay ? { relay: relay.state() } : {}),
  });

  // One client, direct (a WebSocket on the listener) or through the relay (a virtual socket).
  const serveConnection = (socket: WebSocket | FrameTransport) => {
    acceptChannel(socket, {
      identity,
      lookupDevice: (id) => {
        const device = devices.find(id);
        return device && { publicKey: device.publicKey, name: device.name, role: device.role, ...(device.revoked ? { revoked: true } : {}), ...(device.rawSecrets ? { rawSecrets: true } : {}) };
      },
    }).then(
      (session) => {
        // A revocation between the lookup and here must still win.
        if (devices.find(session.deviceId)?.revoked) return session.close('device revoked');
        sessions.add(session);
        const device = { id: session.deviceId, name: session.device.name };
        sink({ type: 'connected', device, sessions: sessions.connected(session.deviceId) });
        session.onClose((info) => sink({ type: 'disconnected', device, sessions: sessions.connected(session.deviceId), reason: info.reason }));
        try {
          serve(session, handlers, auditRejected(session.device), streams);
        } catch (error) {
          session.close(`internal error: ${messageOf(error)}`);
        }
      },
      (error: unknown) => sink({ type: 'refused-connection', reason: messageOf(error) }),
    );
  };
  server.on('connection', (webSocket) => {
    webSocket.on('error', () => {});
    serveConnection(webSocket);
  });
  const agentFile = join(options.stateDir, STATE_FILES.agent);
  const writeAgentFile = () => writePrivateFile(agentFile, `${JSON.stringify({ pid: process.pid, url: linkUrl(), socket: control.path, startedAt, name: options.name })}\n`);
  // Links name the relay's public URL once it told us, else the URL given to --relay.
  let relayPublicUrl: string | undefined;
  const linkUrl = () => (options.relay ? (relayPublicUrl ?? options.relay.url) : url);
  let controlReady = false;
  let relay: RelayLink | undefined;
  if (options.relay) {
    relay = startRelayLink({
      url: options.relay.url,
      identity,
      onClient: serveConnection,
      onState: (state) => {
        sink({ type: 'relay', relay: state });
        if (state.publicUrl !== undefined && state.publicUrl !== relayPublicUrl) {
          relayPublicUrl = state.publicUrl;
          if (controlReady) void writeAgentFile().catch(() => {});
        }
      },
    });
  }

  let resolveStopped!: () => void;
  const stopped = new Promise<void>((resolve) => (resolveStopped = resolve));
  let stopping: Promise<void> | undefined;
  const stop = (reason: string) =>
    (stopping ??= (async () => {
      sink({ type: 'stopping', reason });
      // Pending approvals are denied (and audited) first, so their callers hear why before the sessions close.
      await approvals.stopAll('the agent stopped');
      // Terminals end too (their shells are hung up), and their viewers hear why before the sessions close.
      services.terminals.stopAll(new OpenmatesError('interrupted', 'The remote-access agent stopped, and its terminals ended with it.', 'open a new terminal once the agent is running again'));
      await Promise.race([Promise.allSettled([...watching]), new Promise((resolve) => setTimeout(resolve, 1000))]);
      await recordings.stopAll();
      await flushResponses();
      await sessions.drained(1000);
      sessions.closeAll('agent stopped');
      streams.stopAll(new OpenmatesError('interrupted', 'The agent stopped.'));
      // The close frames too: a socket terminated with data still queued would lose the denials just sent.
      await drainedSockets(server, 500);
      await relay?.stop();
      for (const client of server.clients) client.terminate();
      await new Promise<void>((resolve) => server.close(() => resolve()));
      await http.close();
      await control.close();
      await audit.close();
      resolveStopped();
    })());

  const control = await startControlServer(socket, async (request) => {
    switch (request.op) {
      case 'status':
        return status();
      case 'stop':
        setImmediate(() => void stop('stopped by `openmates remote-access stop`'));
        return { stopping: true };
      case 'devices':
        return status().devices;
      case 'devices.add': {
        const added = await devices.add(request.name, request.role, { rawSecrets: request.rawSecrets === true });
        const state = deviceState(added.device);
        sink({ type: 'device-added', device: state });
        return { device: state, seed: added.seed, agentId, url: linkUrl() };
      }
      case 'devices.revoke': {
        const revoked = await devices.revoke(request.name);
        const refusal = new OpenmatesError('device-refused', `The device "${revoked.name}" was revoked.`, 'add the device again with `openmates remote-access devices add NAME` and use its new link');
        sessions.refuseDevice(revoked.id, refusal);
        streams.stopAll(refusal, revoked.id);
        const state = deviceState(revoked);
        sink({ type: 'device-revoked', device: state });
        return { device: state };
      }
      case 'undo.list':
        return services.undo.list(request.limit);
      case 'undo.apply':
        return applyLocalUndo(services.undo, audit, request, onRecord);
      case 'approvals':
        return approvals.list();
      case 'approvals.decide':
        return decideAsPerson(request.decision, request.via);
    }
  });
  // Kept after a stop: links added while the agent is stopped point at the last address.
  controlReady = true;
  await writeAgentFile();
  sink({ type: 'listening', status: status(), ...(adopted ? { device: deviceState(adopted) } : {}) });
  return { status, stop, stopped, approvals: { list: () => approvals.list(), decide: (decision) => decideAsPerson(decision, 'app') } };
}
