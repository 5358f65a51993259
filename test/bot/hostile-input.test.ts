import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEMO_PEOPLE } from '../../src/local/demo-data/people.js';
import { cardOf, textOf } from '../helpers/connector.js';
import { openChat, type Chat, type DemoPerson } from '../helpers/teams-client.js';

/**
 * A table of hostile and broken input, sent through the bot's real HTTP endpoint as Teams would deliver it. Every
 * case is refused with a clear message (or, for a malformed activity, a 4xx with a reason), nothing is written to
 * the list or the audit, and nothing answers 5xx.
 */
const ALEX = DEMO_PEOPLE[0]!; // owns AFI1-*, AFI4-* (GM Community Safety)
const LYNNE = DEMO_PEOPLE[5]!; // QA reviewer
let chat: Chat;

beforeAll(async () => {
  chat = await openChat({}, [ALEX, LYNNE]);
});
afterAll(() => chat.close());

const snapshot = () => {
  const site = chat.bot.emulator.model.data.sites[0]!;
  const lists = ['Improvement Actions', 'Plan Updates'].map((n) => chat.bot.emulator.model.list(site, n));
  return JSON.stringify(lists.map((l) => l.items.map((i) => [i.id, i.version, i.fields])));
};

async function rawPost(body: string): Promise<{ status: number; text: string }> {
  const res = await fetch(chat.bot.url, { method: 'POST', headers: { 'content-type': 'application/json' }, body });
  return { status: res.status, text: await res.text() };
}

describe('malformed activities: 400 with a short reason, never 5xx', () => {
  const base = () => chat.teams.activity(ALEX, { type: 'message', text: 'my tasks' });
  const cases: [string, () => unknown, string][] = [
    ['no type', () => ({ ...base(), type: undefined }), 'type'],
    ['a numeric type', () => ({ ...base(), type: 7 }), 'type'],
    ['an empty type', () => ({ ...base(), type: '' }), 'type'],
    ['conversation null', () => ({ ...base(), conversation: null }), 'conversation'],
    ['no conversation on a message', () => ({ ...base(), conversation: undefined }), 'conversation'],
    ['a conversation without an id', () => ({ ...base(), conversation: { conversationType: 'personal' } }), 'conversation.id'],
    ['no from on a message', () => ({ ...base(), from: undefined }), 'from'],
    ['from as a string', () => ({ ...base(), from: 'alex' }), 'from'],
    ['a numeric from.id', () => ({ ...base(), from: { id: 42 } }), 'from.id'],
    ['text as an object', () => ({ ...base(), text: { evil: true } }), 'text'],
    ['serviceUrl as a number', () => ({ ...base(), serviceUrl: 5 }), 'serviceUrl'],
    ['channelData as a string', () => ({ ...base(), channelData: 'tenant' }), 'channelData'],
    ['an invoke whose value is a string', () => ({ ...base(), type: 'invoke', name: 'adaptiveCard/action', value: 'saveUpdate' }), 'value'],
    ['an invoke whose action is a string', () => ({ ...base(), type: 'invoke', name: 'adaptiveCard/action', value: { action: 'saveUpdate' } }), 'value.action'],
    ['an invoke with no value', () => ({ ...base(), type: 'invoke', name: 'adaptiveCard/action' }), 'value'],
    ['an invoke name that is a number', () => ({ ...base(), type: 'invoke', name: 12 }), 'name'],
    ['attachments as a string', () => ({ ...base(), attachments: 'evidence.pdf' }), 'attachments'],
    ['an attachment that is a number', () => ({ ...base(), attachments: [42] }), 'attachments.0'],
    ['an attachment contentType as an object', () => ({ ...base(), attachments: [{ contentType: { x: 1 }, name: 'a.pdf' }] }), 'attachments.0.contentType'],
    ['51 attachments', () => ({ ...base(), attachments: Array.from({ length: 51 }, () => ({ contentType: 'text/html' })) }), 'attachments'],
    ['a 3 KB conversation id', () => ({ ...base(), conversation: { id: 'a'.repeat(3000) } }), 'conversation.id'],
  ];
  it.each(cases)('%s', async (_name, body, reason) => {
    const before = snapshot();
    const res = await rawPost(JSON.stringify(body()));
    expect(res.status).toBe(400);
    expect(JSON.parse(res.text).error).toMatch(new RegExp(`^Malformed activity: .*${reason.replace('.', '\\.')}`));
    expect(snapshot()).toBe(before);
  });

  it.each([
    ['not JSON', '{"type": "message", '],
    ['a JSON array', '[1,2,3]'],
    ['JSON null', 'null'],
    ['a JSON string', '"message"'],
  ])('a body that is %s', async (_name, body) => {
    const res = await rawPost(body);
    expect(res.status).toBe(400);
    expect(res.text).toMatch(/Malformed/);
  });
});

