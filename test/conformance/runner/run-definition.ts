// Runs one .def file against an acceptor with the rules of QuickFIX's Runner.rb: a connect/close probe first, then
// the steps in order on numbered connections; the first failure aborts the file and every socket is closed.

import { readFileSync } from 'node:fs';
import net from 'node:net';
import { compareMessages, type FieldPatterns } from './comparator.js';
import { DefSyntaxError, parseDefinition, type Step } from './def-script.js';
import { processPayload } from './payload.js';
import { RunnerFailure, RunnerSocket } from './runner-socket.js';

export interface RunOptions {
  host: string;
  port: number;
  patterns: FieldPatterns;
  /** How long an E line waits for its message before failing (QuickFIX's runner waits forever). */
  readTimeoutMs?: number;
  /** The eDISCONNECT wait; 10 s in QuickFIX's runner. */
  disconnectTimeoutMs?: number;
}

export interface DefinitionFailure {
  line: number;
  reason: string;
  expected: string;
  received: string;
}

export type DefinitionResult = { passed: true } | { passed: false; failure: DefinitionFailure };

export async function runDefinition(file: string, options: RunOptions): Promise<DefinitionResult> {
  let steps: Step[];
  try {
    const parsed = parseDefinition(readFileSync(file));
    if (!parsed.clientMode) {
      return fail(0, 'server-mode definitions (e CONNECT) are client tests and are not run here', '', '');
    }
    steps = parsed.steps;
  } catch (err) {
    if (err instanceof DefSyntaxError) return fail(err.line, err.message, '', err.text);
    throw err;
  }

  await probe(options.host, options.port);

  const sockets = new Map<number, RunnerSocket>();
  const readTimeoutMs = options.readTimeoutMs ?? 30_000;
  const disconnectTimeoutMs = options.disconnectTimeoutMs ?? 10_000;
  try {
    for (const step of steps) {
      const outcome = await runStep(step, sockets, options, readTimeoutMs, disconnectTimeoutMs);
      if (outcome) return { passed: false, failure: outcome };
    }
    return { passed: true };
  } finally {
    for (const socket of sockets.values()) socket.close();
  }
}

async function runStep(
  step: Step,
  sockets: Map<number, RunnerSocket>,
  options: RunOptions,
  readTimeoutMs: number,
  disconnectTimeoutMs: number,
): Promise<DefinitionFailure | null> {
  const failure = (reason: string, expected = '', received = ''): DefinitionFailure => ({
    line: step.line,
    reason,
    expected: expected.replaceAll('\x01', '|'),
    received: received.replaceAll('\x01', '|'),
  });
  switch (step.kind) {
    case 'noop':
      return null;
    case 'connect': {
      sockets.get(step.connection)?.close();
      try {
        sockets.set(step.connection, await RunnerSocket.connect(options.host, options.port));
      } catch (err) {
        return failure(`Could not connect: ${(err as Error).message}`);
      }
      return null;
    }
    case 'disconnect': {
      sockets.get(step.connection)?.close();
      sockets.delete(step.connection);
      return null;
    }
    case 'send': {
      const socket = sockets.get(step.connection);
      if (!socket) return failure('No connection to send on');
      socket.write(processPayload(step.payload));
      return null;
    }
    case 'expect': {
      const socket = sockets.get(step.connection);
      if (!socket) return failure('No connection to expect on');
      const expected = processPayload(step.payload);
      let received: string;
      try {
        received = await socket.readMessage(readTimeoutMs);
      } catch (err) {
        if (err instanceof RunnerFailure) return failure(err.message, expected);
        throw err;
      }
      const reason = compareMessages(expected, received, options.patterns);
      return reason === null ? null : failure(reason, expected, received);
    }
    case 'expect-disconnect': {
      const socket = sockets.get(step.connection);
      if (!socket) return failure('No connection to expect a disconnection on');
      try {
        await socket.expectDisconnect(disconnectTimeoutMs);
      } catch (err) {
        if (err instanceof RunnerFailure) return failure(err.message);
        throw err;
      }
      sockets.delete(step.connection);
      socket.close();
      return null;
    }
  }
}

/** Runner.rb tries a TCP connect up to 29 times, 1 s apart, and closes it: the acceptor sees an empty connection. */
async function probe(host: string, port: number): Promise<void> {
  for (let attempt = 0; attempt < 29; attempt++) {
    const connected = await new Promise<boolean>((resolve) => {
      const socket = net.connect({ host, port });
      socket.once('connect', () => {
        socket.destroy();
        resolve(true);
      });
      socket.once('error', () => resolve(false));
    });
    if (connected) return;
    await new Promise((r) => setTimeout(r, 1000));
  }
}

function fail(line: number, reason: string, expected: string, received: string): DefinitionResult {
  return { passed: false, failure: { line, reason, expected, received } };
}

/** The runner's failure report: `    line    : N` etc., SOH shown as |. */
export function formatFailure(failure: DefinitionFailure): string {
  return [
    `    line    : ${failure.line}`,
    `    reason  : ${failure.reason}`,
    `    expected: ${failure.expected}`,
    `    received: ${failure.received}`,
  ].join('\n');
}
