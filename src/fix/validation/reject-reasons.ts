// SessionRejectReason(373) codes with the Text(58) QuickFIX writes for each, so a Reject from this engine
// reads exactly like one from the reference acceptor.

export const RejectReason = {
  InvalidTagNumber: 0,
  RequiredTagMissing: 1,
  TagNotDefinedForMessageType: 2,
  UndefinedTag: 3,
  TagSpecifiedWithoutValue: 4,
  ValueIsIncorrect: 5,
  IncorrectDataFormat: 6,
  DecryptionProblem: 7,
  SignatureProblem: 8,
  CompIdProblem: 9,
  SendingTimeAccuracyProblem: 10,
  InvalidMsgType: 11,
  TagAppearsMoreThanOnce: 13,
  TagSpecifiedOutOfRequiredOrder: 14,
  RepeatingGroupFieldsOutOfOrder: 15,
  IncorrectNumInGroupCount: 16,
  Other: 99,
} as const;
export type RejectReasonCode = (typeof RejectReason)[keyof typeof RejectReason];

const TEXT: Readonly<Record<number, string>> = {
  0: 'Invalid tag number',
  1: 'Required tag missing',
  2: 'Tag not defined for this message type',
  3: 'Undefined Tag',
  4: 'Tag specified without a value',
  5: 'Value is incorrect (out of range) for this tag',
  6: 'Incorrect data format for value',
  7: 'Decryption problem',
  8: 'Signature problem',
  9: 'CompID problem',
  10: 'SendingTime accuracy problem',
  11: 'Invalid MsgType',
  13: 'Tag appears more than once',
  14: 'Tag specified out of required order',
  15: 'Repeating group fields out of order',
  16: 'Incorrect NumInGroup count for repeating group',
  99: 'Other',
};

/** QuickFIX's Text(58) for a SessionRejectReason. */
export function rejectText(reason: number): string {
  return TEXT[reason] ?? `Reject reason ${reason}`;
}
