// Hostile FIX input for the soak's fuzzer: targeted mutations of a valid NewOrderSingle, each with the answers the
// FIX session rules (as QuickFIX applies them) allow, and random mutations (flipped bytes, cut frames, stray SOH,
// non-ASCII) for which any FIX answer is fine as long as the venue answers, stays up and keeps the session usable.

import { SOH, stamp } from '../../support/fix-test-client.js';
import type { Rng } from './rng.js';

/** What the venue did with one message, as the sender sees it. */
export type Outcome =
  | 'ignored' // dropped without a word (garbled frame): its MsgSeqNum was not consumed
  | 'processed' // consumed with no reject (a valid message after all; e.g. an order acknowledged)
  | `reject:${string}` // Reject(3) with SessionRejectReason(373)
  | 'business-reject' // BusinessMessageReject(j)
  | 'order-reject' // ExecutionReport with ExecType 8
  | 'logout' // Logout then disconnect
  | 'disconnect' // connection closed without a Logout
  | 'unanswered'; // neither an answer nor a closed session: never allowed

export interface FuzzCase {
  name: string;
  /** Builds the bytes, given the MsgSeqNum to use and the session's CompIDs. */
  build(seq: number, ids: { sender: string; target: string }): string;
  /** Answers the rules allow; null: any answer (random mutations). */
  allowed: readonly Outcome[] | null;
}

function checksum(s: string): string {
  let sum = 0;
  for (let i = 0; i < s.length; i++) sum += s.charCodeAt(i) & 0xff;
  return String(sum % 256).padStart(3, '0');
}

/** A frame with correct BodyLength and CheckSum around `body` (which starts with 35=). */
export function framed(body: string): string {
  const head = `8=FIX.4.4${SOH}9=${Buffer.byteLength(body, 'latin1')}${SOH}`;
  return `${head}${body}10=${checksum(head + body)}${SOH}`;
}

function header(type: string, seq: number, ids: { sender: string; target: string }, extra = ''): string {
  return `35=${type}${SOH}34=${seq}${SOH}49=${ids.sender}${SOH}52=${stamp()}${SOH}56=${ids.target}${SOH}${extra}`;
}

let counter = 0;
/** A valid order's body fields (after the header), with `edit` applied to the [tag, value] list. */
function orderFields(edit: (f: Array<[number, string]>) => Array<[number, string]> = (f) => f): string {
  const fields: Array<[number, string]> = [
    [11, `FZ-${Date.now().toString(36)}-${++counter}`],
    [55, 'BTCUSDT'],
    [54, '1'],
    [38, '0.010'],
    [40, '2'],
    [44, '90.00'],
    [59, '1'],
    [60, stamp()],
  ];
  return edit(fields).map(([t, v]) => `${t}=${v}${SOH}`).join('');
}

const withValue = (tag: number, value: string) => (f: Array<[number, string]>) => f.map(([t, v]): [number, string] => [t, t === tag ? value : v]);
const without = (tag: number) => (f: Array<[number, string]>) => f.filter(([t]) => t !== tag);
const plus = (...extra: Array<[number, string]>) => (f: Array<[number, string]>) => [...f, ...extra];

