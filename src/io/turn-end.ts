// Work that runs once at the end of an event-loop turn, after everything the turn's I/O callbacks did. The journal
// commits its batch there and the FIX engine then flushes the turn's stores and sockets: two users, one
// setImmediate per turn between them instead of one each (an Immediate is allocated per call, and at 5,000
// orders/s a turn is usually one order); the execution record writes its turn there too. Tasks run in the order
// they were scheduled, so the journal, which schedules from inside the command that the FIX output follows, runs
// first.

import { emptyArray } from '../shared/arrays.js';

type Task = () => void;

const MAX_PER_PASS = 1000;

export class TurnEnd {
  private tasks: Task[] = [];
  private scheduled = false;

  /** Runs `task` at the end of this turn. The caller keeps its own "already scheduled" flag. */
  schedule(task: Task): void {
    this.tasks.push(task);
    if (!this.scheduled) {
      this.scheduled = true;
      setImmediate(this.run);
    }
  }

  private readonly run = (): void => {
    const tasks = this.tasks;
    let failure: unknown = null;
    // Tasks scheduled while the pass runs (the execution record hears of the events the journal's commit
    // released) join this pass instead of costing another Immediate; past MAX_PER_PASS the rest waits for the
    // next turn, so a task that keeps rescheduling itself cannot keep the loop from its I/O.
    let i = 0;
    for (; i < tasks.length && i < MAX_PER_PASS; i++) {
      // One task's exception must not cancel the others' turn (a journal failure still lets the FIX layer fail
      // its outputs); the first one is rethrown afterwards, as an uncaught setImmediate callback's would be.
      try {
        tasks[i]!();
      } catch (err) {
        if (failure === null) failure = err;
      }
    }
    if (i === tasks.length) emptyArray(tasks);
    else tasks.splice(0, i);
    this.scheduled = tasks.length > 0;
    if (this.scheduled) setImmediate(this.run);
    if (failure !== null) throw failure;
  };
}

/** The process's turn end: one event loop, one end of turn. */
export const turnEnd = new TurnEnd();
