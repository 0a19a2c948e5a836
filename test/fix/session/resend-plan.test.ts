import { expect } from 'chai';
import { effectiveResendEnd, planResend } from '../../../src/fix/session/resend-plan.js';
import type { StoredMessage } from '../../../src/fix/store/message-store.js';

const app = (seq: number): StoredMessage => ({ seq, admin: false, bytes: Buffer.from(`app${seq}`) });
const admin = (seq: number): StoredMessage => ({ seq, admin: true, bytes: Buffer.from(`adm${seq}`) });
const describeSteps = (steps: ReturnType<typeof planResend>): string[] =>
  steps.map((s) => (s.kind === 'gapFill' ? `gap ${s.begin}->${s.newSeqNo}` : `resend ${s.message.seq}`));

describe('resend planning (QuickFIX nextResendRequest)', () => {
  it('resends application messages and collapses each run of admin messages into one gap fill', () => {
    const stored = [admin(1), admin(2), app(3), app(4), admin(5), admin(6), app(7)];
    expect(describeSteps(planResend(1, 7, stored, 8, () => true))).to.deep.equal([
      'gap 1->3',
      'resend 3',
      'resend 4',
      'gap 5->7',
      'resend 7',
    ]);
  });

  it('gap-fills holes in the store and messages the application declines', () => {
    const stored = [app(2), app(5), app(6)];
    expect(describeSteps(planResend(2, 6, stored, 7, (m) => m.seq !== 6))).to.deep.equal([
      'resend 2',
      'gap 3->5',
      'resend 5',
      'gap 6->7',
    ]);
  });

  it('past the last stored message, adds QuickFIX\'s gap fill from BeginSeqNo up to the next sender seq', () => {
    expect(describeSteps(planResend(3, 9, [app(3)], 10, () => true))).to.deep.equal(['resend 3', 'gap 3->10']);
    expect(describeSteps(planResend(4, 9, [], 10, () => true))).to.deep.equal(['gap 4->10']);
  });

  it('reads EndSeqNo 0 or beyond the last sent as "up to the last sent"', () => {
    expect(effectiveResendEnd(0, 12)).to.equal(11);
    expect(effectiveResendEnd(50, 12)).to.equal(11);
    expect(effectiveResendEnd(5, 12)).to.equal(5);
  });
});
