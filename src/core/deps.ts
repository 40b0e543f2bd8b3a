import type { ComposeCli, DockerEngine } from '../docker/types.js';

/** What the operations reach the outside world through; faces pass the real ones, tests fakes. */
export interface CoreDeps {
  engine: DockerEngine;
  /** Detected lazily: only up/down need Compose. */
  compose: () => Promise<ComposeCli>;
}
