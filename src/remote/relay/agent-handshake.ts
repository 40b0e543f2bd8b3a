import type { WebSocket } from 'ws';
import { loadSodium } from '../sodium.js';
import { issueChallenge, proofSchema } from './agent-proof.js';
import { RELAY_CLOSE } from './relay-close-codes.js';

const MAX_PROOF_BYTES = 1024;

/**
 * The relay's side of an agent's key proof: challenge, one text answer, within `timeoutMs`.
 * Resolves to the proven agent id; on anything else the socket is closed with 4401 and a reason
 * and the promise rejects with that reason.
 */
export async function proveAgent(socket: WebSocket, timeoutMs: number): Promise<string> {
  const sodium = await loadSodium();
  const challenge = issueChallenge(sodium);
  return new Promise<string>((resolve, reject) => {
    const refuse = (reason: string) => {
      cleanup();
      socket.send(JSON.stringify({ type: 'refused', message: reason }));
      socket.close(RELAY_CLOSE.agentRefused, reason.slice(0, 120));
      reject(new Error(reason));
    };
    const timer = setTimeout(() => refuse('the key proof did not arrive in time'), timeoutMs);
    const onMessage = (data: Buffer, isBinary: boolean) => {
      if (isBinary || data.length > MAX_PROOF_BYTES) return refuse('the first frame is not a key proof');
      let parsed;
      try {
        parsed = proofSchema.safeParse(JSON.parse(data.toString('utf8')));
      } catch {
        return refuse('the first frame is not JSON');
      }
      if (!parsed.success) return refuse('the first frame is not a key proof');
      const agentId = challenge.verify(parsed.data);
      if (!agentId) return refuse('the agent did not prove the key behind its id');
      cleanup();
      resolve(agentId);
    };
    const onClose = () => {
      cleanup();
      reject(new Error('closed before its key proof'));
    };
    const cleanup = () => {
      clearTimeout(timer);
      socket.off('message', onMessage);
      socket.off('close', onClose);
    };
    socket.on('message', onMessage);
    socket.on('close', onClose);
    socket.send(JSON.stringify(challenge.message));
  });
}
