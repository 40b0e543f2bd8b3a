import { describe, expect, it } from 'vitest';
import { copyGroups } from '../../../../src/core/backup/copy-groups.js';

describe('copyGroups', () => {
  const writers = (table: Record<string, string[]>) => (volume: string) => table[volume] ?? [];

  it('gives each volume its own group when no service writes to two of them', () => {
    expect(copyGroups(['db', 'uploads', 'empty'], writers({ db: ['database'], uploads: ['api', 'worker'] }))).toEqual([
      { volumes: ['db'], services: ['database'] },
      { volumes: ['uploads'], services: ['api', 'worker'] },
      { volumes: ['empty'], services: [] },
    ]);
  });

  it('joins the volumes of a service that writes to several, so it is stopped once', () => {
    expect(copyGroups(['a', 'b', 'c'], writers({ a: ['x'], b: ['y'], c: ['x', 'y'] }))).toEqual([{ volumes: ['a', 'b', 'c'], services: ['x', 'y'] }]);
    expect(copyGroups(['a', 'b', 'c'], writers({ a: ['x'], b: ['z'], c: ['x'] }))).toEqual([
      { volumes: ['a', 'c'], services: ['x'] },
      { volumes: ['b'], services: ['z'] },
    ]);
  });
});
