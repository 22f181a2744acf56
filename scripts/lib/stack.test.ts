// The console build is reused only for the very sources it was made from: a new, changed or
// deleted file changes the hash; the same content gives the same hash.
import { rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { uid } from '../../test-support/ids';
import { consoleSourceHash, ROOT } from './stack';

describe('consoleSourceHash', () => {
  it('changes with a new, an edited and a removed source file, and comes back with the same content', () => {
    const before = consoleSourceHash();
    expect(consoleSourceHash()).toBe(before);
    const probe = path.join(ROOT, 'app', `__hash_probe_${uid()}.ts`);
    try {
      writeFileSync(probe, 'export const a = 1;\n');
      const added = consoleSourceHash();
      expect(added).not.toBe(before);
      writeFileSync(probe, 'export const a = 2;\n');
      const edited = consoleSourceHash();
      expect(edited).not.toBe(added);
      writeFileSync(probe, 'export const a = 1;\n');
      expect(consoleSourceHash()).toBe(added);
    } finally {
      rmSync(probe, { force: true });
    }
    expect(consoleSourceHash()).toBe(before);
  });
});
