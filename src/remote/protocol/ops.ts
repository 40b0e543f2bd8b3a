import * as z from 'zod';
import { approvalDecisionSchema, approvalSchema } from './approvals.js';
import { auditLineSchema } from './audit-line.js';
import { hostFactsSchema } from './host-facts.js';
import { TERMINAL_SIGNALS } from '../../core/terminals/terminal-signals.js';

/**
 * Every operation a client may request: its args, its result, and what its events look like.
 * The agent validates args with these before a handler runs; the SDK validates results.
 */
const path = z.string().min(1).max(4096);
const fileType = z.enum(['file', 'directory', 'symlink', 'other']);
export const fileEntrySchema = z.object({ name: z.string(), type: fileType, size: z.number(), mode: z.number(), mtimeMs: z.number() });
export const fileInfoSchema = fileEntrySchema.extend({ path: z.string(), version: z.string() });
const srcDst = z.object({ src: path, dst: path, overwrite: z.boolean().optional() });
const srcDstResult = z.object({ src: z.string(), dst: z.string() });

const commandRisk = z.object({ risk: z.enum(['read', 'change', 'destructive']), reasons: z.array(z.string()), category: z.string() });
export const execResultSchema = z.object({
  exitCode: z.number().nullable(),
  signal: z.string().optional(),
  timedOut: z.boolean(),
  durationMs: z.number(),
  stdout: z.string(),
  stderr: z.string(),
  truncated: z.object({ stdout: z.boolean(), stderr: z.boolean() }),
  risk: commandRisk,
  analysis: z.object({ lines: z.number(), looksLike: z.enum(['json', 'table', 'errors', 'text', 'empty']) }),
  cwd: z.string(),
});
export const approvalEventSchema = z.object({ type: z.literal('approval'), approval: approvalSchema });
/** What a request that waits for an approval emits once, before anyone can decide it (the SDK hands it to onApproval). */
export const approvalNoticeSchema = z.object({ approval: z.object({ id: z.string(), headline: z.string(), expiresAt: z.string() }) });
export const execOutputSchema = z.object({ stream: z.enum(['stdout', 'stderr']), text: z.string() });

/** undo.*: the agent's undo journal (src/core/files/undo-journal.ts); see docs/remote-protocol.md "Undo". */
const undoActor = z.object({ id: z.string(), name: z.string() });
export const undoEntrySchema = z.object({
  id: z.string(),
  time: z.string(),
  device: undoActor,
  op: z.enum(['write', 'copy', 'move', 'remove', 'mkdir']),
  path: z.string(),
  from: z.string().optional(),
  before: z.union([
    z.object({ exists: z.literal(false) }),
    z.object({ exists: z.literal(true), type: fileType, mode: z.number(), files: z.number(), bytes: z.number() }),
  ]),
  after: z.string().optional(),
  bytes: z.number(),
  state: z.enum(['pending', 'done', 'undone']),
  undone: z.object({ time: z.string(), device: undoActor, restored: z.array(z.string()) }).optional(),
});
export const undoResultSchema = z.object({ id: z.string(), op: z.string(), message: z.string(), restored: z.array(z.string()), beside: z.string().optional(), keptBytes: z.number() });

/** terminal.*: interactive shells on the server (src/core/terminals); see docs/remote-protocol.md "Terminals". */
const terminalId = z.string().min(1).max(64);
const terminalSize = { cols: z.number().int().min(1).max(1000), rows: z.number().int().min(1).max(1000) };
export const terminalExitSchema = z.object({ exitCode: z.number().nullable(), signal: z.string().optional() });
export const terminalInfoSchema = z.object({
  id: z.string(),
  shell: z.string(),
  cwd: z.string(),
  cols: z.number(),
  rows: z.number(),
  startedAt: z.string(),
  /** The device that opened it: the only one that may type into it. */
  device: z.object({ id: z.string(), name: z.string() }),
  /** Devices reading its output now. */
  attached: z.array(z.string()),
  /** Bytes of output so far: the offset of the next byte. */
  outputBytes: z.number(),
  /** The name of its recording (`openmates remote-access recordings`). */
  recording: z.string().optional(),
  exit: terminalExitSchema.optional(),
});
/** terminal.attach's events: `start` once (output follows from byte `seq`; `missed` bytes were no longer kept), `size` on every resize. */
export const terminalEventSchema = z.discriminatedUnion('type', [
  z.object({ type: z.literal('start'), seq: z.number(), missed: z.number(), cols: z.number(), rows: z.number() }),
  z.object({ type: z.literal('size'), cols: z.number(), rows: z.number() }),
]);

/** runs.*: isolated runs (src/core/runs): a command from a git repository in a throw-away container. */
export const runInfoSchema = z.object({
  id: z.string(),
  command: z.array(z.string()),
  repo: z.string(),
  branch: z.string(),
  image: z.string(),
  status: z.enum(['created', 'running', 'succeeded', 'failed', 'cancelled', 'timed out']),
  createdAt: z.string(),
  startedAt: z.string().optional(),
  finishedAt: z.string().optional(),
  durationMs: z.number().optional(),
  exitCode: z.number().optional(),
  deadline: z.string(),
  network: z.enum(['none', 'bridge']),
  envNames: z.array(z.string()),
});
const runId = z.string().min(1).max(64);

