// Bounded label values for free-text reasons. Logout and disconnect reasons come from the FIX engine as
// sentences that may carry numbers, addresses or a counterparty's own words; a label must come from a small
// fixed set, so each sentence is mapped to the kind of event it describes. The full text stays in the log.

export const DISCONNECT_REASONS = [
  'logout',
  'counterparty_logout',
  'heartbeat_timeout',
  'logon_timeout',
  'logout_timeout',
  'logon_refused',
  'invalid_message',
  'sequence_too_low',
  'peer_closed',
  'socket_error',
  'slow_consumer',
  'rate_limit',
  'store_failure',
  'replaced',
  'ops',
  'shutdown',
  'other',
] as const;
export type DisconnectReason = (typeof DISCONNECT_REASONS)[number];

/** Ordered: the first pattern that matches names the reason. */
const RULES: readonly (readonly [RegExp, DisconnectReason])[] = [
  [/^ops:/, 'ops'],
  [/logout handshake completed/i, 'logout'],
  [/counterparty logged out/i, 'counterparty_logout'],
  [/waiting for heartbeat/i, 'heartbeat_timeout'],
  [/waiting for logon/i, 'logon_timeout'],
  [/waiting for logout/i, 'logout_timeout'],
  [/logon refused|invalid username|not valid for message|logon response before/i, 'logon_refused'],
  [/too low/i, 'sequence_too_low'],
  [/message rate|throttl/i, 'rate_limit'],
  [/slow consumer/i, 'slow_consumer'],
  [/store|durability barrier|persist/i, 'store_failure'],
  [/replaced by a new connection/i, 'replaced'],
  [/engine stopping|listener closing/i, 'shutdown'],
  [/peer closed|^closed$/i, 'peer_closed'],
  [/socket error|ECONNRESET|EPIPE/i, 'socket_error'],
  [/invalid|not valid|garbled|too large|not FIX|missing|malformed|checksum|BodyLength|reject/i, 'invalid_message'],
];

export function disconnectReason(text: string): DisconnectReason {
  for (const [pattern, reason] of RULES) if (pattern.test(text)) return reason;
  return 'other';
}

/** SessionRejectReason(373) codes as label values; anything else (a peer's own code) is 'other'. */
const SESSION_REJECT_NAMES: Readonly<Record<number, string>> = {
  0: 'invalid_tag_number',
  1: 'required_tag_missing',
  2: 'tag_not_defined_for_msg_type',
  3: 'undefined_tag',
  4: 'tag_without_value',
  5: 'value_incorrect',
  6: 'incorrect_data_format',
  7: 'decryption_problem',
  8: 'signature_problem',
  9: 'comp_id_problem',
  10: 'sending_time_accuracy',
  11: 'invalid_msg_type',
  12: 'xml_validation_error',
  13: 'tag_repeated',
  14: 'tag_out_of_order',
  15: 'group_fields_out_of_order',
  16: 'incorrect_num_in_group',
  17: 'non_data_value_includes_delimiter',
  99: 'other',
};

export const SESSION_REJECT_REASONS: readonly string[] = [...new Set(Object.values(SESSION_REJECT_NAMES))];

export function sessionRejectReason(code: number): string {
  return SESSION_REJECT_NAMES[code] ?? 'other';
}
