import { Box, Text } from 'ink';
import { useMemo } from 'react';
import { qrCodeLines, qrCodeSize } from '../../auth/qr-code.js';
import type { DeviceState } from '../../remote/agent/agent-types.js';
import { KeyHints } from '../components/KeyHints.js';
import { symbols } from '../components/theme.js';
import { QrCode } from '../login/QrCode.js';

const GAP = 2;
/** The narrowest text column beside the code. */
const TEXT_COLUMNS = 24;

/**
 * A device just added, on the whole terminal: its QR code with the instructions beside it and
 * the link as text below (a short link: 39x20 cells of code and 2 rows of link, 22 rows at 80x24),
 * like `devices add` prints. On a terminal too small for the code, the text and the link alone.
 */
export function PairingView({ device, link, columns, rows }: { device: DeviceState; link: string; columns: number; rows: number }) {
  const qr = useMemo(() => qrCodeLines(link), [link]);
  const size = qrCodeSize(qr);
  const linkRows = (width: number) => Math.ceil(link.length / width);
  const needed = { columns: size.columns + GAP + TEXT_COLUMNS, rows: size.rows + linkRows(size.columns + GAP + TEXT_COLUMNS) + 1 };
  // One row stays free below, as in every screen (Ink redraws in place).
  const showQr = columns >= needed.columns && size.rows + linkRows(columns) <= rows - 1;
  const text = (
    <Box flexDirection="column" marginLeft={showQr ? GAP : 0} width={showQr ? columns - size.columns - GAP : columns} flexShrink={1}>
      <Text>
        <Text color="green">{symbols.ok}</Text> Added {device.name} ({device.role}). Its link, shown this once:
      </Text>
      <Box marginTop={1}>
        <Text>{showQr ? 'Scan the code with the device\'s camera, or copy the link below.' : 'Open the link below on the device.'}</Text>
      </Box>
      <Box marginTop={1}>
        <Text>The link is the device's key: anyone who has it can connect as this device. Lost it? Revoke the device here with r.</Text>
      </Box>
      <Box marginTop={1}>
        <KeyHints hints={[{ keys: 'enter', action: 'done: the link is not shown again' }]} />
      </Box>
      {showQr ? null : (
        <Box marginTop={1}>
          <Text dimColor>
            A terminal of {needed.columns}x{needed.rows} shows the QR code too.
          </Text>
        </Box>
      )}
    </Box>
  );
  return (
    <Box flexDirection="column" width={columns}>
      {showQr ? (
        <Box>
          <QrCode lines={qr} />
          {text}
        </Box>
      ) : (
        text
      )}
      <Text color="cyan">{link}</Text>
    </Box>
  );
}
