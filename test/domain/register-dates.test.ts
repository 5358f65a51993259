import { describe, expect, it } from 'vitest';
import { parseRegisterDate } from '../../src/domain/register-dates.js';

describe('dates as registers write them', () => {
  it.each([
    ['Mar-24', '2024-03-31'],
    ['Feb-24', '2024-02-29'],
    ['Sep-23', '2023-09-30'],
    ['Dec 23', '2023-12-31'],
    ['Sept 2024', '2024-09-30'],
    ['30-Nov-23', '2023-11-30'],
    ['01/12/23', '2023-12-01'],
    ['21/03/24', '2024-03-21'],
    ['31st march 2024', '2024-03-31'],
    ['31st December 2024', '2024-12-31'],
    ['Q4 2022/23', '2023-03-31'],
    ['Q1 2023/24', '2023-06-30'],
    ['Q3 2023/24', '2023-12-31'],
    ['2024-05-01', '2024-05-01'],
  ])('%s -> %s', (text, date) => {
    expect(parseRegisterDate(text)).toEqual({ kind: 'date', date });
  });

  it.each(['ongoing. Review Dec 23', 'Continuous', 'N/A', '#REF!', 'Changed from Dec 2017 to Dec 2018', '31/02/24', 'Q4 2022/25', 'Smarch 24'])(
    'keeps %s as text instead of guessing',
    (text) => {
      expect(parseRegisterDate(text)).toEqual({ kind: 'unreadable', text });
    },
  );

  it('treats blank as no date', () => {
    expect(parseRegisterDate('  ')).toEqual({ kind: 'none' });
    expect(parseRegisterDate(undefined)).toEqual({ kind: 'none' });
  });
});
