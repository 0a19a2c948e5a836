import { StpMode } from '../venue/model/enums.js';

/** Self-trade prevention modes as written in config files. */
export const STP_MODE_NAMES = {
  none: StpMode.None,
  'cancel-resting': StpMode.CancelResting,
  'cancel-aggressing': StpMode.CancelAggressing,
  'cancel-both': StpMode.CancelBoth,
  'decrement-and-cancel': StpMode.DecrementAndCancel,
} as const;

export type StpModeName = keyof typeof STP_MODE_NAMES;
export const STP_MODE_NAME_LIST = Object.keys(STP_MODE_NAMES) as StpModeName[];
