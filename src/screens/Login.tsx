import { Box, Text, useInput } from 'ink';
import { useMemo } from 'react';
import { qrCodeLines, qrCodeSize } from '../auth/qr-code.js';
import type { LoginOperations, PairCode } from '../core/login/types.js';
import { ErrorPanel } from './components/ErrorPanel.js';
import { Facts } from './components/Facts.js';
import type { KeyHint } from './components/KeyHints.js';
import { ScreenFrame } from './components/ScreenFrame.js';
import { Spinner } from './components/Spinner.js';
import { symbols } from './components/theme.js';
import { PinEntry } from './login/PinEntry.js';
import { QrCode } from './login/QrCode.js';
import { formatCountdown, useClock } from './login/use-clock.js';
import { usePairLogin, type LoginNotice, type LoginPhase } from './login/use-pair-login.js';
import { useTerminalSize } from './use-terminal-size.js';

/** Rows the frame takes: header (2), footer (2), body padding (1), spare row (1). */
const FRAME_ROWS = 6;
/** The instructions beside the QR code need at least this many columns. */
const TEXT_COLUMNS = 36;

export interface LoginProps {
  operations: LoginOperations;
  installDir: string;
  onBack: () => void;
  now?: () => number;
}

const HINTS: Record<LoginPhase['name'], KeyHint[]> = {
  starting: [{ keys: 'esc', action: 'cancel' }],
  waiting: [{ keys: 'esc', action: 'cancel' }],
  pin: [
    { keys: 'enter', action: 'send PIN' },
    { keys: 'esc', action: 'cancel' },
  ],
  'logged-in': [{ keys: 'q', action: 'back' }],
  expired: [
    { keys: 'enter', action: 'fresh code' },
    { keys: 'esc', action: 'back' },
  ],
  failed: [
    { keys: 'r', action: 'try again' },
    { keys: 'esc', action: 'back' },
  ],
};

/** Log in from another device: QR code and link, approval there, the PIN here. Esc cancels and sends nothing. */
export function Login({ operations, installDir, onBack, now = Date.now }: LoginProps) {
  const target = useMemo(() => ({ installDir }), [installDir]);
  const { phase, notice, startOver, retry, submitPin } = usePairLogin(operations, target, now);
  const { columns, rows } = useTerminalSize();
  const clock = useClock(phase.name === 'waiting' || notice?.kind === 'rate-limited', now);

  useInput((input, key) => {
    if (key.escape) return onBack();
    if (phase.name === 'pin') return; // letters are the PIN
    if (phase.name === 'logged-in' && input === 'q') onBack();
    if (phase.name === 'expired' && (key.return || input === 'n')) startOver();
    if ((phase.name === 'expired' || phase.name === 'failed') && input === 'q') onBack();
    if (phase.name === 'failed' && input === 'r') retry();
  });

  return (
    <ScreenFrame section="Login" hints={HINTS[phase.name]}>
      {phase.name === 'starting' ? (
        <Text>
          <Spinner /> Asking the server for a login code…
        </Text>
      ) : null}
      {phase.name === 'waiting' ? <WaitingForApproval code={phase.code} remainingMs={Math.min(phase.code.expiresAt - clock, phase.code.expiresInSeconds * 1000)} width={columns - 2} height={rows - FRAME_ROWS} /> : null}
      {phase.name === 'pin' ? (
        <PinEntry device={phase.device} checking={phase.checking} onSubmit={submitPin} {...(phase.attemptsLeft === undefined ? {} : { attemptsLeft: phase.attemptsLeft })} />
      ) : null}
      {phase.name === 'logged-in' ? (
        <Box flexDirection="column">
          <Text>
            <Text color="green">{symbols.ok}</Text>
            <Text bold> Logged in{phase.account.username ? ` as ${phase.account.username}` : ''}</Text>
          </Text>
          <Box marginTop={1} marginLeft={2}>
            <Facts
              facts={[
                { label: 'API', value: phase.account.apiBase },
                ...(phase.account.authorizedBy ? [{ label: 'Approved on', value: phase.account.authorizedBy }] : []),
                ...(phase.account.expiresAt ? [{ label: 'Logs out at', value: phase.account.expiresAt }] : []),
                { label: 'Session file', value: phase.account.sessionFile },
              ]}
            />
          </Box>
          <Box marginTop={1}>
            <Text dimColor>press q to go back</Text>
          </Box>
        </Box>
      ) : null}
      {phase.name === 'expired' ? (
        <Box flexDirection="column">
          <ErrorPanel error={phase.error} />
          <Box marginTop={1}>
            <Text>
              Press <Text bold>enter</Text> for a fresh code.
            </Text>
          </Box>
        </Box>
      ) : null}
      {phase.name === 'failed' ? <ErrorPanel error={phase.error} /> : null}
      {notice ? <Notice notice={notice} now={clock} /> : null}
    </ScreenFrame>
  );
}

function WaitingForApproval({ code, remainingMs, width, height }: { code: PairCode; remainingMs: number; width: number; height: number }) {
  const qr = useMemo(() => qrCodeLines(code.link), [code.link]);
  const size = qrCodeSize(qr);
  const showQr = size.rows <= height && size.columns + 2 + TEXT_COLUMNS <= width;
  return (
    <Box>
      {showQr ? <QrCode lines={qr} /> : null}
      <Box flexDirection="column" marginLeft={showQr ? 2 : 0} flexShrink={1}>
        <Text bold>Log in from another device</Text>
        <Box flexDirection="column" marginTop={1}>
          <Text>1. On a phone where you are logged in to OpenMates, {showQr ? 'scan the code or open the link' : 'open the link'}.</Text>
          <Text>2. Approve this server there.</Text>
          <Text>3. Type the PIN it shows.</Text>
        </Box>
        <Box flexDirection="column" marginTop={1}>
          <Text color="cyan">{code.link}</Text>
          <Text>
            <Text dimColor>Code </Text>
            <Text bold>{code.token}</Text>
          </Text>
        </Box>
        <Box marginTop={1}>
          <Text>
            <Spinner /> Waiting for approval · expires in {formatCountdown(remainingMs)}
          </Text>
        </Box>
        {showQr ? null : (
          <Text dimColor>
            A terminal of {size.columns + 2 + TEXT_COLUMNS + 2}x{size.rows + FRAME_ROWS} shows the QR code.
          </Text>
        )}
      </Box>
    </Box>
  );
}

function Notice({ notice, now }: { notice: LoginNotice; now: number }) {
  return (
    <Box marginTop={1}>
      <Text color="yellow">
        {symbols.warning} {notice.text}
        {notice.kind === 'rate-limited' ? ` Trying again in ${formatCountdown(notice.resumeAt - now)}.` : ''}
      </Text>
    </Box>
  );
}
