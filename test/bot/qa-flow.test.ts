import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { Task } from '../../src/domain/task.js';
import { runQaNudges } from '../../src/features/assurance/qa-nudge.js';
import { CardVerbRouter } from '../../src/interactions/card-verbs.js';
import { FEATURES } from '../../src/main/compose.js';
import { ownersOf } from '../../src/domain/reminders.js';
import { runSampling } from '../../src/features/assurance/sample.js';
import { DEMO_PEOPLE } from '../../src/local/demo-data/people.js';
import type { StoredList } from '../../src/local/graph-emulator/model.js';
import { cardOf, textOf, type FakeConnector } from '../helpers/connector.js';
import type { BotHarness } from '../helpers/harness.js';
import { openChat, TeamsClient, type Chat, type DemoPerson } from '../helpers/teams-client.js';

const [ALEX, MEGAN, ADELE, ISAIAH, , LYNNE] = DEMO_PEOPLE as [DemoPerson, DemoPerson, DemoPerson, DemoPerson, DemoPerson, DemoPerson];
const EVIDENCE = 'https://contoso.sharepoint.com/sites/plans/Evidence/AFI4-T1-evaluation.pdf';
let bot: BotHarness;
let connector: FakeConnector;
let teams: TeamsClient;

const list = (name: string): StoredList => bot.emulator.model.data.sites[0]!.lists.find((l) => l.displayName === name)!;
const item = (id: string) => bot.item('Improvement Actions', id);
const auditRows = () => list('Plan Updates').items.map((i) => i.fields);
const cardsTo = (person: DemoPerson) => connector.calls.filter((c) => c.method === 'POST' && c.conversationId === `a:chat-${person.id}`).map(cardOf);
const updatesTo = (person: DemoPerson) => connector.updates().filter((c) => c.conversationId === `a:chat-${person.id}`).map(cardOf);
const task = (ref: string) => bot.task(ref);
const decision = (t: Task, comment?: string) => ({ listKey: t.listKey, itemId: t.itemId, eTag: t.eTag, ...(comment === undefined ? {} : { comment }) });

/** Asserts a refused action changed neither the item nor the audit list. */
async function unchanged(ref: string, action: () => Promise<unknown>): Promise<void> {
  const t = await task(ref);
  const before = item(t.itemId);
  const rows = auditRows().length;
  await action();
  expect(item(t.itemId)).toEqual(before);
  expect(auditRows()).toHaveLength(rows);
}

let chat: Chat;
beforeAll(async () => {
  chat = await openChat({ ADMIN_AAD_OBJECT_IDS: DEMO_PEOPLE[0]!.id }, [ALEX, MEGAN, ADELE, ISAIAH, LYNNE]);
  ({ bot, connector, teams } = chat);
});
afterAll(() => chat.close());
beforeEach(() => connector.clear());

