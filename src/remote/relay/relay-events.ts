/** What the relay tells its face (the CLI prints one line each; --json one object each). */
export type RelayEvent =
  | { type: 'listening'; url: string; publicUrl: string }
  | { type: 'agent-connected'; agentId: string; agents: number }
  | { type: 'agent-replaced'; agentId: string }
  | { type: 'agent-gone'; agentId: string; reason: string; agents: number }
  | { type: 'agent-refused'; ip: string; reason: string }
  | { type: 'stopping'; reason: string };

export type RelayEventSink = (event: RelayEvent) => void;
