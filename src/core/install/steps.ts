/** The steps of an install after preflight, in the order runInstall takes them. */
export function installSteps(imageCount: number): { id: string; title: string }[] {
  return [
    { id: 'files', title: 'Writing the install directory' },
    { id: 'networks', title: 'Creating networks' },
    { id: 'pull', title: `Pulling ${imageCount} image${imageCount === 1 ? '' : 's'}` },
    { id: 'start', title: 'Starting the stack' },
    { id: 'health', title: 'Waiting for the services to become healthy' },
  ];
}
