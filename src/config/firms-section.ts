import type { ConfigNode } from './config-reader.js';
import type { FirmSettings } from './settings.js';
import { STP_MODE_NAMES, STP_MODE_NAME_LIST, type StpModeName } from './stp-modes.js';
import type { StpMode } from '../venue/model/enums.js';

export function readFirms(root: ConfigNode, stpDefault: StpMode): FirmSettings[] {
  const firms = root.items('firms').map((node): FirmSettings => {
    node.onlyKeys(['id', 'name', 'accounts', 'defaultAccount', 'selfTradePrevention']);
    const id = node.nonEmptyStr('id');
    const accounts = node.stringList('accounts');
    if (accounts.length === 0) node.fail('at least one account', 'accounts');
    const defaultAccount = node.nonEmptyStr('defaultAccount', accounts[0]);
    if (!accounts.includes(defaultAccount)) node.fail(`one of the firm's accounts (${accounts.join(', ')})`, 'defaultAccount', defaultAccount);
    const stpName = node.has('selfTradePrevention') ? node.oneOf<StpModeName>('selfTradePrevention', STP_MODE_NAME_LIST) : undefined;
    return {
      id,
      name: node.str('name', id),
      accounts,
      defaultAccount,
      stpMode: stpName === undefined ? stpDefault : STP_MODE_NAMES[stpName],
    };
  });
  const owners = new Map<string, string>();
  firms.forEach((firm, i) => {
    for (const account of firm.accounts) {
      const other = owners.get(account);
      if (other !== undefined) root.child('firms').fail(`account names unique across firms (also in ${other})`, i, account);
      owners.set(account, firm.id);
    }
  });
  return firms;
}