describe('hostile updates from a card: refused clearly, nothing written', () => {
  const evil: [string, Record<string, unknown>, string][] = [
    ['an http link', { evidenceLink: 'http://intranet/evidence.docx' }, 'must start with https://'],
    ['a javascript: link', { evidenceLink: 'javascript:alert(document.cookie)' }, 'must start with https://'],
    ['a data: link', { evidenceLink: 'data:text/html,<script>alert(1)</script>' }, 'must start with https://'],
    ['a file: link', { evidenceLink: 'file:///etc/passwd' }, 'must start with https://'],
    ['an ftp link', { evidenceLink: 'ftp://files.example/evidence' }, 'must start with https://'],
    ['https without slashes', { evidenceLink: 'https:contoso.sharepoint.com/sites/a' }, 'must start with https://'],
    ['a user name and password', { evidenceLink: 'https://user:pass@contoso.sharepoint.com/doc.pdf' }, 'must not contain a user name or password'],
    ['a user name only', { evidenceLink: 'https://admin@contoso.sharepoint.com/doc.pdf' }, 'must not contain a user name or password'],
    ['a look-alike host (Cyrillic)', { evidenceLink: 'https://соntoso.sharepoint.com/doc.pdf' }, 'non-Latin letters'],
    ['a host the plan does not keep evidence on', { evidenceLink: 'https://evil.example.com/doc.pdf' }, 'not where this plan keeps evidence'],
    ['a host that only starts like SharePoint', { evidenceLink: 'https://contoso.sharepoint.com.evil.example/doc.pdf' }, 'not where this plan keeps evidence'],
    ['a markdown break-out', { evidenceLink: 'https://contoso.sharepoint.com/a](https://evil.example)' }, 'characters a link cannot have'],
    ['a space inside', { evidenceLink: 'https://contoso.sharepoint.com/a b.pdf' }, 'characters a link cannot have'],
    ['angle brackets', { evidenceLink: 'https://contoso.sharepoint.com/<script>' }, 'characters a link cannot have'],
    ['a quote', { evidenceLink: 'https://contoso.sharepoint.com/a"onmouseover="x' }, 'characters a link cannot have'],
    ['a newline', { evidenceLink: 'https://contoso.sharepoint.com/a\nhttps://evil.example' }, 'characters a link cannot have'],
    ['a backslash', { evidenceLink: 'https://contoso.sharepoint.com\\@evil.example/' }, 'characters a link cannot have'],
    ['a 300-character link', { evidenceLink: `https://contoso.sharepoint.com/${'a'.repeat(300)}` }, 'Evidence link is too long'],
    ['not a link at all', { evidenceLink: 'see the shared drive' }, 'must start with https://'],
    ['a 50,000-character note', { note: 'x'.repeat(50_000) }, 'Progress note is too long'],
    ['a 2,001-character note', { note: 'y'.repeat(2001) }, 'Progress note is too long (2,001 characters; the limit is 2,000)'],
    ['a 1,001-character evidence description', { evidenceSummary: 'z'.repeat(1001) }, 'Evidence description is too long'],
    ['a status the plan does not use', { status: 'Finished!!' }, 'is not a status this plan uses'],
    ['a status with HTML', { status: '<b>Complete</b>' }, 'is not a status this plan uses'],
    ['a status that is only spaces and a typo', { status: '  On Targt ' }, 'is not a status this plan uses'],
    ['a revised date in 9999', { revisedDate: '9999-12-31', revisedReason: 'never' }, 'is more than 3 years after the original due date'],
    ['a revised date ten years on', { revisedDate: '2036-11-30', revisedReason: 'later' }, 'is more than 3 years after the original due date'],
    ['a revised date in the past', { revisedDate: '2020-01-01', revisedReason: 'oops' }, 'is in the past'],
    ['an impossible date', { revisedDate: '2027-02-31', revisedReason: 'x' }, 'is not a real date'],
    ['a date in words', { revisedDate: 'next Tuesday', revisedReason: 'x' }, 'is not a real date'],
    ['a day-first date', { revisedDate: '31/03/2027', revisedReason: 'x' }, 'is not a real date'],
    ['a revised date without a reason', { revisedDate: '2027-03-31' }, 'A revised date needs a reason'],
    ['a reason without a date', { revisedReason: 'because' }, 'A reason was given but no revised date'],
    ['a 501-character reason', { revisedDate: '2027-03-31', revisedReason: 'r'.repeat(501) }, 'Reason for the revised date is too long'],
    ['nothing at all', {}, 'Nothing to save'],
    ['only spaces', { note: '   ', evidenceLink: '  ' }, 'Nothing to save'],
  ];
  it.each(evil)('%s', async (_name, input, message) => {
    const t = await chat.bot.task('AFI1-T5');
    const before = snapshot();
    const res = await chat.teams.invoke(ALEX, 'saveUpdate', { listKey: 'actions', itemId: t.itemId, eTag: t.eTag, ...input });
    expect(res.statusCode).toBe(200);
    expect(textOf(res.value)).toContain(message);
    expect(snapshot()).toBe(before);
  });

  const malformed: [string, unknown, unknown, string][] = [
    ['an unknown verb', 'deleteEverything', {}, 'does not know the action'],
    ['a numeric verb', 42, {}, 'does not know the action'],
    ['a verb like a prototype key', '__proto__', {}, 'does not know the action'],
    ['a non-numeric item id', 'openUpdate', { listKey: 'actions', itemId: '1 or 1=1' }, 'is not a list item id'],
    ['a negative item id', 'openUpdate', { listKey: 'actions', itemId: '-1' }, 'is not a list item id'],
    ['a ten-digit item id', 'openUpdate', { listKey: 'actions', itemId: '1234567890' }, 'is not a list item id'],
    ['a list key with a path', 'openUpdate', { listKey: '../roles', itemId: '3' }, 'is not a list key'],
    ['a missing list key', 'openUpdate', { itemId: '3' }, 'listKey'],
    ['data that is a string', 'openUpdate', 'just a string', 'data'],
    ['data that is an array', 'saveUpdate', [1, 2], 'data'],
    ['a save with no eTag', 'saveUpdate', { listKey: 'actions', itemId: '3', note: 'x' }, 'eTag'],
    ['a save with a 1 KB eTag', 'saveUpdate', { listKey: 'actions', itemId: '3', eTag: 'e'.repeat(1000), note: 'x' }, 'eTag'],
    ['a note that is a number', 'saveUpdate', { listKey: 'actions', itemId: '3', eTag: '"x,1"', note: 5 }, 'note'],
    ['a snooze of 3 days', 'snooze', { listKey: 'actions', itemId: '3', days: 3 }, 'must be 7 or 14'],
    ['a snooze of "7" as text', 'snooze', { listKey: 'actions', itemId: '3', days: '7' }, 'must be 7 or 14'],
    ['a decision with an object comment', 'qaApprove', { listKey: 'actions', itemId: '3', eTag: '"x,1"', comment: { a: 1 } }, 'comment'],
  ];
  it.each(malformed)('malformed card data: %s', async (_name, verb, data, message) => {
    const before = snapshot();
    const res = await chat.teams.invoke(ALEX, verb, data);
    expect(res.statusCode).toBe(400);
    expect(res.value.message).toContain(message);
    expect(snapshot()).toBe(before);
  });

  const notYours: [string, DemoPerson, string, string, Record<string, unknown>, string][] = [
    ['an update to another person\'s task', ALEX, 'saveUpdate', 'AFI11-T1', { status: 'Complete' }, 'is not one of your tasks'],
    ['opening another person\'s task', ALEX, 'openUpdate', 'AFI11-T1', {}, 'is not one of your tasks'],
    ['snoozing another person\'s task', ALEX, 'snooze', 'AFI11-T1', { days: 7 }, 'is not one of your tasks'],
    ['a QA approval by someone who is not a reviewer', ALEX, 'qaApprove', 'AFI11-T1', { comment: 'fine' }, ''],
    ['a sample confirmation by someone who is not an assurer', ALEX, 'sampleConfirm', 'AFI11-T1', { comment: 'fine' }, ''],
    ['a forged item id', ALEX, 'openUpdate', '#99999', {}, 'That task no longer exists'],
  ];
  it.each(notYours)('%s', async (_name, who, verb, ref, extra, message) => {
    const before = snapshot();
    const data = ref === '#99999' ? { listKey: 'actions', itemId: '99999' } : await chat.bot.task(ref).then((t) => ({ listKey: t.listKey, itemId: t.itemId, ...(verb === 'openUpdate' || verb === 'snooze' ? {} : { eTag: t.eTag }) }));
    const res = await chat.teams.invoke(who, verb, { ...data, ...extra });
    expect(res.statusCode).toBeLessThan(500);
    if (res.statusCode === 200) expect(textOf(res.value)).toMatch(message ? new RegExp(message) : /not|cannot|only/i);
    else expect(res.value.message).toMatch(/not|cannot|only/i);
    expect(snapshot()).toBe(before);
  });
});

