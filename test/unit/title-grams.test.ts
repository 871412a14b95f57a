/**
 * The title search's grams (activities/title-grams.ts): whatever a title contains, the gram a
 * search asks for is one the title carries — so the index narrows a search and never loses a match.
 */
import fc from 'fast-check';
import { searchGram, titleGrams } from '../../activities/title-grams';

/** Titles as officials write them: Chinese, digits, Latin letters, brackets and punctuation. */
const title = fc.string({ unit: fc.constantFrom(...Array.from('银川市停车收费标准管理办法（试行）2026年第3号ABc-、 《》·\u{20000}')), minLength: 1, maxLength: 40 });

test('every title holds the gram searched for any text it contains', () => {
  fc.assert(
    fc.property(title, fc.nat(), fc.nat(), (t, a, b) => {
      const chars = Array.from(t);
      const [from, to] = [a % (chars.length + 1), b % (chars.length + 1)].sort((x, y) => x - y);
      const q = chars.slice(from, to).join('');
      const gram = searchGram(q);
      if (gram !== null) expect(titleGrams(t)).toContain(gram);
    }),
    { numRuns: 2000 },
  );
});

test('the longest gram is asked for, the one least like every other title', () => {
  expect(searchGram('停车')).toBe('停车');
  expect(searchGram('规模4321')).toHaveLength(3);
  // Place names and the kind of document are in most titles: the topic narrows more.
  expect(searchGram('银川市停车收费')).toBe('停车收');
  expect(searchGram('管理办法')).not.toBeNull();
  expect(searchGram('停')).toBe('停');
  expect(searchGram('（）、')).toBeNull();
});

test("a title's grams: its characters, adjacent pairs and triples within runs of letters and digits, once each", () => {
  expect(titleGrams('停车（试行）').sort()).toEqual(['停', '车', '停车', '试', '行', '试行'].sort());
  expect(titleGrams('收费标准').sort()).toEqual(['收', '费', '标', '准', '收费', '费标', '标准', '收费标', '费标准'].sort());
  expect(titleGrams('A-A A')).toEqual(['A']);
  expect(titleGrams('\u{20000}银').sort()).toEqual(['\u{20000}', '银', '\u{20000}银'].sort());
});
