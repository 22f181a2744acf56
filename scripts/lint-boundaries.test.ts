// The import floors of eslint.config.js are live: each forbidden import, linted as if it sat at
// that path (lintText needs no file on disk), is reported; the allowed ones next to it are not.
import { fileURLToPath } from 'node:url';
import { ESLint } from 'eslint';
import { beforeAll, describe, expect, it } from 'vitest';

const RULE = '@typescript-eslint/no-restricted-imports';
let eslint: ESLint;

beforeAll(() => {
  eslint = new ESLint({ cwd: fileURLToPath(new URL('..', import.meta.url)) });
});

/** The sources of the boundary errors ESLint reports for `code` placed at `filePath`. */
async function restricted(filePath: string, code: string): Promise<string[]> {
  const [result] = await eslint.lintText(code, { filePath, warnIgnored: true });
  const fatal = result.messages.filter((m) => m.fatal || !m.ruleId);
  expect(fatal, `${filePath} was not linted`).toEqual([]);
  return result.messages.filter((m) => m.ruleId === RULE).map((m) => m.message.split("'")[1]);
}

const cases: Array<{ file: string; forbidden: string[]; allowed: string[] }> = [
  {
    file: 'finance/__fixture__.ts',
    forbidden: [
      "import { db } from '~/server/db.server';",
      "import { can } from '../app/server/permissions';",
      "import { proxyActivities } from '@temporalio/workflow';",
      "import { json } from '@remix-run/node';",
    ],
    allowed: ["import { createPrismaClient } from '../prisma/db';", "import { z } from 'zod';"],
  },
  {
    file: 'ports/__fixture__.ts',
    forbidden: ["import type { Client } from '@temporalio/client';", "import { redirect } from '@remix-run/node';", "import { env } from '../app/server/env.server';"],
    allowed: ["import { euros } from '../finance/euros';", "import Stripe from 'stripe';"],
  },
  {
    file: 'prisma/__fixture__.ts',
    forbidden: ["import type { Role } from '../app/server/permissions';"],
    allowed: ["import type { Role } from '../generated/prisma/enums';"],
  },
  {
    file: 'machines/checkout/__fixture__.ts',
    forbidden: ["import { labels } from '../../app/live/labels';", "import { x } from '~/components/x';"],
    allowed: ["import { setup } from 'xstate';", "import { activeStateNodes } from '../state-tree';"],
  },
  {
    file: 'temporal/__fixture__.ts',
    forbidden: ["import { env } from '../app/server/env.server';", "import { helpers } from '@temporalio/client/lib/helpers.js';"],
    allowed: ["import { Client } from '@temporalio/client';", "import { createPrismaClient } from '../prisma/db';"],
  },
  {
    file: 'temporal/workflows/__fixture__.ts',
    forbidden: [
      "import { readFileSync } from 'node:fs';",
      "import fs from 'fs';",
      "import path from 'path';",
      "import { randomUUID } from 'crypto';",
      "import { createPrismaClient } from '../../prisma/db';",
      "import { Prisma } from '../../generated/prisma/client';",
      "import { PrismaClient } from '@prisma/client';",
      "import { createLocalGateway } from '../../ports/local-gateway';",
      "import { createOnboardingActivities } from '../activities/onboarding';",
      "import { msToNumber } from '@temporalio/common/lib/time';",
      "import { db } from '../../app/server/db.server';",
    ],
    allowed: [
      "import type { OnboardingActivities } from '../activities/onboarding';",
      "import { type OnboardingActivities } from '../activities/onboarding';",
      "import { proxyActivities } from '@temporalio/workflow';",
      "import type { Duration } from '@temporalio/common';",
      "import { msToNumber } from './duration';",
    ],
  },
  {
    // Workflow tests run in Node, outside the sandbox.
    file: 'temporal/workflows/__fixture__.test.ts',
    forbidden: ["import { msToNumber } from '@temporalio/common/lib/time';"],
    allowed: ["import { readFileSync } from 'node:fs';", "import { createPrismaClient } from '../../prisma/db';"],
  },
  {
    file: 'app/routes/__fixture__.ts',
    forbidden: [
      "import { machineCheckout } from '../../machines/checkout/machine';",
      "import type { ActionResult } from '../../machines/console/action';",
      "import { executionInfoFromRaw } from '@temporalio/client/lib/helpers.js';",
    ],
    allowed: ["import { machineCheckout } from '../../machines';", "import { machineCheckout } from '../../machines/index';", "import { db } from '~/server/db.server';"],
  },
  {
    file: 'scripts/__fixture__.ts',
    forbidden: ["import { msToNumber } from '@temporalio/common/lib/time';"],
    allowed: ["import { machineCheckout } from '../machines/checkout/machine';", "import { can } from '../app/server/permissions';"],
  },
];

describe('import boundaries (eslint.config.js)', () => {
  for (const { file, forbidden, allowed } of cases) {
    it(`${file}: ${forbidden.length} forbidden, ${allowed.length} allowed`, async () => {
      for (const line of forbidden) {
        const source = line.match(/from '([^']+)'/)![1];
        expect(await restricted(file, `${line}\n`), line).toEqual([source]);
      }
      for (const line of allowed) expect(await restricted(file, `${line}\n`), line).toEqual([]);
    });
  }
});

describe('focused and skipped tests (eslint.config.js)', () => {
  const focusOrSkip = async (filePath: string, code: string) => {
    const [result] = await eslint.lintText(code, { filePath, warnIgnored: true });
    return result.messages.filter((m) => m.ruleId === 'no-restricted-syntax' || m.ruleId === 'no-restricted-globals').length;
  };
  // Built from parts, so that a search for focused tests in this repository does not find these fixtures.
  const call = (runner: string, modifier: string, rest = "('x', () => {});") => `${runner}.${modifier}${rest}`;
  it.each([
    ['app/server/__fixture__.test.ts', call('it', 'only')],
    ['app/server/__fixture__.test.ts', call('describe', 'skip')],
    ['app/server/__fixture__.test.ts', call('it', 'skipIf', "(true)('x', () => {});")],
    ['app/server/__fixture__.test.ts', call('it.concurrent', 'only')],
    ['app/server/__fixture__.test.ts', call('it', 'todo', "('x');")],
    ['e2e/__fixture__.spec.ts', call('test', 'only', "('x', async () => {});")],
    ['e2e/__fixture__.spec.ts', call('test.describe', 'only')],
    ['e2e/__fixture__.spec.ts', call('test.describe.parallel', 'skip')],
    ['e2e/__fixture__.spec.ts', call('test', 'fixme', "('x', async () => {});")],
    ['e2e/__fixture__.spec.ts', `${'x'}it('x', () => {});`],
  ])('%s: %s is an error', async (file, code) => {
    expect(await focusOrSkip(file, code)).toBe(1);
  });
  it('lets plain tests, steps and a test.skip-free describe through', async () => {
    expect(await focusOrSkip('e2e/__fixture__.spec.ts', "test.describe('x', () => { test('y', async () => { await test.step('z', async () => {}); }); });")).toBe(0);
    expect(await focusOrSkip('app/server/__fixture__.test.ts', "describe('x', () => { it.each([1])('y %s', () => {}); });")).toBe(0);
  });
});
