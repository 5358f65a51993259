import { describe, expect, it } from 'vitest';
import { chatDate, readChatUpdate } from '../../src/domain/chat-update.js';

const today = '2026-11-23';

describe('reading an update typed in plain words', () => {
  it.each([
    ['note AFI3-T2 met them', 'AFI3-T2'],
    ['note afi3 t2 met them', 'AFI3-T2'],
    ['note AFI3T2 met them', 'AFI3-T2'],
    ['note L0-R5 met them', 'L0-R5'],
    ['note K-3F9A1C met them', 'K-3F9A1C'],
    ['note SII4-T1.1 met them', 'SII4-T1.1'],
  ])('"%s" names %s, whatever register it came from', (text, ref) => {
    expect(readChatUpdate(text, today)).toEqual({ kind: 'note', ref, note: 'met them' });
  });

  it('reads UK dates: day first, month names, the end of a month (the next one), fiscal quarters', () => {
    expect(chatDate('01/04/2027', today)).toBe('2027-04-01');
    expect(chatDate('end of March', today)).toBe('2027-03-31');
    expect(chatDate('end of December', today)).toBe('2026-12-31');
    expect(chatDate('Q4 2026/27', today)).toBe('2027-03-31');
    expect(chatDate('someday', today)).toBeUndefined();
  });

  it('is not an update phrase when it names no task and no update word', () => {
    expect(readChatUpdate('what is the weather', today)).toBeUndefined();
    expect(readChatUpdate('history AFI1-T3', today)).toBeUndefined();
  });
});