/** Mutations with a definite answer under QuickFIX's rules. */
export function targetedCases(): FuzzCase[] {
  const order = (name: string, edit: (f: Array<[number, string]>) => Array<[number, string]>, allowed: Outcome[]): FuzzCase => ({
    name,
    build: (seq, ids) => framed(header('D', seq, ids) + orderFields(edit)),
    allowed,
  });
  return [
    {
      name: 'wrong CheckSum',
      build: (seq, ids) => {
        const good = framed(header('D', seq, ids) + orderFields());
        const sum = Number(good.slice(-4, -1));
        return `${good.slice(0, -4)}${String((sum + 1) % 256).padStart(3, '0')}${SOH}`;
      },
      allowed: ['ignored'],
    },
    {
      name: 'BodyLength too small',
      build: (seq, ids) => {
        const body = header('D', seq, ids) + orderFields();
        const head = `8=FIX.4.4${SOH}9=${body.length - 7}${SOH}`;
        return `${head}${body}10=${checksum(head + body)}${SOH}`;
      },
      allowed: ['ignored', 'disconnect'],
    },
    {
      name: 'BodyLength too large',
      build: (seq, ids) => {
        const body = header('D', seq, ids) + orderFields();
        const head = `8=FIX.4.4${SOH}9=${body.length + 9}${SOH}`;
        return `${head}${body}10=${checksum(head + body)}${SOH}`;
      },
      allowed: ['ignored', 'disconnect'],
    },
    order('tag not in the dictionary', plus([2999, 'x']), ['reject:0']),
    order('tag not defined for this message type', plus([108, '30']), ['reject:2']),
    order('required tag missing (Side)', without(54), ['reject:1']),
    order('tag without a value', withValue(55, ''), ['reject:4']),
    order('value out of range (Side Z)', withValue(54, 'Z'), ['reject:5']),
    order('incorrect data format (OrderQty abc)', withValue(38, 'abc'), ['reject:6']),
    order('tag appears twice', plus([55, 'ETHUSDT']), ['reject:13']),
    order('NoPartyIDs says 3, one instance', plus([453, '3'], [448, 'P1'], [447, 'D'], [452, '3']), ['reject:16']),
    // QuickFIX ends the group at a field that is not its delimiter, so the count no longer matches.
    order('group instance not starting with its delimiter', plus([453, '1'], [447, 'D'], [448, 'P1'], [452, '3']), ['reject:16', 'reject:15']),
    order('negative quantity', withValue(38, '-5'), ['order-reject']),
    order('negative price', withValue(44, '-90.00'), ['order-reject']),
    order('huge quantity', withValue(38, '99999999999999999999999999999'), ['order-reject', 'reject:6', 'reject:5']),
    order('huge price', withValue(44, '1' + '0'.repeat(40)), ['order-reject', 'reject:6', 'reject:5']),
    order('price off the tick', withValue(44, '90.001'), ['order-reject']),
    order('unknown symbol', withValue(55, 'NOSUCH'), ['order-reject']),
    order('non-ASCII in Text', plus([58, 'caf\xe9 \xff\xfe']), ['processed', 'order-reject', 'reject:5', 'reject:6']),
    {
      name: 'unknown MsgType',
      build: (seq, ids) => framed(header('ZZ', seq, ids) + `58=hello${SOH}`),
      allowed: ['reject:11'],
    },
    {
      name: 'application message the role does not take (SecurityDefinition)',
      build: (seq, ids) => framed(header('d', seq, ids) + `320=R1${SOH}322=X1${SOH}323=1${SOH}`),
      allowed: ['business-reject'],
    },
    {
      name: 'embedded SOH inside a value',
      build: (seq, ids) => framed(header('D', seq, ids) + orderFields(plus([58, `ab${SOH}cd`]))),
      allowed: ['reject:0', 'reject:6', 'reject:5', 'ignored', 'disconnect', 'logout'],
    },
    {
      name: 'wrong SenderCompID',
      build: (seq, ids) => framed(header('D', seq, { sender: 'INTRUDER', target: ids.target }) + orderFields()),
      allowed: ['reject:9', 'logout'],
    },
    {
      name: 'SendingTime two hours off',
      build: (seq, ids) =>
        framed(`35=D${SOH}34=${seq}${SOH}49=${ids.sender}${SOH}52=${stamp(new Date(Date.now() - 7_200_000))}${SOH}56=${ids.target}${SOH}` + orderFields()),
      allowed: ['reject:10', 'logout'],
    },
    {
      name: 'MsgSeqNum too low, no PossDup',
      build: (_seq, ids) => framed(header('D', 1, ids) + orderFields()),
      allowed: ['logout'],
    },
    {
      name: 'message over maxMessageSize (100 KB Text)',
      build: (seq, ids) => framed(header('D', seq, ids) + orderFields(plus([58, 'x'.repeat(100_000)]))),
      allowed: ['logout', 'disconnect'],
    },
  ];
}

/** A random mutation of a valid order: the frame is re-wrapped (valid length and checksum) half of the time. */
export function randomCase(rng: Rng): FuzzCase {
  const kinds = ['flip', 'insert-soh', 'non-ascii', 'truncate', 'swap-digits', 'drop-field'] as const;
  const kind = rng.pick(kinds);
  const rewrap = rng.next() < 0.5;
  return {
    name: `random ${kind}${rewrap ? ' (re-framed)' : ''}`,
    allowed: null,
    build: (seq, ids) => {
      let body = header('D', seq, ids) + orderFields();
      const at = 20 + rng.int(Math.max(1, body.length - 20)); // keep MsgType and MsgSeqNum mostly intact
      switch (kind) {
        case 'flip':
          body = body.slice(0, at) + String.fromCharCode(body.charCodeAt(at) ^ (1 << rng.int(8))) + body.slice(at + 1);
          break;
        case 'insert-soh':
          body = body.slice(0, at) + SOH + body.slice(at);
          break;
        case 'non-ascii':
          body = body.slice(0, at) + String.fromCharCode(0x80 + rng.int(128)) + body.slice(at);
          break;
        case 'truncate':
          body = body.slice(0, at);
          break;
        case 'swap-digits':
          body = body.replace(/=(\d)(\d)/, '=$2$1');
          break;
        case 'drop-field': {
          const fields = body.split(SOH).filter((x) => x !== '');
          fields.splice(3 + rng.int(Math.max(1, fields.length - 3)), 1);
          body = fields.join(SOH) + SOH;
          break;
        }
      }
      if (rewrap) return framed(body);
      const head = `8=FIX.4.4${SOH}9=${Buffer.byteLength(body, 'latin1') + rng.int(3) - 1}${SOH}`;
      return `${head}${body}10=${checksum(head + body)}${SOH}`;
    },
  };
}
