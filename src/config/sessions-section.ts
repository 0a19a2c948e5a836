import type { ConfigNode } from './config-reader.js';
import type { FirmSettings, SessionRole, SessionSettings } from './settings.js';
import { readSessionSchedule } from './session-schedule-section.js';

const ROLES: readonly SessionRole[] = ['order-entry', 'drop-copy', 'market-data'];

/**
 * `existingFile(node, key, fallback)` resolves a path against the config file and fails naming the key when the file
 * is missing; `defaultDictionary` is the listener's (fix.dictionary), which a session without its own uses.
 */
export function readSessions(
  root: ConfigNode,
  firms: FirmSettings[],
  existingFile: (node: ConfigNode, key: string, fallback: string) => string,
  defaultDictionary: string,
): SessionSettings[] {
  const firmIds = firms.map((f) => f.id);
  const sessions = root.items('sessions').map((node): SessionSettings => {
    node.onlyKeys([
      'id', 'role', 'firm', 'entitledFirms', 'password', 'resetOnLogon', 'cancelOnDisconnect', 'throttle', 'allowedIps', 'messageLog', 'dictionary', 'schedule',
    ]);
    const id = node.nonEmptyStr('id');
    const role = node.oneOf('role', ROLES);
    const firm = node.str('firm', '');
    if (role === 'order-entry' && !firmIds.includes(firm)) node.fail(`the id of a configured firm (${firmIds.join(', ')})`, 'firm', firm);
    if (firm !== '' && !firmIds.includes(firm)) node.fail(`the id of a configured firm (${firmIds.join(', ')})`, 'firm', firm);
    const entitledFirms = node.stringList('entitledFirms', []);
    if (role === 'drop-copy' && entitledFirms.length === 0) node.fail('a list of firm ids, or ["*"] for all firms', 'entitledFirms');
    for (const f of entitledFirms) {
      if (f !== '*' && !firmIds.includes(f)) node.fail(`firm ids from "firms" or "*"`, 'entitledFirms', f);
    }
    const throttle = node.optionalChild('throttle');
    throttle?.onlyKeys(['messagesPerSecond', 'logoutAfterSeconds']);
    return {
      id,
      role,
      firm,
      entitledFirms,
      password: node.str('password', ''),
      resetOnLogon: node.bool('resetOnLogon', false),
      cancelOnDisconnect: node.bool('cancelOnDisconnect', false),
      throttle: {
        messagesPerSecond: throttle?.int('messagesPerSecond', 0, 0) ?? 0,
        logoutAfterSeconds: throttle?.int('logoutAfterSeconds', 0, 0) ?? 0,
      },
      allowedIps: node.stringList('allowedIps', []),
      dictionary: node.has('dictionary') ? existingFile(node, 'dictionary', '') : defaultDictionary,
      schedule: readSessionSchedule(node),
      ...(node.has('messageLog') ? { messageLog: node.bool('messageLog') } : {}),
    };
  });
  const seen = new Set<string>();
  sessions.forEach((s, i) => {
    if (seen.has(s.id)) root.child('sessions').fail('unique session ids', i, s.id);
    seen.add(s.id);
  });
  return sessions;
}