describe('QA sign-off over HTTP', () => {
  it('will not submit a task as complete without evidence', async () => {
    const t = await task('AFI4-T1');
    await unchanged('AFI4-T1', async () => {
      const res = await teams.invoke(ALEX, 'saveUpdate', { listKey: t.listKey, itemId: t.itemId, eTag: t.eTag, status: 'Complete', evidenceSummary: 'Template agreed' });
      expect(textOf(res.value)).toContain('Add evidence before submitting for QA');
    });
    expect(connector.sent()).toHaveLength(0);
  });

  it('submits with evidence: Awaiting QA, audit rows, and a QA card to each reviewer but not the owner', async () => {
    const t = await task('AFI4-T1');
    const res = await teams.invoke(ALEX, 'saveUpdate', { listKey: t.listKey, itemId: t.itemId, eTag: t.eTag, status: 'Complete', evidenceLink: EVIDENCE, evidenceSummary: 'Signed-off evaluation', note: 'Done' });
    expect(textOf(res.value)).toMatch(/submitted for QA\. Sent to QA: (Megan Bowen, Lynne Robbins|Lynne Robbins, Megan Bowen)\./);
    expect(item(t.itemId).fields).toMatchObject({ Status: 'Complete', QAStatus: 'Awaiting QA', EvidenceLink: EVIDENCE });
    const rows = auditRows().filter((r) => r.ActionRef === 'AFI4-T1');
    expect(rows.map((r) => r.Field).sort()).toEqual(['EvidenceLink', 'EvidenceSummary', 'ProgressNotes', 'QAStatus', 'Status']);
    expect(rows.find((r) => r.Field === 'Status')).toMatchObject({ OldValue: 'On Target', NewValue: 'Complete', Actor: 'Alex Wilber', ActorId: ALEX.id, Channel: 'Teams card', ItemId: t.itemId, List: 'actions' });
    for (const reviewer of [LYNNE, MEGAN]) {
      const text = textOf(cardsTo(reviewer).at(-1));
      expect(text).toContain('QA sign-off · AFI4-T1');
      expect(text).toContain('Signed-off evaluation');
      expect(text).toContain('Approve');
      expect(JSON.stringify(cardsTo(reviewer).at(-1))).toContain(EVIDENCE);
    }
    expect(cardsTo(ALEX)).toHaveLength(0);
  });

  it('refuses self-approval, non-reviewers and a return without a reason, changing nothing', async () => {
    const t = await task('AFI4-T1');
    await unchanged('AFI4-T1', async () => {
      expect(textOf((await teams.invoke(ALEX, 'qaApprove', decision(t))).value)).toContain('You answer for AFI4-T1, so you cannot QA it yourself');
      expect(textOf((await teams.invoke(ISAIAH, 'qaApprove', decision(t))).value)).toContain("Only the plan's QA reviewers can approve or return AFI4-T1");
      expect(textOf((await teams.invoke(LYNNE, 'qaReturn', decision(t, '   '))).value)).toContain('A return needs a comment saying why');
    });
  });

  it('refuses a decision on evidence that changed since the card was sent', async () => {
    const sentWith = await task('AFI4-T1');
    const res = await teams.invoke(ALEX, 'saveUpdate', { listKey: sentWith.listKey, itemId: sentWith.itemId, eTag: sentWith.eTag, evidenceSummary: 'Signed-off evaluation and the board minutes' });
    expect(textOf(res.value)).toContain('Saved AFI4-T1');
    await unchanged('AFI4-T1', async () => {
      const stale = await teams.invoke(LYNNE, 'qaApprove', decision(sentWith));
      expect(textOf(stale.value)).toContain('AFI4-T1 changed after this card was sent, so nothing was decided');
      expect(textOf(stale.value)).toContain('board minutes');
    });
  });

  it('returns with a reason: back in progress, the owner told with an Update button, every reviewer\'s card updated', async () => {
    const t = await task('AFI4-T1');
    const res = await teams.invoke(LYNNE, 'qaReturn', decision(t, 'The minutes do not show sign-off'));
    expect(textOf(res.value)).toContain('AFI4-T1 returned by Lynne Robbins: "The minutes do not show sign-off"');
    expect(JSON.stringify(res.value)).not.toContain('qaApprove');
    expect(item(t.itemId).fields).toMatchObject({ QAStatus: 'Returned', Status: 'On Target', QAComment: 'The minutes do not show sign-off', QAReviewer: 'Lynne Robbins', QAReviewerId: LYNNE.id });
    const told = cardsTo(ALEX).at(-1)!;
    expect(textOf(told)).toContain('AFI4-T1 was returned by QA');
    expect(textOf(told)).toContain('The minutes do not show sign-off');
    expect(JSON.stringify(told)).toContain('"verb":"openUpdate"');
    expect(updatesTo(MEGAN).length).toBeGreaterThan(0);
    expect(textOf(updatesTo(MEGAN).at(-1))).toContain('returned by Lynne Robbins');

    // Megan opens her copy of the request days later: Teams refreshes it, and it shows the decision, no buttons.
    const sent = updatesTo(MEGAN).at(-1)! as { refresh: { action: { verb: string; data: unknown } } };
    expect(sent.refresh.action).toMatchObject({ verb: 'qaOpen', data: { listKey: t.listKey, itemId: t.itemId } });
    const refreshed = await teams.invoke(MEGAN, sent.refresh.action.verb, sent.refresh.action.data, 'card-message-1', 'automatic');
    expect(refreshed.statusCode).toBe(200);
    expect(JSON.stringify(refreshed.value)).not.toMatch(/"verb":"qa(Approve|Return)"/);
    expect(textOf(refreshed.value)).toContain('Returned');
    // A refresh answers the viewer only: it never rewrites the message (Teams would refresh it again, in a loop).
    const updates = connector.updates().length;
    await bot.edge.turns.settled();
    expect(connector.updates()).toHaveLength(updates);
  });

  it('resubmitted, two reviewers approving at once: exactly one decision lands', async () => {
    const before = await task('AFI4-T1');
    await teams.invoke(ALEX, 'saveUpdate', { listKey: before.listKey, itemId: before.itemId, eTag: before.eTag, status: 'Complete', note: 'Minutes with sign-off added' });
    const t = await task('AFI4-T1');
    expect(t.qaStatus).toBe('Awaiting QA');
    const auditBefore = auditRows().length;
    const [a, b] = await Promise.all([teams.invoke(LYNNE, 'qaApprove', decision(t, 'Good')), teams.invoke(MEGAN, 'qaApprove', decision(t, 'Fine'))]);
    const texts = [textOf(a.value), textOf(b.value)];
    expect(texts.filter((x) => /AFI4-T1 approved by/.test(x))).toHaveLength(1);
    expect(texts.filter((x) => /changed after this card was sent|already approved/.test(x))).toHaveLength(1);
    const fields = item(t.itemId).fields;
    expect(fields.QAStatus).toBe('Approved');
    expect(auditRows().slice(auditBefore).filter((r) => r.Field === 'QAStatus')).toHaveLength(1);
    expect(textOf(cardsTo(ALEX).at(-1))).toContain('AFI4-T1 passed QA');
  });

  it('a decision on a task already decided returns the current state and writes nothing', async () => {
    const t = await task('AFI4-T1');
    await unchanged('AFI4-T1', async () => {
      expect(textOf((await teams.invoke(LYNNE, 'qaReturn', decision(t, 'late click'))).value)).toMatch(/AFI4-T1 was already approved by (Lynne Robbins|Megan Bowen)/);
    });
  });

  it('locks approved work against owner edits of status and evidence, but takes notes', async () => {
    const t = await task('AFI4-T1');
    await unchanged('AFI4-T1', async () => {
      expect(textOf((await teams.invoke(ALEX, 'saveUpdate', { listKey: t.listKey, itemId: t.itemId, eTag: t.eTag, status: 'On Target' })).value)).toContain('its status and evidence are locked');
    });
    expect(textOf((await teams.invoke(ALEX, 'saveUpdate', { listKey: t.listKey, itemId: t.itemId, eTag: t.eTag, note: 'Shared with the board' })).value)).toContain('Saved AFI4-T1: progress note added');
  });

  it('"history <ref>" shows the last changes to stakeholders only', async () => {
    const [reply] = await teams.say(ALEX, 'history afi4-t1');
    const text = textOf(cardOf(reply!));
    expect(text).toContain('History of AFI4-T1');
    expect(text).toMatch(/QAStatus\*\*: Awaiting QA → Approved/);
    expect(text).toContain('Teams card (QA)');
    const [refused] = await teams.say(ADELE, 'history AFI4-T1');
    expect(refused!.body.text).toContain("Only AFI4-T1's owners, its QA reviewers and assurers, and plan leads can see its history.");
  });
});

