import { sayIn } from '../../src/app/i18n.js';
import { describe, expect, it } from 'vitest';
import { auditEntries } from '../../src/domain/audit.js';
import type { ListPolicy } from '../../src/domain/policy.js';
import { planQaDecision, planSampleDecision } from '../../src/domain/qa.js';
import { RoleDirectory } from '../../src/domain/roles.js';
import { sampleCandidates, selectSample } from '../../src/domain/sampling.js';
import type { Task } from '../../src/domain/task.js';
import { planUpdate } from '../../src/domain/update.js';

const owner = { aadObjectId: 'owner', displayName: 'Olive Owner' };
const lynne = { aadObjectId: 'lynne', displayName: 'Lynne Robbins' };
const megan = { aadObjectId: 'megan', displayName: 'Megan Bowen' };
const isaiah = { aadObjectId: 'isaiah', displayName: 'Isaiah Langer' };
const roles = new RoleDirectory([
  { role: 'GM Community Safety', people: [owner], deputies: [], planLead: false },
  { role: 'Quality Assurance', people: [lynne, megan], deputies: [], planLead: false },
  { role: 'Business Assurance', people: [isaiah, lynne], deputies: [], planLead: true },
]);
const policy: ListPolicy = {
  vocabulary: { complete: ['Complete'], onTrack: ['On Target'], behind: ['Behind Target'], notStarted: ['Yet to Start'], blocked: ['Blocked'] },
  qa: { reviewers: { role: 'Quality Assurance', people: [] }, evidence: 'link', nudgeAfterWorkingDays: 3, nudgeEveryDays: 3 },
  sampling: { share: 0.1, assurers: { role: 'Business Assurance', people: [] } },
  input: { evidenceHosts: ['x.example'], revisedDateMaxYears: 3, evidenceFiles: { maxBytes: 25 * 1024 * 1024, types: ['pdf'], folder: 'Evidence' } },
};
const TODAY = '2026-11-23';
const now = { instant: '2026-11-23T09:00:00.000Z', today: TODAY };
const base: Task = { listKey: 'l', itemId: '1', eTag: '"g,1"', ref: 'AFI1-T3', title: 't', plan: 'P', ownerPeople: [], ownerRole: 'GM Community Safety', status: 'On Target', dueDate: '2026-11-30', qaStatus: 'Not submitted' };
const update = (req: Parameters<typeof planUpdate>[1], task: Task = base, p: ListPolicy = policy) => planUpdate(task, req, p, owner, now, sayIn('en'));

describe('submitting for QA', () => {
  it('needs an evidence link before a task can be completed', () => {
    const r = update({ status: 'Complete', evidenceSummary: 'the minutes' });
    expect(!r.ok && r.errors).toEqual(['Add evidence before submitting for QA: an evidence link (https://…) to the document that shows the work is done.']);
  });

  it('accepts a description alone when the list allows it', () => {
    const r = update({ status: 'Complete', evidenceSummary: 'the minutes' }, base, { ...policy, qa: { ...policy.qa!, evidence: 'linkOrSummary' } });
    expect(r.ok && r.changes.qaStatus).toBe('Awaiting QA');
  });

  it('submits with evidence and says so', () => {
    const r = update({ status: 'Complete', evidenceLink: 'https://x.example/e.pdf' });
    expect(r.ok && r.changes).toMatchObject({ status: 'Complete', qaStatus: 'Awaiting QA' });
    expect(r.ok && r.summary).toContain('submitted for QA');
  });

  it('submits a complete task when its missing evidence is added, but not for a note alone', () => {
    const done = { ...base, status: 'Complete' };
    const noteOnly = update({ note: 'just a note' }, done);
    expect(noteOnly.ok && 'qaStatus' in noteOnly.changes).toBe(false);
    expect(update({ evidenceLink: 'https://x.example/e.pdf' }, done)).toMatchObject({ ok: true, changes: { qaStatus: 'Awaiting QA' } });
  });

  it('withdraws a submission when the owner moves the task back into progress', () => {
    expect(update({ status: 'On Target' }, { ...base, status: 'Complete', qaStatus: 'Awaiting QA' })).toMatchObject({ ok: true, changes: { qaStatus: 'Not submitted' } });
  });

  it('locks status and evidence once approved, but still takes notes', () => {
    const approved = { ...base, status: 'Complete', qaStatus: 'Approved', qaReviewer: 'Lynne Robbins', qaDate: '2026-11-20', evidenceLink: 'https://x.example/e.pdf' };
    const r = update({ status: 'On Target' }, approved);
    expect(!r.ok && r.errors[0]).toBe('AFI1-T3 was approved by QA (Lynne Robbins, 20 Nov 2026), so its status and evidence are locked. You can still add a progress note.');
    expect(update({ evidenceLink: 'https://x.example/other.pdf' }, approved).ok).toBe(false);
    expect(update({ note: 'follow-up' }, approved).ok).toBe(true);
  });
});

