// The standard dictionary check for a session: the codec's validator with the session's options, in QuickFIX's
// order (structure, MsgType, required fields, then field by field).

import type { MessageValidator } from '../session/message-validator.js';
import type { SessionConfig } from '../session/session-config.js';
import { FixValidator } from '../validation/validator.js';

export function quickfixValidator(config: SessionConfig): MessageValidator {
  const validator = new FixValidator(config.dictionary, {
    checkFieldsHaveValues: config.validateFieldsHaveValues ?? true,
  });
  return (view) => validator.validate(view);
}
