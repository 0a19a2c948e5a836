// SessionRejectReason(373) and BusinessRejectReason(380) values with the Text(58) QuickFIX puts on its rejects, so
// our rejects read the same as the reference acceptor's.

/** SessionRejectReason(373) values and their QuickFIX texts live with the validator, which produces most of them. */
export { RejectReason as SessionRejectReason, rejectText as sessionRejectText } from '../validation/reject-reasons.js';

export const BusinessRejectReason = {
  Other: 0,
  UnknownId: 1,
  UnknownSecurity: 2,
  UnsupportedMessageType: 3,
  ApplicationNotAvailable: 4,
  ConditionallyRequiredFieldMissing: 5,
  NotAuthorized: 6,
  DeliverToFirmNotAvailable: 7,
} as const;

const BUSINESS_REJECT_TEXT: Readonly<Record<number, string>> = {
  0: 'Other',
  1: 'Unknown ID',
  2: 'Unknown Security',
  3: 'Unsupported Message Type',
  4: 'Application not available',
  5: 'Conditionally required field missing',
  6: 'Not authorized',
  7: 'DeliverTo firm not available at this time',
};

export function businessRejectText(reason: number): string | undefined {
  return BUSINESS_REJECT_TEXT[reason];
}
