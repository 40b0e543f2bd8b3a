import * as z from 'zod';

/** The shape of src/core/host's HostFacts, as it crosses the channel. */
export const hostFactsSchema = z.object({
  takenAt: z.string(),
  uptimeSeconds: z.number(),
  cpu: z.object({ cores: z.number(), usedPercent: z.number(), load: z.tuple([z.number(), z.number(), z.number()]) }),
  memory: z.object({ totalBytes: z.number(), availableBytes: z.number() }),
  disks: z.array(z.object({ mount: z.string(), totalBytes: z.number(), freeBytes: z.number() })),
  ports: z.array(z.object({ port: z.number(), address: z.string(), pid: z.number().optional(), process: z.string().optional() })),
  containers: z.union([
    z.array(z.object({ name: z.string(), image: z.string(), state: z.string(), health: z.string().optional() })),
    z.object({ unavailable: z.string() }),
  ]),
  scripts: z.array(z.object({ pid: z.number(), command: z.string(), cwd: z.string().optional() })),
});
export type HostFacts = z.infer<typeof hostFactsSchema>;
