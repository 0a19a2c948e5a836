// Header and trailer tags the codec knows without a dictionary. Tag numbers by name are in src/fix/fix44-values.ts.

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
