/**
 * What the rest of openmates uses from src/docker/. Loading this module loads neither dockerode
 * nor execa: both are imported when first needed.
 */
export type * from './types.js';
export { connectEngine, describeEndpoint } from './connect.js';
export { detectCompose, type ComposeOptions } from './compose-cli.js';
export { DEFAULT_DEADLINES, type EngineDeadlines, CREATED_BY_LABEL, PROJECT_LABEL, SERVICE_LABEL } from './dockerode-engine.js';
export { parseImageReference, type ImageReference } from './pull-errors.js';
export { aggregatePullProgress } from './pull-progress.js';
