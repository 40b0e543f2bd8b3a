import { describe, expect, it } from 'vitest';
import { summaryFromInspect } from '../../../src/docker/container-inspect.js';
import { cpuPercent, memoryUsage, toContainerStats, type RawStats } from '../../../src/docker/container-stats.js';

/** A frame as the engine sent it for a busy loop on a 2-core cgroup v1 host (trimmed). */
const busyLoop: RawStats = {
  read: '2026-11-21T09:32:59.261141635Z',
  cpu_stats: { cpu_usage: { total_usage: 2_960_029_981, percpu_usage: [1_301_257_026, 1_658_772_955] }, system_cpu_usage: 3_892_420_000_000, online_cpus: 2 },
  precpu_stats: { cpu_usage: { total_usage: 1_997_732_641, percpu_usage: [1_234_069_172, 763_663_469] }, system_cpu_usage: 3_890_460_000_000, online_cpus: 2 },
  memory_stats: { usage: 577_536, limit: 25_276_502_016, stats: { cache: 0, total_inactive_file: 245_760, inactive_file: 0 } },
};

describe('container stats (the docker CLI formulas)', () => {
  it('CPU % = container delta / system delta × online CPUs × 100', () => {
    // (2960029981 - 1997732641) / (3892420000000 - 3890460000000) * 2 * 100
    expect(cpuPercent(busyLoop)).toBeCloseTo(98.1936, 3);
  });

  it('counts the per-CPU list when online_cpus is missing (old engines)', () => {
    const old: RawStats = { ...busyLoop, cpu_stats: { ...busyLoop.cpu_stats!, online_cpus: 0 } };
    expect(cpuPercent(old)).toBeCloseTo(98.1936, 3);
  });

  it('is 0 without an earlier sample, or when no time passed', () => {
    expect(cpuPercent({ cpu_stats: busyLoop.cpu_stats! })).toBe(0);
    expect(cpuPercent({ ...busyLoop, precpu_stats: { cpu_usage: { total_usage: 0 }, system_cpu_usage: 0 } })).toBeGreaterThan(0);
    expect(cpuPercent({ ...busyLoop, precpu_stats: busyLoop.cpu_stats! })).toBe(0);
  });

  it('memory on cgroup v1 is usage minus total_inactive_file', () => {
    expect(memoryUsage(busyLoop)).toBe(577_536 - 245_760);
  });

  it('memory on cgroup v2 is usage minus inactive_file', () => {
    expect(memoryUsage({ memory_stats: { usage: 10_000_000, stats: { inactive_file: 4_000_000, active_file: 1_000 } } })).toBe(6_000_000);
  });

  it('memory on engines that only report cache subtracts the cache', () => {
    expect(memoryUsage({ memory_stats: { usage: 10_000_000, stats: { cache: 3_000_000 } } })).toBe(7_000_000);
  });

  it('memory falls back to usage when the subtrahend is not smaller', () => {
    expect(memoryUsage({ memory_stats: { usage: 1_000, stats: { total_inactive_file: 5_000, inactive_file: 5_000 } } })).toBe(1_000);
    expect(memoryUsage({ memory_stats: { usage: 1_000 } })).toBe(1_000);
    expect(memoryUsage({})).toBe(0);
  });

  it('puts it together with the limit and the CPU count', () => {
    expect(toContainerStats(busyLoop)).toEqual({ cpuPercent: expect.closeTo(98.19, 1), memoryBytes: 331_776, memoryLimitBytes: 25_276_502_016, onlineCpus: 2 });
  });
});

describe('summaryFromInspect', () => {
  it('reads the published ports from NetworkSettings', () => {
    const summary = summaryFromInspect({
      Id: 'abc',
      Name: '/om-api-1',
      RestartCount: 1,
      State: { Status: 'running', ExitCode: 0, StartedAt: '2026-01-02T03:04:05Z', Health: { Status: 'starting' } },
      Config: { Image: 'reg/api:v1', Labels: { 'com.docker.compose.service': 'api' } },
      HostConfig: { RestartPolicy: { Name: 'unless-stopped' } },
      NetworkSettings: { Ports: { '8000/tcp': [{ HostIp: '127.0.0.1', HostPort: '18000' }], '9000/tcp': null } },
    });
    expect(summary).toEqual({
      id: 'abc',
      name: 'om-api-1',
      service: 'api',
      image: 'reg/api:v1',
      state: 'running',
      health: 'starting',
      exitCode: 0,
      startedAt: '2026-01-02T03:04:05Z',
      restartCount: 1,
      restartPolicy: 'unless-stopped',
      ports: [{ hostIp: '127.0.0.1', hostPort: 18000, containerPort: 8000 }],
    });
  });
});