describe('audit failures are never silent', () => {
  it('tells the user, keeps the rows, and writes them on the next attempt', async () => {
    const t = await task('AFI4-T2');
    const rowsBefore = auditRows().length;
    bot.emulator.injectFault({ status: 503, retryAfterSeconds: 0, count: 1000, match: 'Plan%20Updates/items' });
    const res = await teams.invoke(ALEX, 'saveUpdate', { listKey: t.listKey, itemId: t.itemId, eTag: t.eTag, note: 'Written while the audit list is down' });
    bot.emulator.clearFaults(); // the list is back
    expect(textOf(res.value)).toContain('The change log (Plan Updates) could not be written just now; PlanPulse keeps it and will retry.');
    expect(String(item(t.itemId).fields.ProgressNotes)).toContain('Written while the audit list is down');
    expect(auditRows()).toHaveLength(rowsBefore);
    expect(await bot.core.deps.audit.flush()).toBe(0);
    expect(auditRows().slice(rowsBefore).map((r) => [r.ActionRef, r.Field])).toEqual([['AFI4-T2', 'ProgressNotes']]);
  });

  // One save of three fields makes three rows in one $batch.
  const saveThreeFields = async (note: string) => {
    const t = await task('AFI4-T2');
    return teams.invoke(ALEX, 'saveUpdate', { listKey: t.listKey, itemId: t.itemId, eTag: t.eTag, note, evidenceLink: `https://contoso.sharepoint.com/sites/x/${note.length}.pdf`, evidenceSummary: note });
  };
  const rowsOf = (note: string) => auditRows().filter((r) => String(r.NewValue).includes(note) || String(r.NewValue).endsWith(`/${note.length}.pdf`));

  it('a $batch that fails part-way: the retry writes only the rows that are missing', async () => {
    const note = 'Partly written batch';
    // The first row of the batch is refused; the other two are written.
    bot.emulator.injectFault({ status: 500, count: 1, match: 'POST /v1.0/sites/' });
    const res = await saveThreeFields(note);
    expect(textOf(res.value)).toContain('The change log (Plan Updates) could not be written just now');
    expect(rowsOf(note)).toHaveLength(2);
    expect(await bot.core.deps.audit.flush()).toBe(0);
    expect(rowsOf(note).map((r) => r.Field).sort()).toEqual(['EvidenceLink', 'EvidenceSummary', 'ProgressNotes']);
  });

  it('a $batch written whose answer was lost: the retry writes nothing twice', async () => {
    const note = 'Batch answer lost on the way back';
    bot.emulator.injectFault({ status: 'lost', count: 1, match: '$batch' });
    await saveThreeFields(note);
    expect(rowsOf(note)).toHaveLength(3);
    expect(await bot.core.deps.audit.flush()).toBe(0);
    expect(rowsOf(note)).toHaveLength(3);
  });
});

