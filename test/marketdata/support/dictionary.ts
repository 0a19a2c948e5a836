// The FIX 4.4 dictionary both ends of the tests validate with.

import { fileURLToPath } from 'node:url';
import { loadDictionaryShared, type FixDictionary } from '../../../src/fix/index.js';

export const dictionary: FixDictionary = loadDictionaryShared(fileURLToPath(new URL('../../../fix-dictionaries/FIX44.xml', import.meta.url)));
