import * as z from 'zod';
import { wireErrorSchema } from './error-codes.js';

/** Call ids are chosen by the client: positive integers that fit a chunk header's 32 bits. */
export const callIdSchema = z.number().int().min(1).max(0xffff_ffff);

export const requestSchema = z.object({
  type: z.literal('request'),
  id: callIdSchema,
  op: z.string().max(64),
  args: z.unknown(),
  /** Ask for the agent's host facts (cached, ≤ 2 s old) with the response. */
  withHost: z.boolean().optional(),
});

export const responseSchema = z.object({
  type: z.literal('response'),
  id: callIdSchema,
  result: z.unknown().optional(),
  error: wireErrorSchema.optional(),
  host: z.unknown().optional(),
});

/** Streamed output of a call in progress: command output, log lines, operation events. `seq`: 1, 2, … on a resumable call. */
export const eventSchema = z.object({ type: z.literal('event'), id: callIdSchema, event: z.unknown(), seq: z.number().int().min(1).optional() });
/** A resume token: 16 random bytes, base64url. */
export const resumeTokenSchema = z.string().regex(/^[A-Za-z0-9_-]{22}$/);
/** The agent keeps call `id`'s stream for `graceMs` after the session ends: a new session of the same device may resume it with the token. */
export const resumableSchema = z.object({ type: z.literal('resumable'), id: callIdSchema, token: resumeTokenSchema, graceMs: z.number().int().min(0) });
/** Continue a kept stream as call `id` of this session, from the event after `after` (0: from the start). */
export const resumeSchema = z.object({ type: z.literal('resume'), id: callIdSchema, token: resumeTokenSchema, after: z.number().int().min(0) });
/** Credit: the receiver of a call's chunks has consumed `bytes` more of them. */
export const ackSchema = z.object({ type: z.literal('ack'), id: callIdSchema, bytes: z.number().int().min(1) });
/** The uploader of a call has sent its last chunk. */
export const endSchema = z.object({ type: z.literal('end'), id: callIdSchema });
export const cancelSchema = z.object({ type: z.literal('cancel'), id: callIdSchema });
export const pingSchema = z.object({ type: z.literal('ping') });
export const pongSchema = z.object({ type: z.literal('pong') });
/** A message that could not be tied to a call (malformed): the session stays up. */
export const errorMessageSchema = z.object({ type: z.literal('error'), error: wireErrorSchema });

/** What a client may send. */
export const clientMessageSchema = z.discriminatedUnion('type', [requestSchema, resumeSchema, ackSchema, endSchema, cancelSchema, pingSchema, pongSchema]);
/** What an agent may send. */
export const serverMessageSchema = z.discriminatedUnion('type', [responseSchema, eventSchema, resumableSchema, ackSchema, pingSchema, pongSchema, errorMessageSchema]);

export type RequestMessage = z.infer<typeof requestSchema>;
export type ResponseMessage = z.infer<typeof responseSchema>;
export type ResumeMessage = z.infer<typeof resumeSchema>;
export type ClientMessage = z.infer<typeof clientMessageSchema>;
export type ServerMessage = z.infer<typeof serverMessageSchema>;

/** Binary chunk layout: call id (u32 big-endian), sequence number (u32 big-endian), then the bytes. */
export const CHUNK_HEADER_BYTES = 8;

export function encodeChunk(id: number, seq: number, bytes: Uint8Array): Uint8Array {
  const frame = new Uint8Array(CHUNK_HEADER_BYTES + bytes.byteLength);
  const view = new DataView(frame.buffer);
  view.setUint32(0, id);
  view.setUint32(4, seq);
  frame.set(bytes, CHUNK_HEADER_BYTES);
  return frame;
}

export function decodeChunk(frame: Uint8Array): { id: number; seq: number; bytes: Uint8Array } | undefined {
  if (frame.byteLength < CHUNK_HEADER_BYTES) return undefined;
  const view = new DataView(frame.buffer, frame.byteOffset, frame.byteLength);
  return { id: view.getUint32(0), seq: view.getUint32(4), bytes: frame.subarray(CHUNK_HEADER_BYTES) };
}
