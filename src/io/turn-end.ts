// Work that runs once at the end of an event-loop turn, after everything the turn's I/O callbacks did. The journal
// commits its batch there and the FIX engine then flushes the turn's stores and sockets: two users, one
// setImmediate per turn between them instead of one each (an Immediate is allocated per call, and at 5,000
// orders/s a turn is usually one order). Tasks run in the order they were first scheduled in the turn, so the
// journal, which always schedules from inside the command that the FIX output follows, runs first.

type Task = () => void;

export class TurnEnd {
  private tasks: Task[] = [];
  private spare: Task[] = [];
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
    this.scheduled = false;
    const tasks = this.tasks;
    this.tasks = this.spare;
    let failure: unknown = null;
    for (let i = 0; i < tasks.length; i++) {
      // One task's exception must not cancel the others' turn (a journal failure still lets the FIX layer fail
      // its outputs); the first one is rethrown afterwards, as an uncaught setImmediate callback's would be.
      try {
        tasks[i]!();
      } catch (err) {
        if (failure === null) failure = err;
      }
    }
    tasks.length = 0;
    this.spare = tasks;
    if (failure !== null) throw failure;
  };
}

/** The process's turn end: one event loop, one end of turn. */
export const turnEnd = new TurnEnd();
