// The field-writing surface an application gets when it builds an outgoing message (see SessionHandle.send): the
// shared encoder itself, minus begin/finish which belong to the session. Fields may be added in any order; the
// message goes out in QuickFIX's order (header ascending, body ascending with group members in dictionary order),
// so header fields such as PossResend(97) or DeliverToCompID(128) can simply be added along with the body.

import type { FixEncoder } from '../codec/encoder.js';

export type FieldWriter = Pick<
  FixEncoder,
  | 'str'
  | 'int'
  | 'intSuffixed'
  | 'char'
  | 'bool'
  | 'decimal'
  | 'timestamp'
  | 'bytes'
  | 'rawFields'
  | 'group'
  | 'instance'
  | 'endGroup'
  | 'copyBody'
  | 'copyField'
  | 'setStr'
  | 'setInt'
  | 'remove'
  | 'has'
  | 'allows'
>;
