// Tag numbers the codec and session layer refer to by name. Only the ones the engine itself needs;
// everything else is looked up in the dictionary.

export const Tag = {
  BeginSeqNo: 7,
  BeginString: 8,
  BodyLength: 9,
  CheckSum: 10,
  EndSeqNo: 16,
  MsgSeqNum: 34,
  MsgType: 35,
  NewSeqNo: 36,
  PossDupFlag: 43,
  RefSeqNum: 45,
  SenderCompID: 49,
  SenderSubID: 50,
  SendingTime: 52,
  TargetCompID: 56,
  TargetSubID: 57,
  Text: 58,
  Signature: 89,
  SecureDataLen: 90,
  SecureData: 91,
  SignatureLength: 93,
  PossResend: 97,
  EncryptMethod: 98,
  HeartBtInt: 108,
  TestReqID: 112,
  OnBehalfOfCompID: 115,
  OnBehalfOfSubID: 116,
  OrigSendingTime: 122,
  GapFillFlag: 123,
  DeliverToCompID: 128,
  DeliverToSubID: 129,
  ResetSeqNumFlag: 141,
  OnBehalfOfLocationID: 144,
  DeliverToLocationID: 145,
  XmlDataLen: 212,
  XmlData: 213,
  RefTagID: 371,
  RefMsgType: 372,
  SessionRejectReason: 373,
  BusinessRejectReason: 380,
  Username: 553,
  Password: 554,
  NoHops: 627,
} as const;

/**
 * Header tags QuickFIX treats as header even without a dictionary (its Message::isHeaderField list).
 * The dictionary's <header> adds to this set; it never removes from it.
 */
export const BUILTIN_HEADER_TAGS: readonly number[] = [
  8, 9, 35, 49, 56, 115, 128, 90, 91, 34, 50, 142, 57, 143, 116, 144, 129, 145, 43, 97, 52, 122, 212, 213, 347,
  369, 370, 1128, 1129, 627,
];

/** Trailer tags QuickFIX knows without a dictionary. */
export const BUILTIN_TRAILER_TAGS: readonly number[] = [93, 89, 10];
