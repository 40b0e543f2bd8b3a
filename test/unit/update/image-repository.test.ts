import { describe, expect, it } from 'vitest';
import { imageRepository } from '../../../src/update/image-repository.js';

describe('where an image\'s tags are listed', () => {
  it('reads a registry with a namespace (ghcr.io) over https', () => {
    expect(imageRepository('ghcr.io/glowingkitty', 'openmates-api')).toEqual({
      host: 'ghcr.io',
      baseUrl: 'https://ghcr.io',
      repository: 'glowingkitty/openmates-api',
      display: 'ghcr.io/glowingkitty/openmates-api',
    });
  });

  it('speaks plain http to a registry on this machine, with or without a namespace', () => {
    expect(imageRepository('127.0.0.1:5055/openmates-test', 'openmates-api')).toMatchObject({ baseUrl: 'http://127.0.0.1:5055', repository: 'openmates-test/openmates-api' });
    expect(imageRepository('localhost:5000', 'api')).toMatchObject({ baseUrl: 'http://localhost:5000', repository: 'api' });
    expect(imageRepository('registry.example.com:5000/', '/api')).toMatchObject({ baseUrl: 'https://registry.example.com:5000', repository: 'api' });
  });

  it('treats a bare namespace as Docker Hub, and an official image as library/', () => {
    expect(imageRepository('glowingkitty', 'openmates-api')).toMatchObject({ baseUrl: 'https://registry-1.docker.io', repository: 'glowingkitty/openmates-api', display: 'docker.io/glowingkitty/openmates-api' });
    expect(imageRepository('docker.io', 'postgres')).toMatchObject({ baseUrl: 'https://registry-1.docker.io', repository: 'library/postgres' });
  });
});
