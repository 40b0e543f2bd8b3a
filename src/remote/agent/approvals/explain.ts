import { OpenmatesError } from '../../../core/errors.js';
import type { Approval } from '../../protocol/approvals.js';
import type { OpName } from '../../protocol/ops.js';
import { requestHash } from './approval-hash.js';
import type { ApprovalDraft } from './approval-store.js';
import { explainCommand } from './explain-command.js';
import { explainDelete, explainMkdir, explainMoveOrCopy } from './explain-files.js';
import { explainService } from './explain-service.js';
import type { Explanation, ExplainServices } from './explain-types.js';
import { explainWrite } from './explain-write.js';
import { explainTerminal } from './explain-terminal.js';
import { explainRun } from './explain-run.js';
import { terminalTarget } from '../terminal-target.js';
import type { BufferedUpload } from './upload-buffer.js';

export type Redact = (text: string) => string;
export const identityRedact: Redact = (text) => text;

export interface ExplainRequest {
  op: OpName;
  args: Record<string, unknown>;
  device: Approval['device'];
  /** files.write: the upload, buffered. */
  upload?: BufferedUpload;
  signal: AbortSignal;
}

/** Turns a change into what a person reads before deciding (every text through `redact`), and the hash a decision must name. */
export async function explainRequest(request: ExplainRequest, services: ExplainServices, redact: Redact): Promise<{ draft: ApprovalDraft; baseVersion?: string | null; nothingToDo?: boolean }> {
  const explanation = await explain(request, services);
  const { scope, baseVersion, nothingToDo, ...shown } = explanation;
  const redacted = redactTexts(shown, redact);
  return {
    draft: {
      ...redacted,
      op: request.op,
      device: request.device,
      hash: requestHash(request.op, request.args, request.upload?.sha256),
      scope: { ...scope, deviceId: request.device.id } as ApprovalDraft['scope'],
    },
    ...(baseVersion !== undefined ? { baseVersion } : {}),
    ...(nothingToDo ? { nothingToDo } : {}),
  };
}

function explain(request: ExplainRequest, services: ExplainServices): Promise<Explanation> {
  const args = request.args as never;
  switch (request.op) {
    case 'files.write':
      if (!request.upload) throw new OpenmatesError('usage', 'A write needs its upload before it can be explained.');
      return explainWrite(services.files, args, request.upload);
    case 'files.remove':
      return explainDelete(services.files, args);
    case 'files.move':
      return explainMoveOrCopy(services.files, 'move', args);
    case 'files.copy':
      return explainMoveOrCopy(services.files, 'copy', args);
    case 'files.mkdir':
      return explainMkdir(services.files, args);
    case 'exec':
      return explainCommand(services, args);
    case 'runs.create':
      return Promise.resolve(explainRun(args));
    case 'terminal.create':
      return terminalTarget(services, args).then(explainTerminal);
    case 'server.start':
    case 'server.stop':
    case 'server.restart':
    case 'server.update':
      return explainService(services, request.op.slice('server.'.length) as 'start', args, request.signal);
    default:
      return Promise.resolve({
        headline: `${request.op} (a change).`,
        targets: [],
        details: { kind: 'other', description: `${request.op} with ${JSON.stringify(request.args).slice(0, 500)}` },
        undo: { possible: false, how: 'unknown' },
        forSessionAllowed: false,
        scope: { kind: 'op', op: request.op },
      });
  }
}

/** Every string in the explanation (headline, targets, diff, command, names) through the redactor. */
export function redactTexts<T>(value: T, redact: Redact): T {
  if (typeof value === 'string') return redact(value) as T;
  if (Array.isArray(value)) return value.map((item: unknown) => redactTexts(item, redact)) as T;
  if (value && typeof value === 'object') return Object.fromEntries(Object.entries(value).map(([key, item]) => [key, key === 'version' ? item : redactTexts(item, redact)])) as T;
  return value;
}
