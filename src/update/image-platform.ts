/** An image platform as registries write it in a manifest list / OCI index. */
export interface ImagePlatform {
  os: string;
  architecture: string;
  variant?: string;
}

const GOARCH: Partial<Record<NodeJS.Architecture, string>> = {
  x64: 'amd64',
  arm64: 'arm64',
  arm: 'arm',
  ia32: '386',
  ppc64: 'ppc64le',
  s390x: 's390x',
  riscv64: 'riscv64',
};

/** The platform the engine pulls for on this machine: linux and Node's arch in Go's names (x64 → amd64). */
export function hostPlatform(arch: NodeJS.Architecture = process.arch, armVersion: unknown = (process.config.variables as Record<string, unknown>).arm_version): ImagePlatform {
  const architecture = GOARCH[arch] ?? arch;
  if (architecture === 'arm') return { os: 'linux', architecture, variant: `v${typeof armVersion === 'string' || typeof armVersion === 'number' ? armVersion : '7'}` };
  return { os: 'linux', architecture };
}

export function platformText(platform: ImagePlatform): string {
  return `${platform.os}/${platform.architecture}${platform.variant ? `/${platform.variant}` : ''}`;
}
