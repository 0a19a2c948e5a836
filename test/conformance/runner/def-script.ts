// Reads a QuickFIX acceptance definition (.def) into a list of steps, following the rules of QuickFIX's Runner.rb:
// per line (after chomp) an optional "<action><digit>," prefix selects the connection, "#" starts a comment, and
// the first character picks the action. Lines are kept as latin1 strings so every byte (SOH included) survives.

export type StepKind = 'send' | 'expect' | 'connect' | 'disconnect' | 'expect-disconnect' | 'noop';

export interface Step {
  kind: StepKind;
  /** Connection number (1 unless the line says "I2," etc.). */
  connection: number;
  /** Raw payload for send/expect, before TIME substitution and fixify. */
  payload: string;
  /** 1-based line number in the file, for failure reports. */
  line: number;
}

export class DefSyntaxError extends Error {
  constructor(readonly line: number, readonly text: string) {
    super(`Syntax error`);
  }
}

const CONNECTION_PREFIX = /^[IEie]\d{1},/;
const CLIENT_MODE = /^i\d*,?CONNECT/;

/** Parses the bytes of a .def file. Throws DefSyntaxError on a line no action claims, as Runner.rb does. */
export function parseDefinition(bytes: Buffer): { clientMode: boolean; steps: Step[] } {
  const text = bytes.toString('latin1');
  const lines = text.split('\n');
  // A final "\n" leaves one empty string behind; Ruby's each_line would not yield it, and empty lines are skipped anyway.
  const clientMode = lines.some((l) => CLIENT_MODE.test(chomp(l)));
  const steps: Step[] = [];
  lines.forEach((raw, index) => {
    const line = chomp(raw);
    const lineNo = index + 1;
    if (line.length === 0) return;
    let connection = 1;
    let payload: string;
    if (CONNECTION_PREFIX.test(line)) {
      connection = Number(line[1]);
      payload = line.slice(3);
    } else {
      payload = line.slice(1);
    }
    const action = line[0];
    if (action === '#') return;
    switch (action) {
      case 'I':
        steps.push({ kind: 'send', connection, payload, line: lineNo });
        return;
      case 'E':
        steps.push({ kind: 'expect', connection, payload, line: lineNo });
        return;
      case 'i':
        steps.push({ kind: connectOrDisconnect(payload, line, lineNo), connection, payload, line: lineNo });
        return;
      case 'e': {
        const kind = connectOrDisconnect(payload, line, lineNo);
        // In client mode (every server test) "eCONNECT" means nothing: the runner is the one connecting.
        steps.push({ kind: kind === 'connect' ? 'noop' : 'expect-disconnect', connection, payload, line: lineNo });
        return;
      }
      default:
        throw new DefSyntaxError(lineNo, line);
    }
  });
  return { clientMode, steps };
}

function connectOrDisconnect(payload: string, line: string, lineNo: number): 'connect' | 'disconnect' {
  if (/^CONNECT/.test(payload)) return 'connect';
  if (/^DISCONNECT/.test(payload)) return 'disconnect';
  throw new DefSyntaxError(lineNo, line);
}

/** Ruby's String#chomp: drops one trailing "\r\n", "\n" or "\r". */
function chomp(line: string): string {
  if (line.endsWith('\r\n')) return line.slice(0, -2);
  if (line.endsWith('\n') || line.endsWith('\r')) return line.slice(0, -1);
  return line;
}
