import * as z from 'zod';

/** A name as Compose and the engine accept it for projects, volumes and networks. */
const dockerName = z.string().regex(/^[a-z0-9][a-z0-9_.-]*$/, 'a lower-case Docker name (letters, digits, "_", ".", "-")');
const envName = z.string().regex(/^[A-Z_][A-Z0-9_]*$/, 'an upper-case variable name like DATABASE_PASSWORD');
const port = z.number().int().min(1).max(65535);
/** Paths written inside the install dir may not climb out of it. */
const relativePath = z
  .string()
  .min(1)
  .refine((p) => !p.startsWith('/') && !p.split('/').includes('..'), 'a path inside the install dir (no leading "/", no "..")');

const secret = z
  .strictObject({
    name: envName,
    hex: z.number().int().min(4).max(128).optional(),
    digits: z.array(z.number().int().min(1).max(12)).min(1).max(8).optional(),
    show: z.boolean().optional(),
  })
  .refine((s) => (s.hex === undefined) !== (s.digits === undefined), {
    message: 'exactly one generator: "hex: <bytes>" or "digits: [<group sizes>]"',
  });

const jsonValue = z.union([z.string(), z.number(), z.boolean()]);
/** Fields of a JSON answer and the values each may have: { status: healthy } or { status: [healthy, ok] }; dotted names reach into objects. */
const jsonFields = z.record(z.string(), z.union([jsonValue, z.array(jsonValue).min(1)]));

const healthCheck = z.strictObject({
  name: z.string().min(1),
  url: z.url({ protocol: /^https?$/ }),
  status: z.number().int().min(100).max(599).default(200),
  /** What the JSON body must say for the check to count as up. */
  json: jsonFields.optional(),
  /** Answers that still count as up, with a warning (e.g. { status: degraded }), and where they say why. */
  degraded: z
    .strictObject({
      json: jsonFields,
      /** Dotted paths to objects of name → { status }: each entry whose status is not in `healthy` is a reason. */
      reasons: z.array(z.string().min(1)).default([]),
      healthy: z.array(jsonValue).min(1).default(['healthy']),
    })
    .optional(),
});

const extraFile = z.strictObject({
  path: relativePath,
  content: z.string(),
  /** Octal file mode as a string, e.g. "0644". */
  mode: z.string().regex(/^0?[0-7]{3}$/).optional(),
});

export const stackSchema = z.strictObject({
  name: dockerName,
  /**
   * Path relative to the stack file, or an http(s) URL; "{ref}" becomes the git commit the
   * installed release was built from (its version image's org.opencontainers.image.revision
   * label), or the tag itself when the image has no such label.
   */
  compose: z.string().min(1),
  /** Where the compose file goes inside the install dir. Upstream OpenMates needs backend/core/. */
  composePath: relativePath.default('docker-compose.yml'),
  registry: z.string().min(1),
  registryVariable: envName,
  /**
   * The fallback version: install takes --tag, the installed version, or the newest release in
   * the registry, and uses this only when the registry cannot be listed. The install's own copy
   * holds the installed version.
   */
  tag: z.string().regex(/^[A-Za-z0-9_][A-Za-z0-9_.-]{0,127}$/, 'a Docker image tag like v1.0.0'),
  tagVariable: envName,
  versionImage: z.string().min(1),
  /** Defaults for .env, never overwriting a value there; "{installDir}" and "{dockerSocketGroup}" are filled in at install time. */
  env: z.record(envName, z.union([z.string(), z.number(), z.boolean()]).transform(String)).default({}),
  secrets: z.array(secret).default([]),
  networks: z.array(dockerName).default([]),
  ports: z.array(port).default([]),
  requirements: z
    .strictObject({ memoryGB: z.number().positive().optional(), diskGB: z.number().positive().optional() })
    .default({}),
  health: z.array(healthCheck).default([]),
  /** Seconds to wait for containers and health checks after `up`. */
  healthTimeout: z.number().int().positive().default(180),
  volumes: z
    .strictObject({
      data: z.array(dockerName).default([]),
      cache: z.array(dockerName).default([]),
      /** What a volume holds, in plain words, for the list shown before anything is deleted. */
      notes: z.record(dockerName, z.string().min(1)).default({}),
    })
    .refine((volumes) => Object.keys(volumes.notes).every((name) => volumes.data.includes(name) || volumes.cache.includes(name)), {
      message: 'every volume with a note must be listed under "data" or "cache"',
      path: ['notes'],
    })
    .default({ data: [], cache: [], notes: {} }),
  urls: z.array(z.strictObject({ name: z.string().min(1), url: z.string().min(1) })).default([]),
  /** Directories to create inside the install dir (relative). */
  directories: z.array(relativePath).default([]),
  /** Files the compose file needs besides .env; written only when missing, never overwritten. */
  files: z.array(extraFile).default([]),
});

export type Stack = z.output<typeof stackSchema>;
export type StackSecret = Stack['secrets'][number];
export type StackHealthCheck = Stack['health'][number];
