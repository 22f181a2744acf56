// The workflow bundle, built in a short-lived child process: webpack and what it allocates
// (about 110 MB of resident memory that V8 does not give back) stay out of the long-running
// worker, which only receives the bundle's code. `node --import tsx temporal/bundle.ts <file>`
// writes the bundle to <file>.
import { spawn } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const SELF = fileURLToPath(import.meta.url);
export const WORKFLOWS_PATH = fileURLToPath(new URL('./workflows/index.ts', import.meta.url));
/** Workflow interceptor modules, bundled with the workflows (pass them to bundleWorkflowCode too). */
export const WORKFLOW_INTERCEPTOR_MODULES = [fileURLToPath(new URL('./workflows/request-id.interceptors.ts', import.meta.url))];

/** Bundles the workflows (and their interceptors) in a child process; resolves with the code. */
export async function bundleWorkflowsApart(): Promise<{ code: string }> {
  const dir = await mkdtemp(path.join(tmpdir(), 'vigie-workflow-bundle-'));
  const file = path.join(dir, 'bundle.js');
  try {
    await new Promise<void>((resolve, reject) => {
      const child = spawn(process.execPath, ['--import', 'tsx', SELF, file], { stdio: ['ignore', 'ignore', 'inherit'] });
      child.once('error', reject);
      child.once('exit', (code, signal) => (code === 0 ? resolve() : reject(new Error(`the workflow bundler exited with ${signal ?? `code ${code}`}`))));
    });
    return { code: await readFile(file, 'utf8') };
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

async function main(file: string) {
  const { bundleWorkflowCode } = await import('@temporalio/worker');
  const noisy = () => {};
  const bundle = await bundleWorkflowCode({
    workflowsPath: WORKFLOWS_PATH,
    workflowInterceptorModules: WORKFLOW_INTERCEPTOR_MODULES,
    logger: { log: noisy, trace: noisy, debug: noisy, info: noisy, warn: console.warn, error: console.error },
  });
  writeFileSync(file, bundle.code);
}

if (process.argv[1] && path.resolve(process.argv[1]) === SELF) {
  const file = process.argv[2];
  if (!file) throw new Error('usage: node --import tsx temporal/bundle.ts <output file>');
  await main(file);
}
