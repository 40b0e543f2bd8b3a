/**
 * openmates-server-cli/remote: reach a server's remote-access agent from Node or a browser.
 *
 *   const server = await connect(link);
 *   const file = await server.files.read('notes.txt');
 *   for await (const output of server.exec('ls -la')) process.stdout.write(output.text);
 *
 * In safety mode a change waits for a person's approval: the call stays pending (`onApproval`
 * hears its id and headline; its signal cancels it), and a denial rejects with 'approval-denied'.
 *
 * `connect(link, {reconnect: true})` opens the connection again whenever it drops (`server.connection`
 * says how it stands): command output, followed logs and approvals.watch continue where they were,
 * any other call in flight rejects with 'disconnected' (it may or may not have run).
 *
 * Terminals: `const t = await server.terminal.create({cols: 80, rows: 24})`, then
 * `for await (const item of t.output())` (bytes with their offsets; re-attached after a drop from
 * the last byte received), `t.write('ls\r')`, `t.resize(120, 40)`, `t.signal('INT')`, `t.close()`.
 */
export { connect, type ConnectOptions } from './connect.js';
export type { RemoteServer, RemoteServerOptions, ReadInfo, ServerOperationOptions, Signalled } from './remote-server.js';
export type { RemoteStream } from './remote-stream.js';
export type { RemoteTerminal, TerminalOutputOptions, TerminalStreamItem } from './remote-terminal.js';
export type { Connection, ConnectionState } from './connection-state.js';
export type { ReconnectPolicy } from './reconnecting-rpc.js';
export { RemoteError } from '../rpc/remote-error.js';
export { formatLink, parseLink, type DeviceLink } from '../link.js';
export { linkFromReady, type ReadyLine } from '../ready-line.js';
export type { ErrorKind } from '../../core/errors.js';
export type { ChannelDevice } from '../channel/session.js';
export type { DeviceRole } from '../protocol/handshake-messages.js';
export type { HostFacts } from '../protocol/host-facts.js';
export type { ApprovalNotice, ExecOutput, ExecResult, FileEntry, FileInfo, OpArgs, OpName, OpResult, UndoEntryInfo, UndoResultInfo, TerminalInfoWire as TerminalInfo, RunInfoWire as RunInfo, TerminalExitWire as TerminalExit, TerminalSignalName } from '../protocol/ops.js';
export type { Approval, ApprovalDecision, ApprovalDetails, ApprovalState } from '../protocol/approvals.js';
export type { AuditLine } from '../protocol/audit-line.js';
export { PROTOCOL_VERSION } from '../protocol/version.js';
