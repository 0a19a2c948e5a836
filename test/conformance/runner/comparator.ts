// The expected/received comparison of QuickFIX's Comparator.rb: split on SOH (trailing empties dropped, as Ruby's
// split does), equal field counts, identical tags position by position, and values compared exactly except for the
// tags listed in fields.fmt, whose ACTUAL value must match the unanchored regex (the expected value is ignored).

import { readFileSync } from 'node:fs';

export type FieldPatterns = Map<string, RegExp>;

export function loadFieldPatterns(path: string): FieldPatterns {
  const patterns: FieldPatterns = new Map();
  for (const line of readFileSync(path, 'latin1').split('\n')) {
    const trimmed = line.replace(/\r$/, '');
    if (trimmed.length === 0) continue;
    const eq = trimmed.indexOf('=');
    patterns.set(trimmed.slice(0, eq), new RegExp(trimmed.slice(eq + 1)));
  }
  return patterns;
}

/** Returns null when the messages match, otherwise the reason. */
export function compareMessages(expected: string, actual: string, patterns: FieldPatterns): string | null {
  const expectedFields = rubySplit(expected, '\x01');
  const actualFields = rubySplit(actual, '\x01');
  if (expectedFields.length !== actualFields.length) return 'Number of fields do not match';
  for (let i = 0; i < expectedFields.length; i++) {
    const [expectedTag, expectedValue] = tagAndValue(expectedFields[i]!);
    const [actualTag, actualValue] = tagAndValue(actualFields[i]!);
    if (expectedTag !== actualTag) return `Tag ${actualTag ?? ''} does not match expected tag ${expectedTag ?? ''}`;
    const pattern = expectedTag === undefined ? undefined : patterns.get(expectedTag);
    if (pattern) {
      if (actualValue === undefined || !pattern.test(actualValue)) {
        return `Value of field ${expectedTag} does not match the pattern ${pattern.source}`;
      }
    } else if (expectedValue !== actualValue) {
      return `Value of field ${expectedTag} does not match`;
    }
  }
  return null;
}

/** Ruby's `field.split("=")` read as [0] and [1]: the text before any second "=", and nil for an empty value. */
function tagAndValue(field: string): [string | undefined, string | undefined] {
  const parts = rubySplit(field, '=');
  return [parts[0], parts[1]];
}

function rubySplit(text: string, separator: string): string[] {
  const parts = text.split(separator);
  while (parts.length > 0 && parts[parts.length - 1] === '') parts.pop();
  return parts;
}
