import type { Approval } from '../protocol/approvals.js';
import type { AuditRecord } from './audit-record.js';
import type { DeviceRecord } from './device-store.js';
import type { RelayLinkState } from './relay-link/relay-link-state.js';

export interface AgentOptions {
  stateDir: string;
  /** Absolute, as given; resolved (symlinks followed) by the file operations. */
  roots: string[];
  fullAccess: boolean;
  safetyMode: boolean;
  name: string;
  listen: { host: string; port: number };
  /** The install whose stack the server operations manage. */
  installDir: string;
  /** How long a change waits for a decision; default: the approval-timeout setting (readSettingsFile). */
  approvalTimeoutSeconds?: number;
  /** A device someone else made the key for (the unattended start's key file): added, or reused by its public key, before the agent listens. */
  device?: { name: string; role: DeviceRecord['role']; publicKey: string };
  /**
   * Relay mode (`--relay URL`): besides its own listener, the agent keeps one outbound WebSocket
   * to this relay, and device links carry the relay's URL instead of the listener's.
   */
  relay?: { url: string };
}

export interface DeviceState {
  id: string;
  name: string;
  role: DeviceRecord['role'];
  created: string;
  revoked?: string;
  /** An approver that sees secrets as they are (added with --raw-secrets). */
  rawSecrets?: boolean;
  /** Open sessions right now. */
  connected: number;
}

/** What `remote-access status` shows (and --json prints). */
export interface AgentStatus {
  running: boolean;
  name?: string;
  pid?: number;
  url?: string;
  agentId?: string;
  roots?: string[];
  fullAccess?: boolean;
  safetyMode?: boolean;
  startedAt?: string;
  installDir?: string;
  devices: DeviceState[];
  /** Requests served since start (running), or records in the audit log (not running). */
  requests: number;
  stateDir: string;
  /** Relay mode: the link to the relay right now. */
  relay?: RelayLinkState;
}

/** What the agent tells its face while it runs (the Ink view and the stderr lines render these). */
export type AgentEvent =
  /** `device`: the one of AgentOptions.device, as added or found. */
  | { type: 'listening'; status: AgentStatus; device?: DeviceState }
  | { type: 'request'; record: AuditRecord }
  | { type: 'connected'; device: { id: string; name: string }; sessions: number }
  | { type: 'disconnected'; device: { id: string; name: string }; sessions: number; reason: string }
  | { type: 'refused-connection'; reason: string }
  | { type: 'device-added'; device: DeviceState }
  | { type: 'device-revoked'; device: DeviceState }
  | { type: 'stopping'; reason: string }
  /** An approval was asked for, or decided, expired, was cancelled. */
  | { type: 'approval'; approval: Approval }
  /** Relay mode: the link to the relay connected, dropped (reconnecting in N s) or was refused. */
  | { type: 'relay'; relay: RelayLinkState };

export type AgentEventSink = (event: AgentEvent) => void;
