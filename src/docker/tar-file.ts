/**
 * The first regular file of a tar archive (what the engine's archive endpoint answers for one
 * file), read in process: no `tar` child for a few hundred bytes. Undefined when it has none.
 */
const BLOCK = 512;

export function firstFileOfTar(archive: Buffer): Buffer | undefined {
  let offset = 0;
  while (offset + BLOCK <= archive.length) {
    const header = archive.subarray(offset, offset + BLOCK);
    if (header.every((byte) => byte === 0)) return undefined;
    const size = parseInt(header.subarray(124, 136).toString('latin1').replace(/\0.*$/s, '').trim() || '0', 8);
    const type = String.fromCharCode(header[156]!);
    const body = offset + BLOCK;
    if (type === '0' || type === '\0') return body + size <= archive.length ? archive.subarray(body, body + size) : undefined;
    // pax or GNU long-name headers, directories, links: skip the entry and its data.
    offset = body + Math.ceil(size / BLOCK) * BLOCK;
  }
  return undefined;
}
