import * as z from 'zod';

/** The archive's last entry, written after every part so it can hold their checksums. */
export const MANIFEST_ENTRY = 'manifest.json';
export const MANIFEST_FORMAT = 'openmates-backup';
/** The path volumes are mounted at in the helper container: a volume's entries start with "volume/". */
export const VOLUME_MOUNT = '/volume';

const sha256 = z.string().regex(/^[0-9a-f]{64}$/);

const part = z.discriminatedUnion('kind', [
  z.strictObject({ kind: z.literal('volume'), entry: z.string(), volume: z.string().min(1), bytes: z.number().int().nonnegative(), sha256 }),
  z.strictObject({
    kind: z.enum(['env', 'compose', 'stack']),
    entry: z.string(),
    /** Where the file lives in the install dir, relative. */
    file: z.string().min(1),
    bytes: z.number().int().nonnegative(),
    sha256,
  }),
]);

export const manifestSchema = z.strictObject({
  format: z.literal(MANIFEST_FORMAT),
  formatVersion: z.literal(1),
  /** The stack's name (the Compose project): a backup restores only into the same stack. */
  stack: z.string().min(1),
  version: z.string().min(1),
  reason: z.enum(['manual', 'pre-update']),
  createdAt: z.iso.datetime(),
  hostname: z.string(),
  /** Services stopped while the volumes were copied. */
  stoppedServices: z.array(z.string()),
  parts: z.array(part),
});

export type BackupManifest = z.output<typeof manifestSchema>;
export type ManifestPart = BackupManifest['parts'][number];
export type VolumePart = Extract<ManifestPart, { kind: 'volume' }>;
export type FilePart = Exclude<ManifestPart, { kind: 'volume' }>;

export function volumeEntryName(volume: string): string {
  return `volumes/${volume}.tar`;
}

export function configEntryName(file: string): string {
  return `config/${file}`;
}