describe('QA decisions', () => {
  const awaiting: Task = { ...base, status: 'Complete', qaStatus: 'Awaiting QA', evidenceLink: 'https://x.example/e.pdf' };
  const decide = (task: Task, kind: 'approve' | 'return', who: typeof lynne, comment?: string) => planQaDecision(task, { kind, comment }, who, policy, roles, TODAY, sayIn('en'));

  it('approves, recording date, reviewer and comment', () => {
    expect(decide(awaiting, 'approve', lynne, ' Good evidence ')).toEqual({
      ok: true,
      summary: 'approved by Lynne Robbins',
      changes: { qaStatus: 'Approved', qaDate: TODAY, qaReviewer: 'Lynne Robbins', qaReviewerId: 'lynne', qaComment: 'Good evidence' },
    });
  });

  it('returns with a reason to "on track", or "behind" once the due date has passed', () => {
    expect(decide(awaiting, 'return', lynne, 'No minutes attached')).toMatchObject({ ok: true, changes: { qaStatus: 'Returned', status: 'On Target', qaComment: 'No minutes attached' } });
    expect(decide({ ...awaiting, dueDate: '2026-11-01' }, 'return', lynne, 'x')).toMatchObject({ ok: true, changes: { status: 'Behind Target' } });
  });

  it.each([
    ['a reviewer deciding their own task', { ...awaiting, ownerRole: 'Quality Assurance' }, 'approve', lynne, undefined, 'self'],
    ['someone who is not a reviewer', awaiting, 'approve', isaiah, undefined, 'notAllowed'],
    ['a return without a comment', awaiting, 'return', lynne, '  ', 'invalid'],
    ['a task already approved', { ...awaiting, qaStatus: 'Approved', qaReviewer: 'Megan Bowen' }, 'approve', lynne, undefined, 'alreadyDecided'],
    ['a task not submitted', base, 'approve', lynne, undefined, 'alreadyDecided'],
  ] as const)('refuses %s', (_name, task, kind, who, comment, reason) => {
    expect(decide(task, kind, who, comment)).toMatchObject({ ok: false, reason });
  });
});

describe('second-line sampling', () => {
  const approved = (n: number): Task => ({ ...base, itemId: String(n), ref: `T${n}`, status: 'Complete', qaStatus: 'Approved', qaReviewerId: 'megan', evidenceLink: 'https://x.example/e.pdf' });
  const pool = Array.from({ length: 37 }, (_, i) => approved(i + 1));

  it('draws the share (at least one) reproducibly from the seed', () => {
    const a = selectSample(pool, 0.1, 'actions:2026-11-23');
    expect(a).toHaveLength(4);
    expect(selectSample([...pool].reverse(), 0.1, 'actions:2026-11-23')).toEqual(a);
    expect(selectSample(pool, 0.1, 'another seed').map((t) => t.ref)).not.toEqual(a.map((t) => t.ref));
    expect(selectSample(pool.slice(0, 3), 0.1, 's')).toHaveLength(1);
    expect(selectSample([], 0.1, 's')).toEqual([]);
  });

  it('only considers approved tasks not yet sampled', () => {
    expect(sampleCandidates([approved(1), { ...approved(2), sampleStatus: 'Confirmed' }, { ...approved(3), qaStatus: 'Awaiting QA' }]).map((t) => t.ref)).toEqual(['T1']);
  });

  it('confirms, or challenges with a reason back to QA; never by the approving reviewer', () => {
    const selected = { ...approved(1), sampleStatus: 'Selected' };
    expect(planSampleDecision(selected, { kind: 'confirm' }, isaiah, policy, roles, TODAY, sayIn('en'))).toMatchObject({ ok: true, changes: { sampleStatus: 'Confirmed', sampledBy: 'Isaiah Langer', sampleDate: TODAY } });
    expect(planSampleDecision(selected, { kind: 'challenge' }, isaiah, policy, roles, TODAY, sayIn('en'))).toMatchObject({ ok: false, reason: 'invalid' });
    expect(planSampleDecision(selected, { kind: 'challenge', comment: 'Evidence predates the action' }, isaiah, policy, roles, TODAY, sayIn('en'))).toMatchObject({
      ok: true, changes: { sampleStatus: 'Challenged', qaStatus: 'Awaiting QA', sampleComment: 'Evidence predates the action' },
    });
    expect(planSampleDecision({ ...selected, qaReviewerId: 'lynne' }, { kind: 'confirm' }, lynne, policy, roles, TODAY, sayIn('en'))).toMatchObject({ ok: false, reason: 'self' });
    expect(planSampleDecision(selected, { kind: 'confirm' }, megan, policy, roles, TODAY, sayIn('en'))).toMatchObject({ ok: false, reason: 'self' }); // she approved it
    expect(planSampleDecision(selected, { kind: 'confirm' }, { aadObjectId: 'adele', displayName: 'Adele' }, policy, roles, TODAY, sayIn('en'))).toMatchObject({ ok: false, reason: 'notAllowed' });
  });
});

describe('audit entries', () => {
  it('records each changed field once, the appended note rather than the whole log, and no bookkeeping', () => {
    const task = { ...base, progressNotes: '[2026-10-01 X] old' };
    const entries = auditEntries(task, { status: 'Complete', progressNotes: '[2026-11-23 Olive Owner] new\n[2026-10-01 X] old', qaStatus: 'Awaiting QA', evidenceLink: undefined, lastUpdate: 'now', lastUpdatedBy: 'Olive' }, owner, '2026-11-23T09:00:00Z', 'Teams card');
    expect(entries.map((e) => [e.field, e.oldValue, e.newValue])).toEqual([
      ['status', 'On Target', 'Complete'],
      ['progressNotes', '', '[2026-11-23 Olive Owner] new'],
      ['qaStatus', 'Not submitted', 'Awaiting QA'],
    ]);
    expect(entries[0]).toMatchObject({ ref: 'AFI1-T3', actor: 'Olive Owner', actorId: 'owner', at: '2026-11-23T09:00:00Z', channel: 'Teams card' });
  });
});