/** Server operations carry the core's own result and event types (src/core); the wire checks only that they are objects. */
const coreObject = z.looseObject({});
const noArgs = z.object({});

export const OPS = {
  host: { args: noArgs, result: hostFactsSchema },
  /** Who this agent is: its name (as devices see it) and whether safety mode is on. */
  'agent.info': { args: noArgs, result: z.object({ name: z.string(), safetyMode: z.boolean() }) },
  'files.list': {
    args: z.object({ path, offset: z.number().int().min(0).optional(), limit: z.number().int().min(1).max(10_000).optional() }),
    result: z.object({ path: z.string(), entries: z.array(fileEntrySchema), total: z.number(), nextOffset: z.number().optional() }),
  },
  'files.stat': { args: z.object({ path }), result: fileInfoSchema },
  'files.read': {
    args: z.object({ path, maxBytes: z.number().int().min(0).optional() }),
    result: z.object({ path: z.string(), size: z.number(), version: z.string(), redactedEnv: z.boolean() }),
  },
  'files.write': {
    // size: what the caller means to send, when it knows (an approval can show it); the upload's end decides.
    args: z.object({ path, expectedVersion: z.string().nullable().optional(), size: z.number().int().min(0).optional() }),
    result: z.object({ path: z.string(), version: z.string(), bytes: z.number() }),
  },
  'files.mkdir': { args: z.object({ path, parents: z.boolean().optional() }), result: z.object({ path: z.string() }) },
  'files.copy': { args: srcDst, result: srcDstResult },
  'files.move': { args: srcDst, result: srcDstResult },
  'files.remove': {
    args: z.object({ path, recursive: z.boolean().optional() }),
    result: z.object({ path: z.string(), files: z.number(), bytes: z.number() }),
  },
  'files.search': {
    args: z.object({ text: z.string().min(1).max(1024), in: path.optional(), limit: z.number().int().min(1).max(10_000).optional() }),
    result: z.object({
      matches: z.array(z.object({ path: z.string(), kind: z.enum(['name', 'content']), line: z.number().optional(), text: z.string().optional() })),
      truncated: z.boolean(),
    }),
  },
  exec: {
    args: z.object({
      command: z.string().min(1).max(64 * 1024),
      cwd: path.optional(),
      env: z.record(z.string(), z.string()).optional(),
      timeoutSeconds: z.number().positive().max(24 * 3600).optional(),
      session: z.string().min(1).max(128).optional(),
    }),
    result: execResultSchema,
  },
  // Terminals: create opens a shell (a change: in safety mode it waits for an approval); attach streams its output
  // as chunks from byte `after` until the shell exits (the result) or the call is cancelled; only the device that
  // opened it may write, resize, signal or close it; anyone may list, attach or read its history.
  'terminal.create': {
    args: z.object({ shell: path.optional(), cwd: path.optional(), ...terminalSize }),
    result: terminalInfoSchema,
  },
  'terminal.list': { args: noArgs, result: z.object({ terminals: z.array(terminalInfoSchema) }) },
  'terminal.attach': {
    args: z.object({ id: terminalId, after: z.number().int().min(0).optional() }),
    result: z.object({ id: z.string(), outputBytes: z.number(), exit: terminalExitSchema }),
  },
  /** The kept scrollback as chunks (at most maxBytes, the newest); `seq`: the offset of its first byte. */
  'terminal.history': {
    args: z.object({ id: terminalId, maxBytes: z.number().int().min(0).optional() }),
    result: z.object({ id: z.string(), seq: z.number(), bytes: z.number() }),
  },
  /** Keystrokes or a paste (UTF-8 text as typed; control keys as their bytes, e.g. \u0003 for Ctrl-C). */
  'terminal.write': { args: z.object({ id: terminalId, data: z.string().min(1).max(64 * 1024) }), result: z.object({}) },
  'terminal.resize': { args: z.object({ id: terminalId, ...terminalSize }), result: z.object({}) },
  /** To the programs in the terminal's foreground (its running job, or the shell). */
  'terminal.signal': { args: z.object({ id: terminalId, signal: z.enum(TERMINAL_SIGNALS) }), result: z.object({}) },
  /** Hangs the shell up (KILL after 2 s); the result is the terminal as it ended. */
  'terminal.close': { args: z.object({ id: terminalId }), result: terminalInfoSchema },
  // Runs: create starts one (events: the core's progress) and answers at once; logs streams its output
  // (events {stream, text}) from its start, with follow until it ends. In safety mode only a run with
  // network access waits for an approval (a run never has host mounts).
  'runs.create': {
    args: z.object({
      command: z.array(z.string().min(1).max(64 * 1024)).min(1).max(1000),
      repo: z.string().min(1).max(4096),
      branch: z.string().min(1).max(255),
      image: z.string().min(1).max(512),
      env: z.record(z.string().regex(/^[A-Za-z_][A-Za-z0-9_]*$/), z.string()).optional(),
      timeoutSeconds: z.number().int().positive().max(7 * 24 * 3600).optional(),
      cpus: z.number().positive().max(256).optional(),
      memoryBytes: z.number().int().min(6 * 1024 * 1024).optional(),
      network: z.enum(['none', 'bridge']).optional(),
    }),
    result: runInfoSchema,
  },
  'runs.list': { args: z.object({ all: z.boolean().optional() }), result: z.object({ runs: z.array(runInfoSchema) }) },
  'runs.status': { args: z.object({ id: runId }), result: runInfoSchema },
  'runs.logs': { args: z.object({ id: runId, follow: z.boolean().optional() }), result: runInfoSchema },
  'runs.cancel': { args: z.object({ id: runId }), result: runInfoSchema },
  'server.status': { args: noArgs, result: coreObject },
  'server.logs': {
    args: z.object({ follow: z.boolean().optional(), services: z.array(z.string()).optional(), tail: z.number().int().min(0).optional() }),
    result: coreObject,
  },
  'server.start': { args: z.object({ clearCache: z.boolean().optional() }), result: coreObject },
  'server.stop': { args: z.object({ clearCache: z.boolean().optional() }), result: coreObject },
  'server.restart': { args: z.object({ clearCache: z.boolean().optional() }), result: coreObject },
  'server.update': { args: z.object({ to: z.string().optional() }), result: coreObject },
  // Undo (UNDO): the recent file changes, newest first; putting one back ('conflict' when changed since, force writes beside).
  // limit: default 100, at most 1000 (an answer must fit one sealed frame).
  'undo.list': { args: z.object({ limit: z.number().int().min(1).max(1000).optional() }), result: z.object({ entries: z.array(undoEntrySchema) }) },
  'undo.apply': { args: z.object({ id: z.string().min(1).max(64), force: z.boolean().optional() }), result: undoResultSchema },

  // The recent activity: the newest audit records first, redacted for every device; a read, it never waits.
  // limit: default 50, at most 500; before: only records older than this seq (the next page). more: older ones exist.
  'audit.recent': {
    args: z.object({ limit: z.number().int().min(1).max(500).optional(), before: z.number().int().min(1).optional() }),
    result: z.object({ records: z.array(auditLineSchema), more: z.boolean() }),
  },

  // Approvals (safety mode): approver devices only, an operator gets 'refused'. See docs/remote-protocol.md, "Approvals".
  /** Pending approvals first, then the recently decided ones. */
  'approvals.list': { args: noArgs, result: z.object({ approvals: z.array(approvalSchema) }) },
  /** A decision bound to the approval's id and hash; answers the Approval as decided. */
  'approvals.decide': { args: approvalDecisionSchema, result: approvalSchema },
  /** Events `{type: 'approval', approval}`: every pending one first, then each new or changed one, until cancelled. */
  'approvals.watch': { args: noArgs, result: z.object({ ended: z.literal(true) }) },
} as const satisfies Record<string, { args: z.ZodType; result: z.ZodType }>;

