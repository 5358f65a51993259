import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { distance } from '../../src/domain/similar.js';
import { DEMO_PEOPLE } from '../../src/local/demo-data/people.js';
import { cardOf, textOf } from '../helpers/connector.js';
import { openChat, TEAMS_SDKS, type Chat, type DemoPerson } from '../helpers/teams-client.js';

const [ALEX, , , , , LYNNE] = DEMO_PEOPLE as DemoPerson[] as [DemoPerson, DemoPerson, DemoPerson, DemoPerson, DemoPerson, DemoPerson];
type Action = { type: string; title: string; verb: string; data: Record<string, unknown> };

/** Plain-words updates in the personal chat, through the bot's HTTP endpoint, each Teams SDK. */
describe.each(TEAMS_SDKS)('updating in plain words through %s', (sdk) => {
  let chat: Chat;
  beforeAll(async () => {
    chat = await openChat({ BOT_SDK: sdk }, [ALEX, LYNNE]);
  });
  afterAll(() => chat.close());

  const item = (ref: string) => chat.bot.emulator.model.list(chat.bot.emulator.model.data.sites[0]!, 'Improvement Actions').items.find((i) => i.fields.ActionRef === ref)!;
  /** Says something and returns the card PlanPulse answered with, and its buttons. */
  const say = async (person: DemoPerson, text: string) => {
    const [reply] = await chat.teams.say(person, text);
    const card = cardOf(reply!) as { actions?: Action[] };
    return { card, text: textOf(card), action: (title: string) => card.actions!.find((a) => a.title === title)! };
  };
  const confirm = async (person: DemoPerson, answer: Awaited<ReturnType<typeof say>>) => {
    const button = answer.action('Confirm');
    return textOf((await chat.teams.invoke(person, button.verb, button.data)).value);
  };

  it('"done REF link": shows old → new, saves only on Confirm, through the same save as the form', async () => {
    const before = structuredClone(item('AFI4-T1'));
    const answer = await say(ALEX, 'done AFI4-T1 https://contoso.sharepoint.com/sites/plans/Evidence/pumps.pdf');
    expect(answer.text).toContain('Mark AFI4-T1 complete?');
    expect(answer.text).toMatch(/Status\n.* → Complete/);
    expect(answer.action('Confirm')).toMatchObject({ verb: 'saveUpdate', data: { listKey: 'actions', itemId: before.id, status: 'Complete', evidenceLink: 'https://contoso.sharepoint.com/sites/plans/Evidence/pumps.pdf' } });
    expect(answer.action('Edit')).toMatchObject({ verb: 'openUpdate' });
    expect(answer.action('Cancel')).toMatchObject({ verb: 'myTasks' });
    expect(item('AFI4-T1').version).toBe(before.version); // nothing saved yet
    expect(await confirm(ALEX, answer)).toContain('Saved AFI4-T1');
    expect(item('AFI4-T1').fields).toMatchObject({ Status: 'Complete', EvidenceLink: 'https://contoso.sharepoint.com/sites/plans/Evidence/pumps.pdf', QAStatus: 'Awaiting QA' });
  });

  it('"REF behnd - note": a misspelt status is offered as "did you mean", the rest is the note', async () => {
    const answer = await say(ALEX, 'AFI4-T2 behnd - waiting for estates to sign the lease');
    expect(answer.text).toContain('You typed "behnd": did you mean "Behind Target"?');
    expect(await confirm(ALEX, answer)).toContain('Saved AFI4-T2');
    expect(item('AFI4-T2').fields.Status).toBe('Behind Target');
    expect(String(item('AFI4-T2').fields.ProgressNotes)).toContain('waiting for estates to sign the lease');
  });

  it.each([
    ['move afi4 t3 to 31/03/2027 because the supplier slipped', '2027-03-31', 'the supplier slipped'],
    ['move AFI4-T3 to Q4 2027/28 as the budget moved', '2028-03-31', 'the budget moved'],
    ['move AFI4T3 to end of March because of the lease', null, 'of the lease'],
  ])('"%s": a UK date, the reason kept, the original date too', async (text, date, reason) => {
    const answer = await say(ALEX, text);
    expect(answer.text).toContain("Move AFI4-T3's due date?");
    const data = answer.action('Confirm').data as { revisedDate: string; revisedReason: string };
    if (date) expect(data.revisedDate).toBe(date);
    else expect(data.revisedDate).toMatch(/^\d{4}-03-31$/);
    expect(data.revisedReason).toBe(reason);
    expect(await confirm(ALEX, answer)).toContain('Saved AFI4-T3');
    expect(String(item('AFI4-T3').fields.DueDate)).toContain(data.revisedDate.slice(0, 4));
    expect(item('AFI4-T3').fields.RevisedDateReason).toBe(reason);
  });

  it('"note REF text" adds a signed note', async () => {
    const answer = await say(ALEX, 'note AFI4-T3 met the station managers today');
    expect(await confirm(ALEX, answer)).toContain('Saved AFI4-T3');
    expect(String(item('AFI4-T3').fields.ProgressNotes)).toMatch(/^\[.* Alex Wilber\] met the station managers today/);
  });

  it('a reviewer approves in plain words; the same checks as the QA card', async () => {
    const refused = await say(ALEX, 'approve AFI4-T1 looks good');
    expect(textOf((await chat.teams.invoke(ALEX, refused.action('Confirm').verb, refused.action('Confirm').data)).value)).toContain('so you cannot QA it yourself');
    const answer = await say(LYNNE, 'approve AFI4-T1 looks good');
    expect(answer.action('Confirm')).toMatchObject({ verb: 'qaApprove', data: { comment: 'looks good' } });
    expect(answer.card.actions!.some((a) => a.title === 'Edit')).toBe(false);
    expect(await confirm(LYNNE, answer)).toContain('AFI4-T1 approved');
    expect(item('AFI4-T1').fields.QAStatus).toBe('Approved');
  });

  it.each([
    ['return AFI4-T2', 'Say why it goes back'],
    ['move AFI4-T3 to someday because reasons', 'I could not read "someday" as a date'],
    ['move AFI4-T3 to 31/03/2027', 'A new date needs a reason'],
    ['note NOT-MINE hello', 'is not one of your open tasks'],
    ['AFI4-T3 the lease is with legal', 'I could not tell what to change on AFI4-T3'],
    ['done with the pumps', 'Which task? Put its reference after "done"'],
  ])('"%s" gets a short answer and the person\'s own tasks as buttons; nothing is saved', async (text, why) => {
    // Someone else's task (its reference looked up now: demo data follows the seeds).
    const mine = new Set((await chat.bot.core.deps.tasks.tasksOwnedBy(ALEX.id, await chat.bot.core.deps.roles.load())).map((t) => t.ref));
    const far = (ref: string) => [...mine].every((m) => distance(m.replace(/\W/g, ''), ref.replace(/\W/g, '')) > 2);
    const theirs = (await chat.bot.core.deps.tasks.allTasks()).find((t) => !mine.has(t.ref) && far(t.ref))!.ref;
    const answer = await say(ALEX, text.replace('NOT-MINE', theirs));
    expect(answer.text).toContain(why);
    expect(JSON.stringify(answer.card)).toContain('"verb":"openUpdate"');
  });

  it('a reference one letter out is offered as "did you mean"', async () => {
    const answer = await say(ALEX, 'note AFI4-T33 met the crews');
    expect(answer.text).toContain('You typed "AFI4-T33": did you mean AFI4-T3?');
  });

  it('help shows the phrases; anything else still gets help', async () => {
    const help = await say(ALEX, 'help');
    expect(help.text).toContain('move AFI3-T2 to 31/03/2027 because the supplier slipped');
    expect((await say(ALEX, 'what is the weather')).text).toContain("I didn't understand");
  });
});
