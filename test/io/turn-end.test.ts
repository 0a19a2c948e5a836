import { expect } from 'chai';
import { TurnEnd } from '../../src/io/turn-end.js';

const nextTurn = (): Promise<void> => new Promise((resolve) => setImmediate(resolve));

describe('TurnEnd', () => {
  it('runs the turn\'s tasks once, after the turn, in the order they were scheduled', async () => {
    const turnEnd = new TurnEnd();
    const ran: string[] = [];
    turnEnd.schedule(() => ran.push('journal'));
    turnEnd.schedule(() => ran.push('fix'));
    expect(ran).to.deep.equal([]);
    await nextTurn();
    expect(ran).to.deep.equal(['journal', 'fix']);
    await nextTurn();
    expect(ran).to.deep.equal(['journal', 'fix']);
  });

  it('runs a task scheduled by another task in the same pass', async () => {
    const turnEnd = new TurnEnd();
    const ran: string[] = [];
    turnEnd.schedule(() => {
      ran.push('journal');
      turnEnd.schedule(() => ran.push('record'));
    });
    await nextTurn();
    expect(ran).to.deep.equal(['journal', 'record']);
  });

  it('leaves a task that keeps rescheduling itself to later turns, so I/O still gets its turn', async () => {
    const turnEnd = new TurnEnd();
    let runs = 0;
    const again = (): void => {
      runs++;
      if (runs < 5000) turnEnd.schedule(again);
    };
    turnEnd.schedule(again);
    await nextTurn();
    expect(runs).to.be.greaterThan(0).and.lessThan(5000);
    while (runs < 5000) await nextTurn();
    expect(runs).to.equal(5000);
  });
});