export type OpName = keyof typeof OPS;

/**
 * Calls whose events outlive a dropped connection: the agent numbers their events and keeps them
 * for a while, so the same device can resume them (docs/remote-protocol.md, "Resuming streams").
 * They stream events only, never chunks.
 */
export const RESUMABLE_OPS: ReadonlySet<OpName> = new Set<OpName>(['exec', 'server.logs', 'approvals.watch', 'runs.logs']);
export type OpArgs<O extends OpName> = z.infer<(typeof OPS)[O]['args']>;
export type OpResult<O extends OpName> = z.infer<(typeof OPS)[O]['result']>;
export const OP_NAMES = Object.keys(OPS) as OpName[];

export function isOpName(name: string): name is OpName {
  return Object.hasOwn(OPS, name);
}

export type FileEntry = z.infer<typeof fileEntrySchema>;
export type FileInfo = z.infer<typeof fileInfoSchema>;
export type ExecResult = z.infer<typeof execResultSchema>;
export type ExecOutput = z.infer<typeof execOutputSchema>;
export type UndoEntryInfo = z.infer<typeof undoEntrySchema>;
export type UndoResultInfo = z.infer<typeof undoResultSchema>;
export type ApprovalNotice = z.infer<typeof approvalNoticeSchema>['approval'];
export type ApprovalEvent = z.infer<typeof approvalEventSchema>;
export type AuditRecent = OpResult<'audit.recent'>;
export type RunInfoWire = z.infer<typeof runInfoSchema>;
export type TerminalInfoWire = z.infer<typeof terminalInfoSchema>;
export type TerminalExitWire = z.infer<typeof terminalExitSchema>;
export type TerminalEvent = z.infer<typeof terminalEventSchema>;
export type TerminalSignalName = (typeof TERMINAL_SIGNALS)[number];
