import { sayIn } from '../../src/app/i18n.js';
import { describe, expect, it } from 'vitest';
import type { StatusVocabulary, Task } from '../../src/domain/task.js';
import { planUpdate } from '../../src/domain/update.js';

const vocabulary: StatusVocabulary = { complete: ['Complete'], onTrack: ['On Target'], behind: ['Behind Target'], notStarted: ['Yet to Start'], blocked: ['Blocked'] };
const task: Task = { listKey: 'l', itemId: '1', eTag: '"g,3"', ref: 'AFI1-T3', title: 't', plan: 'P', ownerPeople: [], status: 'On Target', dueDate: '2026-11-30', progressNotes: '[2026-10-01 Ben] earlier' };
const now = { instant: '2026-11-23T09:00:00.000Z', today: '2026-11-23' };
const actor = { displayName: 'Alex Wilber' };
const plan = (req: Parameters<typeof planUpdate>[1], t: Task = task) => planUpdate(t, req, { vocabulary, input: { evidenceHosts: ['contoso.sharepoint.com', '*.example.org'], revisedDateMaxYears: 3, evidenceFiles: { maxBytes: 25 * 1024 * 1024, types: ['pdf'], folder: 'Evidence' } } }, actor, now, sayIn('en'));

describe('planning an owner update', () => {
  it('appends the note with date and author above earlier notes', () => {
    const r = plan({ note: '  Report drafted  ', status: 'Behind Target' });
    expect(r.ok && r.changes).toMatchObject({
      status: 'Behind Target',
      progressNotes: '[2026-11-23 Alex Wilber] Report drafted\n[2026-10-01 Ben] earlier',
      lastUpdate: now.instant,
      lastUpdatedBy: 'Alex Wilber',
    });
  });

  it('keeps the original due date and records the reason when the date moves', () => {
    const r = plan({ revisedDate: '2027-01-31', revisedReason: 'Waiting on the national body' });
    expect(r.ok && r.changes).toMatchObject({ dueDate: '2027-01-31', originalDueDate: '2026-11-30', revisedDateReason: 'Waiting on the national body' });
    const again = plan({ revisedDate: '2027-02-28', revisedReason: 'Slipped again' }, { ...task, dueDate: '2027-01-31', originalDueDate: '2026-11-30' });
    expect(again.ok && again.changes.originalDueDate).toBeUndefined();
  });

  it.each([
    [{ revisedDate: '2027-01-31' }, 'A revised date needs a reason'],
    [{ revisedDate: '2027-02-30', revisedReason: 'x' }, 'is not a real date'],
    [{ revisedDate: '2026-11-01', revisedReason: 'x' }, 'is in the past'],
    [{ revisedReason: 'x' }, 'no revised date'],
    [{ evidenceLink: 'http://intranet/doc.pdf' }, 'must start with https://'],
    [{ evidenceLink: 'javascript:alert(1)' }, 'must start with https://'],
    [{ evidenceLink: 'not a link' }, 'must start with https://'],
    [{ note: 'x'.repeat(50_000) }, 'Progress note is too long (50,000 characters; the limit is 2,000)'],
    [{ status: 'Done-ish' }, 'is not a status this plan uses'],
    [{}, 'Nothing to save'],
  ])('refuses %o with a clear message', (req, message) => {
    const r = plan(req);
    expect(r.ok).toBe(false);
    expect(!r.ok && r.errors.join(' ')).toContain(message);
  });

  it('reports every problem at once', () => {
    const r = plan({ evidenceLink: 'ftp://x', revisedDate: '2027-01-01' });
    expect(!r.ok && r.errors).toHaveLength(2);
  });
});
