import type { UndoBounds } from '../../core/files/index.js';
import { readSettingsFile } from '../../core/settings.js';

/** The settings' bounds, read before each change so `openmates config set undo-max-size` applies at once. */
export async function undoBounds(): Promise<UndoBounds> {
  const settings = await readSettingsFile();
  return { maxBytes: settings.undoMaxBytes, maxAgeDays: settings.undoMaxAgeDays };
}