describe('text that is accepted is kept harmless', () => {
  it('a note cannot forge another person\'s signed entry, and markdown in it is not a live link on the QA card', async () => {
    const t = await chat.bot.task('AFI4-T2');
    const forged = 'Met the team.\n[2026-11-20 Megan Bowen] Approved by the service lead, no evidence needed\n[click here](https://evil.example) <https://evil.example>';
    const res = await chat.teams.invoke(ALEX, 'saveUpdate', { listKey: t.listKey, itemId: t.itemId, eTag: t.eTag, note: forged });
    expect(textOf(res.value)).toContain('Saved AFI4-T2');
    const notes = String(chat.bot.item('Improvement Actions', t.itemId).fields.ProgressNotes);
    const headers = notes.split('\n').filter((l) => /^\[\d{4}-\d{2}-\d{2} /.test(l));
    expect(headers.filter((h) => h.includes('Megan Bowen'))).toHaveLength(0);
    expect(notes).toContain('\n  [2026-11-20 Megan Bowen] Approved by the service lead');
    // The audit keeps the whole note, every line.
    const audit = chat.bot.emulator.model.list(chat.bot.emulator.model.data.sites[0]!, 'Plan Updates').items.at(-1)!.fields;
    expect(audit.NewValue).toContain('[click here](https://evil.example)');
    expect(String(audit.NewValue).split('\n')).toHaveLength(3);
    // Submitted for QA: the reviewer's card shows the note as text, with no link syntax left intact.
    const t2 = await chat.bot.task('AFI4-T2');
    await chat.teams.invoke(ALEX, 'saveUpdate', { listKey: t2.listKey, itemId: t2.itemId, eTag: t2.eTag, status: 'Complete', evidenceLink: 'https://contoso.sharepoint.com/sites/plans/e.pdf' });
    const qaCard = chat.connector.sent().map(cardOf).filter((c) => textOf(c).includes('QA sign-off · AFI4-T2')).at(-1)!;
    const shown = textOf(qaCard);
    expect(shown).toContain('click here');
    expect(shown).not.toMatch(/\]\(https:\/\/evil/);
    expect(shown).not.toContain('<https://evil');
  });

  it('a status typed in another case with stray spaces is stored as the plan spells it', async () => {
    const t = await chat.bot.task('AFI4-T1');
    const res = await chat.teams.invoke(ALEX, 'saveUpdate', { listKey: t.listKey, itemId: t.itemId, eTag: t.eTag, status: '  behind   target ' });
    expect(textOf(res.value)).toContain('Saved AFI4-T1');
    expect(chat.bot.item('Improvement Actions', t.itemId).fields.Status).toBe('Behind Target');
  });
});

describe('commands and other tenants', () => {
  it.each([
    ['history of an unknown reference', 'history NOPE-1', 'No task has the reference'],
    ['history with an OData injection', "history AFI1-T1' or fields/ActionRef ne '", 'No task has the reference'],
    ['history with a 5,000-character reference', `history ${'A'.repeat(5000)}`, 'No task has the reference'],
    ['a 90,000-character message', 'x'.repeat(90_000), "I didn't understand"],
  ])('%s', async (_name, text, message) => {
    const before = snapshot();
    const [reply] = await chat.teams.say(ALEX, text);
    const shown = reply!.body.attachments ? textOf(cardOf(reply!)) : String(reply!.body.text);
    expect(shown).toContain(message);
    expect(snapshot()).toBe(before);
  });

  it('a card action from another tenant is refused with 403 and changes nothing', async () => {
    const t = await chat.bot.task('AFI1-T5');
    const before = snapshot();
    const res = await chat.teams.post(chat.teams.activity(ALEX, { type: 'invoke', name: 'adaptiveCard/action', value: { action: { type: 'Action.Execute', verb: 'saveUpdate', data: { listKey: 'actions', itemId: t.itemId, eTag: t.eTag, status: 'Complete' } } } }, '11111111-2222-4333-8444-555555555555'));
    expect(res.status).toBe(403);
    expect(snapshot()).toBe(before);
  });
});
