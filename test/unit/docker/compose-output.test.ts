import { describe, expect, it } from 'vitest';
import { composeFailure, isDependencyFailure, meaningfulErrorLine, outputLines } from '../../../src/docker/compose-output.js';

/** Compose v1.29 failing to start a service because its port is taken (recorded, not a TTY). */
const v1PortTaken = `Creating network "om_default" with the default driver
Creating volume "om_data" with default driver
Creating om_job_1 ...
Creating om_web_1 ...
Host is already in use by another container
Creating om_web_1 ... error

ERROR: for om_web_1  Cannot start service web: driver failed programming external connectivity on endpoint om_web_1 (3f1c): Bind for 127.0.0.1:8080 failed: port is already allocated
Creating om_job_1 ... done

ERROR: for web  Cannot start service web: driver failed programming external connectivity on endpoint om_web_1 (3f1c): Bind for 127.0.0.1:8080 failed: port is already allocated
Encountered errors while bringing up the project.
`;

/** Compose v1.29 when an image tag does not exist (recorded). */
const v1MissingTag = `Creating network "om_default" with the default driver
Pulling a (127.0.0.1:5055/t1:nope)...
manifest for 127.0.0.1:5055/t1:nope not found: manifest unknown: manifest unknown
`;

/** Compose v2 with the same cause (colours on). */
const v2PortTaken = ` Network om_default  \u001b[32mCreated\u001b[0m
 Container om-web-1  Starting
 Container om-web-1  \u001b[31mError\u001b[0m
Error response from daemon: driver failed programming external connectivity on endpoint om-web-1 (9a2b): Bind for 127.0.0.1:8080 failed: port is already allocated
`;

describe('meaningfulErrorLine', () => {
  it('skips the generic last line of v1 and drops "ERROR: for web"', () => {
    expect(meaningfulErrorLine(outputLines(v1PortTaken))).toBe(
      'Cannot start service web: driver failed programming external connectivity on endpoint om_web_1 (3f1c): Bind for 127.0.0.1:8080 failed: port is already allocated',
    );
  });

  it('finds the cause in v1 output without an ERROR prefix', () => {
    expect(meaningfulErrorLine(outputLines(v1MissingTag))).toBe('manifest for 127.0.0.1:5055/t1:nope not found: manifest unknown: manifest unknown');
    expect(meaningfulErrorLine(['Creating om_web_1 ... error', 'Encountered errors while bringing up the project.'])).toBe('Creating om_web_1 ... error');
  });

  it('reads v2 output without its colours or the daemon prefix', () => {
    expect(meaningfulErrorLine(outputLines(v2PortTaken))).toBe(
      'driver failed programming external connectivity on endpoint om-web-1 (9a2b): Bind for 127.0.0.1:8080 failed: port is already allocated',
    );
  });

  it('takes the last line when nothing looks like an error', () => {
    expect(meaningfulErrorLine(['Starting', 'something odd happened'])).toBe('something odd happened');
  });

  it('is undefined without output', () => {
    expect(meaningfulErrorLine([])).toBeUndefined();
  });
});

const V1_NAME_REJECTED = [
  "The Compose file './docker-compose.yml' is invalid because:",
  "'name' does not match any of the regexes: '^x-'",
  '',
  "You might be seeing this error because you're using the wrong Compose file version. Either specify a supported version (e.g \"2.2\" or \"3.3\") and place your service definitions under the `services` key, or omit the `version` key and place your service definitions at the root of the file to use version 1.",
  'For more on the Compose file format versions, see https://docs.docker.com/compose/compose-file/',
].join('\n');

describe("v1's schema errors", () => {
  it("give the reason after \"is invalid because:\", not v1's advice about file versions", () => {
    const error = composeFailure('start the stack', V1_NAME_REJECTED, 1);
    expect(error.message).toBe("Compose could not start the stack: The Compose file './docker-compose.yml' is invalid because: 'name' does not match any of the regexes: '^x-'.");
    expect(error.hint).toMatch(/only Compose v2 reads/);
    expect(error.details.join('\n')).not.toMatch(/wrong Compose file version/);
  });
});

describe('isDependencyFailure', () => {
  it.each([
    ['dependency failed to start: container omt-api-1 is unhealthy', true],
    ['ERROR: for worker  Container "abc" is unhealthy.', true],
    ['service "setup" didn\'t complete successfully: exit 1', true],
    ['Error response from daemon: Conflict. The container name "/api" is already in use', false],
    ["'name' does not match any of the regexes: '^x-'", false],
  ])('%s → %s', (line, expected) => {
    expect(isDependencyFailure([line])).toBe(expected);
  });
});

describe('composeFailure', () => {
  it('is one sentence with a hint and the last lines as details', () => {
    const error = composeFailure('start the stack', v1PortTaken, 1);
    expect(error.kind).toBe('operation-failed');
    expect(error.message).toMatch(/^Compose could not start the stack: Cannot start service web: .*port is already allocated\.$/);
    expect(error.hint).toMatch(/already uses that port/);
    expect(error.details.at(-1)).toBe('Encountered errors while bringing up the project.');
    expect(error.details.length).toBeLessThanOrEqual(15);
  });

  it('keeps only the last 15 lines', () => {
    const many = Array.from({ length: 40 }, (_, i) => `line ${i}`).join('\n');
    expect(composeFailure('stop the stack', many, 1).details).toEqual(Array.from({ length: 15 }, (_, i) => `line ${i + 25}`));
  });

  it('says so when Compose failed silently', () => {
    expect(composeFailure('start the stack', '', 3).message).toBe('Compose could not start the stack: it exited with code 3 without a message.');
  });

  it.each([
    ["ERROR: Couldn't connect to Docker daemon at http+docker://localhost - is it running?", /start Docker/],
    ['ERROR: The Compose file \'./compose.yml\' is invalid because:\nUnsupported config option for services.web: \'pull_policy\'', /Compose rejected the compose file/],
    ['ERROR: pull access denied for om/api, repository does not exist', /image of the stack is missing/],
    ['Error response from daemon: Conflict. The container name "/om-web-1" is already in use by container "ab12"', /left over/],
    ['ERROR: Network om_net declared as external, but could not be found.', /network/],
  ])('hints for %s', (stderr, hint) => {
    expect(composeFailure('start the stack', stderr, 1).hint).toMatch(hint);
  });
});
