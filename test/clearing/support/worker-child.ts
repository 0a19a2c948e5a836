// A clearing worker in a child process that stops dead at a known point of its first job, for the crash
// test: the parent SIGKILLs it there, so the job is left active with its lock, as after a real crash.
//
//   worker-child.ts <redisUrl> <reportsDir> before-apply|after-apply
//
// Prints "READY", then "AT <point> <jobId>" and hangs (never acknowledges the job).

import { Worker, type Job } from 'bullmq';
import { Redis } from 'ioredis';
import { createClearingProcessor } from '../../../src/clearing/clearing-processor.js';
import { processorDeps, workerOptions } from '../../../src/clearing/clearing-workers.js';
import { INSTRUMENTS } from '../../records/support/events.js';
import { FIRMS, clearingSettings } from './harness.js';

const [redisUrl, reportsDir, point] = process.argv.slice(2) as [string, string, 'before-apply' | 'after-apply'];
const settings = clearingSettings(reportsDir, { workers: { inProcess: false, concurrency: 1, lockDurationMs: 1000, stalledIntervalMs: 300 } });
const redis = new Redis(redisUrl);
const process_ = createClearingProcessor(processorDeps({ settings, redisUrl, instruments: INSTRUMENTS, firms: FIRMS, counterparty: 'VENUE' }, redis));
const hang = (): Promise<never> => new Promise<never>(() => {});

const worker = new Worker(
  settings.queue,
  async (job: Job) => {
    if (point === 'before-apply') {
      process.stdout.write(`AT before-apply ${job.id}\n`);
      return hang();
    }
    await process_(job);
    process.stdout.write(`AT after-apply ${job.id}\n`);
    return hang();
  },
  workerOptions(settings, redisUrl),
);
worker.on('error', (err) => process.stderr.write(`worker error: ${err.message}\n`));
void worker.run();
void worker.waitUntilReady().then(() => process.stdout.write('READY\n'));
