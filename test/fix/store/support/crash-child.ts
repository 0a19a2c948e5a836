// A venue process for the crash test: an acceptor for VENUE->BROKER with its store in argv[2]. Prints its port,
// then serves until it is killed.

import { FixEngine, loadDictionaryShared, quickfixValidator } from '../../../../src/fix/index.js';
import { fileURLToPath } from 'node:url';

const dictionary = loadDictionaryShared(fileURLToPath(new URL('../../../../fix-dictionaries/FIX44.xml', import.meta.url)));
const engine = await FixEngine.create(
  {
    sessionsDir: process.argv[2]!,
    acceptors: [
      {
        port: 0,
        host: '127.0.0.1',
        sessions: [{ beginString: 'FIX.4.4', senderCompId: 'VENUE', targetCompId: 'BROKER', dictionary, messageLog: false }],
      },
    ],
  },
  {
    // Every News from the broker is answered with a News carrying the same headline.
    fromApp(session, message) {
      const headline = message.getString(148) ?? '';
      session.send('B', (w) => w.str(148, headline).group(33, 1).instance().str(58, 'ack').endGroup());
    },
  },
  quickfixValidator,
);
await engine.start();
console.log(`port ${engine.acceptorPorts[0]}`);
