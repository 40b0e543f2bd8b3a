/**
 * Renders a copy of the test stack with free ports for trying openmates offline, and prints the
 * commands to install and look at it. Needs start-engine.sh and build-fixture-images.sh first.
 */
import { createTestStack } from '../../test/e2e/harness/index.js';

const stack = await createTestStack({ name: 'demo' });
console.log(`Stack file:  ${stack.stackFile}
Install dir: ${stack.installDir}

Try it (DOCKER_HOST from .test-engine/env):
  source .test-engine/env
  npm start -- server install --stack ${stack.stackFile} --path ${stack.installDir}
  npm start -- server status --path ${stack.installDir}
  npm start -- --path ${stack.installDir}

The next test run removes this demo (project ${stack.project}, its volumes and directories).`);
