import { statSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { DEMO_PEOPLE, DEMO_TENANT_ID } from '../../src/local/demo-data/people.js';
import { sweepActionRecords } from '../../src/features/housekeeping/housekeeping.js';
import { formatRemindReport, runReminders } from '../../src/features/reminders/remind.js';
import { cardOf, textOf, type FakeConnector } from '../helpers/connector.js';
import type { BotHarness } from '../helpers/harness.js';
import { openChat, TEAMS_SDKS, TeamsClient, type Chat, type DemoPerson } from '../helpers/teams-client.js';

const ALEX = DEMO_PEOPLE[0]!;
const MEGAN = DEMO_PEOPLE[1]!;
let bot: BotHarness;
let connector: FakeConnector;
let teams: TeamsClient;

const activity = (...args: Parameters<TeamsClient['activity']>) => teams.activity(...args);
const post = (body: unknown, raw = false) => teams.post(body, raw);
const say = (person: DemoPerson, text: string) => teams.say(person, text);
const invoke = (person: DemoPerson, verb: unknown, data: unknown, replyToId?: string) => teams.invoke(person, verb, data, replyToId);

const item = async (id: string) => bot.item('Improvement Actions', id);
const taskByRef = (ref: string) => bot.task(ref);

let chat: Chat;

// Everything the product needs from Teams, through each Teams SDK adapter in turn (BOT_SDK).
describe.each(TEAMS_SDKS)('through %s', (sdk) => {
beforeAll(async () => {
  chat = await openChat({ BOT_SDK: sdk }, []);
  ({ bot, connector, teams } = chat);
});
afterAll(() => chat.close());
beforeEach(() => connector.clear());

describe('conversation capture and commands', () => {
  it('captures the conversation reference on installation and greets the user', async () => {
    expect(bot.core.teams.sdk).toBe(sdk);
    const res = await post(activity(ALEX, { type: 'installationUpdate', action: 'add' }));
    expect(res.status).toBe(200);
    const stored = await bot.core.deps.conversations.get(DEMO_TENANT_ID, ALEX.id);
    expect(stored).toMatchObject({ aadObjectId: ALEX.id, userId: `29:${ALEX.id}`, conversationId: `a:chat-${ALEX.id}`, serviceUrl: connector.url });
    expect(textOf(cardOf(connector.sent()[0]!))).toContain('I will remind you about your improvement-plan tasks');
  });

  it('captures on conversationUpdate and on every message', async () => {
    await post(activity(MEGAN, { type: 'conversationUpdate', membersAdded: [{ id: `29:${MEGAN.id}` }] }));
    expect(await bot.core.deps.conversations.get(DEMO_TENANT_ID, MEGAN.id)).toBeDefined();
    await bot.core.deps.conversations.remove(DEMO_TENANT_ID, MEGAN.id);
    await say(MEGAN, 'help');
    const kept = await bot.core.deps.conversations.get(DEMO_TENANT_ID, MEGAN.id);
    expect(kept).toBeDefined();
    // The same chat seen again is not written again (every message and click would flush it to disk).
    const file = join(bot.stateDir, 'state', 'conversations', DEMO_TENANT_ID, `${MEGAN.id}.json`);
    const written = statSync(file).mtimeMs;
    await new Promise((r) => setTimeout(r, 30));
    await say(MEGAN, 'help');
    expect(statSync(file).mtimeMs).toBe(written);
    // …but a changed chat, or a person Teams had refused, is.
    await bot.core.deps.conversations.markUnreachable(MEGAN.id, 'ConversationBlockedByUser', new Date(Date.now() + 60_000).toISOString());
    await say(MEGAN, 'help');
    expect(await bot.core.deps.conversations.reachable(DEMO_TENANT_ID, MEGAN.id)).toHaveProperty('conversation');
  });

  it('"my tasks" answers with the grouped card of the person\'s own tasks', async () => {
    const [reply] = await say(ALEX, 'My Tasks');
    const text = textOf(cardOf(reply!));
    expect(text).toContain('Your improvement-plan tasks');
    expect(text).toMatch(/OVERDUE \d+ days/);
    expect(text).toContain('Update AFI1-T1');
    expect(text).not.toContain('AFI11-'); // Megan's (HR Manager) tasks
  });

  it('answers unknown text with help rather than silence', async () => {
    const [reply] = await say(ALEX, 'what is the weather');
    expect(textOf(cardOf(reply!))).toContain('I didn\'t understand "what is the weather"');
  });

  it('refuses activities from another tenant without touching state', async () => {
    const stranger = { ...ALEX, id: 'f00dfeed-0000-4000-8000-000000000000' };
    const res = await post(activity(stranger, { type: 'message', id: 'x', text: 'my tasks' }, 'another-tenant'));
    expect(res.status).toBe(200);
    expect(connector.sent()).toHaveLength(0);
    expect(await bot.core.deps.conversations.get(DEMO_TENANT_ID, stranger.id)).toBeUndefined();
  });

  it('answers malformed JSON with 400', async () => {
    const res = await post('{"type": "message", ', true);
    expect(res.status).toBe(400);
    expect(((await res.json()) as { error: string }).error).toContain('not valid JSON');
  });
});

describe('sending reminders through the connector', () => {
  it('sends each installed owner one grouped card, and never twice on the same day', async () => {
    await post(activity(ALEX, { type: 'installationUpdate', action: 'add' }));
    connector.clear();
    const report = await runReminders(bot.core.deps, { dryRun: false });
    const alex = report.reminders.find((r) => r.person.aadObjectId === ALEX.id)!;
    expect(alex.outcome).toBe('sent');
    expect(report.reminders.find((r) => r.person.displayName === 'Adele Vance')!.outcome).toContain('not installed');
    const sent = connector.sent();
    expect(sent).toHaveLength(report.reminders.filter((r) => r.outcome === 'sent').length);
    const mine = sent.find((c) => c.conversationId === `a:chat-${ALEX.id}`)!;
    const text = textOf(cardOf(mine));
    expect(text).toContain('Good morning Alex');
    for (const t of alex.tasks) expect(text).toContain(`Update ${t.task.ref}`);
    expect(text).toMatch(/OVERDUE|DUE SOON|NO EVIDENCE/);

    connector.clear();
    const again = await runReminders(bot.core.deps, { dryRun: false });
    expect(again.reminders.find((r) => r.person.aadObjectId === ALEX.id)!.outcome).toBe('already sent today');
    expect(connector.sent()).toHaveLength(0);
  });

  it('sends nothing on a weekend or bank holiday unless asked to send any day', async () => {
    const boxingDaySubstitute = { now: () => new Date('2026-12-28T09:00:00Z') };
    const deps = { ...bot.core.deps, clock: boxingDaySubstitute };
    const skipped = await runReminders(deps, { dryRun: false });
    expect(skipped.skippedBecause).toBe('bank holiday (Boxing Day (substitute day))');
    expect(formatRemindReport(skipped)).toContain('is not a working day');
    expect(connector.sent()).toHaveLength(0);
    const forced = await runReminders(deps, { dryRun: false, anyDay: true });
    expect(forced.reminders.find((r) => r.person.aadObjectId === ALEX.id)!.outcome).toBe('sent');
  });

  it('lets an administrator trigger the run from chat (local mode)', async () => {
    const [reply] = await say(ALEX, 'remind');
    expect(reply!.body.text).toMatch(/Reminder run for .*: 0 sent, \d+ already reminded today/);
  });
});

describe('card actions', () => {
  it('opens the update form for the owner\'s task', async () => {
    const t = await taskByRef('AFI1-T4');
    const res = await invoke(ALEX, 'openUpdate', { listKey: 'actions', itemId: t.itemId });
    expect(res).toMatchObject({ statusCode: 200, type: 'application/vnd.microsoft.card.adaptive' });
    const text = textOf(res.value);
    expect(text).toContain('Update AFI1-T4');
    expect(JSON.stringify(res.value)).toContain(t.eTag.replace(/"/g, '\\"'));
  });

  it('saves status, note, evidence and a revised date; writes with the eTag; updates the message for everyone', async () => {
    const t = await taskByRef('AFI4-T1');
    const res = await invoke(ALEX, 'saveUpdate', {
      listKey: 'actions', itemId: t.itemId, eTag: t.eTag,
      status: 'Behind Target', note: 'Evaluation template agreed with partners', evidenceLink: 'https://contoso.sharepoint.com/sites/x/doc.pdf',
      evidenceSummary: 'Signed-off template', revisedDate: '2027-01-29', revisedReason: 'Partner sign-off slipped',
    });
    expect(res.statusCode).toBe(200);
    expect(textOf(res.value)).toContain('Saved AFI4-T1: status On Target → Behind Target; progress note added; evidence link set; evidence description set; due date');
    const fields = (await item(t.itemId)).fields;
    expect(fields).toMatchObject({
      Status: 'Behind Target',
      EvidenceLink: 'https://contoso.sharepoint.com/sites/x/doc.pdf',
      EvidenceSummary: 'Signed-off template',
      DueDate: '2027-01-29T00:00:00Z',
      OriginalDueDate: `${t.dueDate === undefined ? '' : new Date(`${t.dueDate}T00:00:00Z`).toISOString().replace('.000Z', 'Z')}`,
      RevisedDateReason: 'Partner sign-off slipped',
      LastUpdatedBy: 'Alex Wilber',
    });
    expect(String(fields.ProgressNotes)).toMatch(/^\[2026-11-23 Alex Wilber\] Evaluation template agreed with partners\n/);
    await bot.edge.turns.settled();
    const update = connector.updates().at(-1)!;
    expect(update.activityId).toBe('card-message-1');
    expect(textOf(cardOf(update))).toContain('Saved AFI4-T1');
  });

  it('writes once when Teams retries the same invoke', async () => {
    const t = await taskByRef('AFI4-T2');
    const data = { listKey: 'actions', itemId: t.itemId, eTag: t.eTag, note: 'Retry me' };
    const [a, b] = await Promise.all([invoke(ALEX, 'saveUpdate', data), invoke(ALEX, 'saveUpdate', data)]);
    const c = await invoke(ALEX, 'saveUpdate', data);
    expect(textOf(a.value)).toContain('Saved AFI4-T2');
    expect(b).toEqual(a);
    expect(c).toEqual(a);
    const after = await item(t.itemId);
    expect(after.version).toBe(2);
    expect(String(after.fields.ProgressNotes).match(/Retry me/g)).toHaveLength(1);
    // What is kept to answer retries is small: the notice, not the card.
    for (const key of await bot.core.deps.store.list('actions/')) expect(JSON.stringify(await bot.core.deps.store.get(key)).length).toBeLessThan(1024);
  });

  it('keeps records of processed actions for a week, then housekeeping deletes them', async () => {
    const kept = await bot.core.deps.store.list('actions/');
    expect(kept.length).toBeGreaterThan(0);
    expect(await sweepActionRecords(bot.core.deps)).toBe(0);
    const nextWeek = { ...bot.core.deps, clock: { now: () => new Date('2026-12-01T09:00:00Z') } };
    expect(await sweepActionRecords(nextWeek)).toBe(kept.length);
    expect(await bot.core.deps.store.list('actions/')).toEqual([]);
  });

  it('cards stay true: a form or task list opened later refreshes to the task as it is now', async () => {
    const t = await taskByRef('AFI4-T3');
    const form = (await invoke(ALEX, 'openUpdate', { listKey: t.listKey, itemId: t.itemId })).value as { refresh: { action: { verb: string; data: unknown } } };
    expect(form.refresh.action).toMatchObject({ verb: 'openUpdate', data: { listKey: t.listKey, itemId: t.itemId } });
    // Someone changes the item in SharePoint after the form was sent…
    const list = bot.emulator.model.data.sites[0]!.lists.find((l) => l.displayName === 'Improvement Actions')!;
    bot.emulator.model.updateFields(list, t.itemId, { EvidenceSummary: 'Changed in SharePoint meanwhile' });
    // …and Teams refreshes the card when Alex looks at it again: the current values and version, nothing written.
    const refreshed = await teams.invoke(ALEX, form.refresh.action.verb, form.refresh.action.data, 'card-message-1', 'automatic');
    expect(JSON.stringify(refreshed.value)).toContain('Changed in SharePoint meanwhile');
    const now = await item(t.itemId);
    expect(JSON.stringify(refreshed.value)).toContain(JSON.stringify(`"${now.guid},${now.version}"`).slice(1, -1));
    const reminder = (await invoke(ALEX, 'myTasks', {})).value as { refresh: { action: { verb: string } } };
    expect(reminder.refresh.action.verb).toBe('myTasks');
  });

  it('on a conflicting edit shows the latest values, keeps the user\'s entries and writes nothing', async () => {
    const t = await taskByRef('AFI4-T3');
    // Someone edits the item in SharePoint after the form was opened.
    const list = bot.emulator.model.data.sites[0]!.lists.find((l) => l.displayName === 'Improvement Actions')!;
    bot.emulator.model.updateFields(list, t.itemId, { Status: 'Yet to Start' });
    const versionBefore = (await item(t.itemId)).version;
    const res = await invoke(ALEX, 'saveUpdate', { listKey: 'actions', itemId: t.itemId, eTag: t.eTag, status: 'Behind Target', note: 'My careful note' });
    const text = textOf(res.value);
    expect(text).toContain('Someone else changed AFI4-T3 after you opened this form, so nothing was saved');
    expect(text).toContain('Yet to Start');
    expect(JSON.stringify(res.value)).toContain('My careful note');
    expect((await item(t.itemId)).version).toBe(versionBefore);
    expect(connector.updates()).toHaveLength(0);
  });

  describe('bad input gets a clear answer and changes nothing', () => {
    const cases: [string, Record<string, unknown>, string][] = [
      ['an http: evidence link', { evidenceLink: 'http://intranet/evidence.docx' }, 'Evidence link must start with https://'],
      ['a javascript: evidence link', { evidenceLink: 'javascript:alert(document.cookie)' }, 'Evidence link must start with https://'],
      ['a 50,000-character note', { note: 'x'.repeat(50_000) }, 'Progress note is too long (50,000 characters; the limit is 2,000)'],
      ['a revised date without a reason', { revisedDate: '2027-03-31' }, 'A revised date needs a reason'],
      ['an impossible date', { revisedDate: '2027-02-31', revisedReason: 'x' }, 'is not a real date'],
      ['a status the plan does not use', { status: 'Finished!!' }, 'is not a status this plan uses'],
    ];
    it.each(cases)('%s', async (_name, input, message) => {
      const t = await taskByRef('AFI1-T5');
      const before = structuredClone(await item(t.itemId));
      const res = await invoke(ALEX, 'saveUpdate', { listKey: 'actions', itemId: t.itemId, eTag: t.eTag, ...input });
      expect(res.statusCode).toBe(200);
      expect(textOf(res.value)).toContain(message);
      expect(await item(t.itemId)).toEqual(before);
    });

    it('another user\'s task', async () => {
      const t = await taskByRef('AFI11-T1'); // HR Manager: Megan's
      const before = structuredClone(await item(t.itemId));
      const res = await invoke(ALEX, 'saveUpdate', { listKey: 'actions', itemId: t.itemId, eTag: t.eTag, status: 'Complete' });
      expect(textOf(res.value)).toContain('AFI11-T1 is not one of your tasks, so you cannot update it. Its owner is HR Manager (Megan Bowen).');
      expect(await item(t.itemId)).toEqual(before);
      const open = await invoke(ALEX, 'openUpdate', { listKey: 'actions', itemId: t.itemId });
      expect(textOf(open.value)).toContain('is not one of your tasks');
    });

    it('a forged item id', async () => {
      const res = await invoke(ALEX, 'openUpdate', { listKey: 'actions', itemId: '99999' });
      expect(textOf(res.value)).toContain('That task no longer exists');
    });

    it('an unknown verb', async () => {
      const res = await invoke(ALEX, 'deleteEverything', {});
      expect(res).toMatchObject({ statusCode: 400, type: 'application/vnd.microsoft.error' });
      expect(res.value.message).toContain('PlanPulse does not know the action "deleteEverything"');
    });

    it.each([
      ['a non-numeric item id', { listKey: 'actions', itemId: '1 or 1=1' }, 'itemId: is not a list item id'],
      ['a missing list key', { itemId: '3' }, 'listKey'],
      ['data that is not an object', 'just a string', 'data'],
    ])('malformed data: %s', async (_name, data, message) => {
      const res = await invoke(ALEX, 'openUpdate', data);
      expect(res.statusCode).toBe(400);
      expect(res.value.message).toContain(message);
    });
  });
});
});
