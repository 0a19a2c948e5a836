// FIX data types as small integers, so the validator can switch on a byte from a Uint8Array indexed by tag
// instead of comparing type-name strings on the hot path. Names follow the QuickFIX XML `type` attribute.

export const FieldType = {
  Unknown: 0,
  String: 1,
  Char: 2,
  Price: 3,
  Int: 4,
  Amt: 5,
  Qty: 6,
  Currency: 7,
  MultipleValueString: 8,
  MultipleStringValue: 9,
  MultipleCharValue: 10,
  Exchange: 11,
  UtcTimestamp: 12,
  Boolean: 13,
  LocalMktDate: 14,
  Data: 15,
  Float: 16,
  PriceOffset: 17,
  MonthYear: 18,
  DayOfMonth: 19,
  UtcDate: 20,
  UtcDateOnly: 21,
  UtcTimeOnly: 22,
  NumInGroup: 23,
  Percentage: 24,
  SeqNum: 25,
  Length: 26,
  Country: 27,
  TzTimeOnly: 28,
  TzTimestamp: 29,
  XmlData: 30,
  Language: 31,
} as const;

export type FieldTypeCode = (typeof FieldType)[keyof typeof FieldType];

const BY_XML_NAME: ReadonlyMap<string, FieldTypeCode> = new Map<string, FieldTypeCode>([
  ['STRING', FieldType.String],
  ['CHAR', FieldType.Char],
  ['PRICE', FieldType.Price],
  ['INT', FieldType.Int],
  ['AMT', FieldType.Amt],
  ['QTY', FieldType.Qty],
  ['CURRENCY', FieldType.Currency],
  ['MULTIPLEVALUESTRING', FieldType.MultipleValueString],
  ['MULTIPLESTRINGVALUE', FieldType.MultipleStringValue],
  ['MULTIPLECHARVALUE', FieldType.MultipleCharValue],
  ['EXCHANGE', FieldType.Exchange],
  ['UTCTIMESTAMP', FieldType.UtcTimestamp],
  ['TIME', FieldType.UtcTimestamp], // QuickFIX maps the FIX 4.0 name TIME onto UTCTIMESTAMP
  ['BOOLEAN', FieldType.Boolean],
  ['LOCALMKTDATE', FieldType.LocalMktDate],
  ['DATA', FieldType.Data],
  ['FLOAT', FieldType.Float],
  ['PRICEOFFSET', FieldType.PriceOffset],
  ['MONTHYEAR', FieldType.MonthYear],
  ['DAYOFMONTH', FieldType.DayOfMonth],
  ['UTCDATE', FieldType.UtcDate],
  ['UTCDATEONLY', FieldType.UtcDateOnly],
  ['UTCTIMEONLY', FieldType.UtcTimeOnly],
  ['NUMINGROUP', FieldType.NumInGroup],
  ['PERCENTAGE', FieldType.Percentage],
  ['SEQNUM', FieldType.SeqNum],
  ['LENGTH', FieldType.Length],
  ['COUNTRY', FieldType.Country],
  ['TZTIMEONLY', FieldType.TzTimeOnly],
  ['TZTIMESTAMP', FieldType.TzTimestamp],
  ['XMLDATA', FieldType.XmlData],
  ['LANGUAGE', FieldType.Language],
]);

/** Type code for an XML type name; unknown names map to Unknown (QuickFIX then skips the format check). */
export function fieldTypeFromXml(name: string): FieldTypeCode {
  return BY_XML_NAME.get(name) ?? FieldType.Unknown;
}

/** Types whose value is a space-separated list, each item checked against the enum separately. */
export function isMultipleValueType(type: number): boolean {
  return (
    type === FieldType.MultipleValueString ||
    type === FieldType.MultipleStringValue ||
    type === FieldType.MultipleCharValue
  );
}