describe('second-line sampling', () => {
  it('draws a reproducible share of approved tasks, marks them Selected and sends the assurers one card', async () => {
    const preview = await runSampling(bot.core.deps, { dryRun: true });
    const [run] = await runSampling(bot.core.deps, { dryRun: false });
    expect(run!.selected).toEqual(preview[0]!.selected);
    expect(run!.selected.length).toBe(Math.max(1, Math.round(run!.candidates.length * 0.1)));
    expect(run!.seed).toBe('actions:2026-11-23');
    for (const ref of run!.selected) expect((await task(ref)).sampleStatus).toBe('Selected');
    expect(auditRows().filter((r) => r.Field === 'SampleStatus' && String(r.Channel).startsWith('sampling job (seed actions:2026-11-23)'))).toHaveLength(run!.selected.length);
    const card = cardsTo(ISAIAH).at(-1)!;
    expect(textOf(card)).toContain('sampled for second-line assurance');
    for (const ref of run!.selected) expect(textOf(card)).toContain(`Check ${ref}`);
    // A second run the same day draws nothing new.
    connector.clear();
    expect((await runSampling(bot.core.deps, { dryRun: false }))[0]).toEqual(run);
    expect(connector.sent()).toHaveLength(0);
  });

  it('confirms, and challenges only with a reason, which sends the task back to QA', async () => {
    const [run] = await runSampling(bot.core.deps, { dryRun: false });
    const first = await task(run!.selected[0]!);
    const open = await teams.invoke(ISAIAH, 'sampleOpen', { listKey: first.listKey, itemId: first.itemId });
    expect(textOf(open.value)).toContain(`Second-line sample · ${first.ref}`);
    await unchanged(first.ref, async () => {
      expect(textOf((await teams.invoke(ISAIAH, 'sampleChallenge', decision(first, ''))).value)).toContain('A challenge needs a comment');
    });
    const challenged = await teams.invoke(ISAIAH, 'sampleChallenge', decision(first, 'Evidence predates the action'));
    expect(textOf(challenged.value)).toContain('challenged by Isaiah Langer and sent back to QA');
    expect(item(first.itemId).fields).toMatchObject({ SampleStatus: 'Challenged', QAStatus: 'Awaiting QA', SampleComment: 'Evidence predates the action', SampledBy: 'Isaiah Langer' });
    expect(textOf(cardsTo(LYNNE).at(-1))).toContain(`QA sign-off · ${first.ref}`);
  });
});

describe('QA nudges', () => {
  it('reminds each reviewer once per cadence about tasks waiting too long', async () => {
    // A note while awaiting QA does not restart the wait.
    const waiting = (await bot.core.deps.tasks.allTasks()).find((t) => t.qaStatus === 'Awaiting QA')!;
    const [owner] = ownersOf(waiting, await bot.core.deps.roles.load()).people;
    const later = { ...bot.core.deps, clock: { now: () => new Date('2026-12-04T09:00:00Z') } };
    const noted = await new CardVerbRouter({ ...bot.core.deps, clock: { now: () => new Date('2026-12-02T09:00:00Z') } }, FEATURES).execute('saveUpdate', { listKey: waiting.listKey, itemId: waiting.itemId, eTag: waiting.eTag, note: 'Chasing the reviewer' }, { aadObjectId: owner!.aadObjectId, name: owner!.displayName });
    expect(noted.kind === 'card' && textOf(noted.card)).toContain('progress note added');
    const report = await runQaNudges(later, { dryRun: false });
    const lynne = report.nudges.find((n) => n.reviewer === 'Lynne Robbins')!;
    expect(lynne.outcome).toBe('sent');
    expect(lynne.tasks.length).toBeGreaterThan(0);
    // Counted from the submission on Mon 23 Nov, not from later notes: 9 working days to Fri 4 Dec.
    expect(lynne.tasks.every((t) => t.waitingDays === 9)).toBe(true);
    expect(textOf(cardsTo(LYNNE).at(-1))).toMatch(/waiting for your QA sign-off/);
    const again = await runQaNudges(later, { dryRun: false });
    expect(again.nudges.find((n) => n.reviewer === 'Lynne Robbins')!.outcome).toBe('already nudged on 4 Dec 2026');
  });
});
