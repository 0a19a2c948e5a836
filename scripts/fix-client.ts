// fix-client: log on to the venue as a member session and trade from the command line or an interactive
// prompt, with execution reports printed readably. What a new member firm's developer tries first.
//
//   npm run fix-client -- --session BROKER1 --password broker1-secret
//   npm run fix-client -- --session BROKER1 --password broker1-secret --send "buy 0.5 BTCUSDT @ 60000" --send "orders"
//
// It runs our own FIX engine as the initiator, with its sequence numbers kept under var/fix-client/, so a
// reconnect resumes the session (and any reports missed while away arrive by resend).

import { clearLine, createInterface, cursorTo, type Interface } from 'node:readline';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { FixEngine, loadDictionary, quickfixValidator, type Application, type SessionHandle } from '../src/fix/index.js';
import { CommandError, parseCommand, stampOf, writeRequest, type ClientState } from './fix-client/commands.js';
import { describeMassStatus, describeMessage, OrderBookkeeper } from './fix-client/printer.js';
import { logonRefusalAdvice } from './fix-client/logon-refusal.js';

const HELP = `commands:
  buy|sell QTY SYMBOL @ PRICE [day|gtc|ioc|fok|opg|atc] [post] [account ACC] [id ID]
  buy|sell QTY SYMBOL market [opg|atc]  buy|sell QTY SYMBOL stop PX [@ LIMIT]
  cancel ID      replace ID [qty Q] [price P]      status ID
  orders [SYMBOL]      cancelall [SYMBOL]      book SYMBOL [DEPTH]      securities      trades [MINUTES]
  help      quit`;

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      session: { type: 'string', short: 's' },
      password: { type: 'string', short: 'p', default: '' },
      host: { type: 'string', default: '127.0.0.1' },
      port: { type: 'string', default: process.env.FIX_PORT ?? '9876' },
      target: { type: 'string', default: 'VENUE' },
      store: { type: 'string', default: 'var/fix-client' },
      dictionary: { type: 'string', default: 'fix-dictionaries/FIX44.xml' },
      reset: { type: 'boolean', default: false },
      send: { type: 'string', multiple: true },
      wait: { type: 'string', default: '1500' },
      help: { type: 'boolean', short: 'h' },
    },
  });
  if (values.help || !values.session) {
    process.stdout.write(
      'usage: fix-client --session COMPID [--password P] [--host H (127.0.0.1)] [--port N (FIX_PORT or 9876)] [--reset]\n' +
        '                  [--store DIR (var/fix-client)] [--dictionary FILE] [--send "COMMAND"]... [--wait MS]\n' +
        `  commands also come from standard input when it is not a terminal\n${HELP}\n`,
    );
    process.exit(values.help ? 0 : 2);
  }
  const port = Number(values.port);
  const sessionId = { beginString: 'FIX.4.4', senderCompId: values.session, targetCompId: values.target };
  // At a terminal a report arriving while the prompt waits is printed above it and the prompt drawn again; with
  // input piped in there is no prompt at all (it would be glued onto the reports).
  const interactive = process.stdin.isTTY === true && process.stdout.isTTY === true;
  let prompt: Interface | null = null;
  const print = (line: string): void => {
    if (prompt !== null) {
      clearLine(process.stdout, 0);
      cursorTo(process.stdout, 0);
    }
    process.stdout.write(`${line}\n`);
    prompt?.prompt(true);
  };
  const storeDir = join(values.store, `${values.host}-${values.port}`);
  let venueSaid = '';
  const orders = new OrderBookkeeper();
  const massStatusSeen = new Set<string>();
  let loggedOn: () => void;
  let everLoggedOn = false;
  /** Wakes a --send run waiting for the venue's answer to its last command. */
  let replied: (() => void) | null = null;
  const reply = (ms: number): Promise<void> =>
    new Promise((resolve) => {
      const timer = setTimeout(resolve, ms);
      replied = () => {
        clearTimeout(timer);
        resolve();
      };
    });
  const logon = new Promise<void>((r) => (loggedOn = r));
  let counter = 0;
  const prefix = `${values.session}-${Date.now().toString(36)}-`;
  const state: ClientState = {
    nextId: () => prefix + String(++counter),
    lookup: (id) => orders.lookup(id),
    now: () => stampOf(new Date()),
  };

  const app: Application = {
    onLogon: (s) => {
      everLoggedOn = true;
      print(`logged on as ${s.id.senderCompId} to ${s.id.targetCompId} (next seq out ${s.nextSenderSeq}, in ${s.nextTargetSeq})`);
      loggedOn();
    },
    onLogout: (_s, reason) => {
      print(`logged out: ${reason}`);
      if (!everLoggedOn) {
        print(logonRefusalAdvice(venueSaid, storeDir));
        process.exit(1);
      }
    },
    fromAdmin: (_s, m) => {
      if (m.msgType === '5' && m.has(58)) {
        venueSaid = m.getString(58) ?? '';
        print(`venue says: ${venueSaid}`);
      }
      if (m.msgType === '3') print(describeMessage(m));
    },
    fromApp: (_s, m) => {
      if (m.msgType === '8') orders.learn(m);
      const known = orders.lookup(m.getString(11) ?? '');
      const massStatusId = m.msgType === '8' ? m.getString(584) : undefined;
      if (massStatusId !== undefined) {
        for (const line of describeMassStatus(m, known, !massStatusSeen.has(massStatusId))) print(line);
        massStatusSeen.add(massStatusId);
      } else {
        print(describeMessage(m, known));
      }
      const wake = replied;
      replied = null;
      wake?.();
    },
  };
  const engine = await FixEngine.create(
    {
      sessionsDir: storeDir,
      initiators: [
        {
          host: values.host,
          port,
          reconnectMinMs: 1000,
          reconnectMaxMs: 10_000,
          session: { ...sessionId, dictionary: loadDictionary(values.dictionary), password: values.password, sendResetSeqNumFlag: values.reset, heartBtIntSeconds: 30, messageLog: false },
        },
      ],
    },
    app,
    quickfixValidator,
  );
  await engine.start();
  const session = engine.session(sessionId) as SessionHandle;
  const timeout = setTimeout(() => print(`still not logged on to ${values.host}:${port}: is the venue running, and are the session and password right?`), 5000);
  await logon;
  clearTimeout(timeout);

  const run = (line: string): boolean => {
    const trimmed = line.trim();
    if (trimmed === 'quit' || trimmed === 'exit') return false;
    if (trimmed === 'help' || trimmed === '?') {
      print(HELP);
      return true;
    }
    try {
      const request = parseCommand(trimmed, state);
      if (request) {
        session.send(request.msgType, (w) => writeRequest(request, w));
        if (request.msgType === 'D' && request.clOrdId) {
          const f = new Map(request.fields);
          orders.sent({ clOrdId: request.clOrdId, side: f.get(54) ?? '1', symbol: f.get(55) ?? '', qty: f.get(38) ?? '', price: f.get(44) ?? '' });
        }
        if (request.clOrdId) print(`sent ${request.msgType} ${request.clOrdId}`);
      }
    } catch (err) {
      if (err instanceof CommandError) print(`? ${err.message}`);
      else throw err;
    }
    return true;
  };

  const finish = async (): Promise<void> => {
    await engine.stop();
    process.exit(0);
  };
  // --send, or input piped in: one command at a time, each after the venue answered the previous one (so
  // "replace O1" after "buy ... id O1" refers to the order the venue acknowledged), then a moment for late reports.
  const runInTurn = async (lines: AsyncIterable<string> | Iterable<string>): Promise<void> => {
    for await (const line of lines) {
      if (line.trim() === '') continue;
      const answered = reply(2000);
      if (!run(line)) break;
      await answered;
    }
    setTimeout(() => void finish(), Number(values.wait));
  };
  if (values.send && values.send.length > 0) return runInTurn(values.send);
  if (!interactive) return runInTurn(createInterface({ input: process.stdin, terminal: false }));
  const rl = createInterface({ input: process.stdin, output: process.stdout, prompt: `${values.session}> ` });
  prompt = rl;
  rl.prompt();
  rl.on('line', (line) => {
    if (!run(line)) rl.close();
    else rl.prompt();
  });
  rl.on('close', () => {
    prompt = null;
    void finish();
  });
}

main().catch((err: unknown) => {
  process.stderr.write(`fix-client: ${err instanceof Error ? err.message : String(err)}\n`);
  process.exit(1);
});
