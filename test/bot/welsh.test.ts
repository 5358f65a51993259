import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runReminders } from '../../src/features/reminders/remind.js';
import { DEMO_PEOPLE } from '../../src/local/demo-data/people.js';
import { cardOf, textOf } from '../helpers/connector.js';
import { openChat, TEAMS_SDKS, type Chat, type DemoPerson } from '../helpers/teams-client.js';

const [ALEX, MEGAN] = DEMO_PEOPLE as DemoPerson[] as [DemoPerson, DemoPerson];

/**
 * Welsh and English through each Teams SDK: the language follows the person's Teams locale (cy-GB), a chat choice
 * overrides it and is remembered, and scheduled cards (sent with no activity to say the locale) use it.
 */
describe.each(TEAMS_SDKS)('Welsh and English through %s', (sdk) => {
  let chat: Chat;
  beforeAll(async () => {
    chat = await openChat({ BOT_SDK: sdk }, [ALEX, MEGAN]);
  });
  afterAll(() => chat.close());

  const say = async (person: DemoPerson, text: string, locale?: string) => {
    const before = chat.connector.sent().length;
    const res = await chat.teams.post(chat.teams.activity(person, { type: 'message', id: `m-${Math.random()}`, text, ...(locale && { locale }) }));
    expect(res.status).toBe(200);
    const [reply] = chat.connector.sent().slice(before);
    return String(reply!.body.text ?? textOf(cardOf(reply!)));
  };

  it('someone whose Teams is in Welsh is answered in Welsh; English Teams in English', async () => {
    expect(await say(MEGAN, 'help', 'cy-GB')).toContain('Mae PlanPulse yn cadw tasgau eich cynllun gwella i symud');
    expect(await say(ALEX, 'help', 'en-GB')).toContain('PlanPulse keeps your improvement-plan tasks moving');
    expect(await say(MEGAN, 'my tasks', 'cy-GB')).toMatch(/Tasgau eich cynllun gwella · \d+ (Tach|Rhag)/);
    expect(await say(MEGAN, 'rhywbeth', 'cy-GB')).toContain('Doeddwn i ddim yn deall "rhywbeth"');
  });

  it('"iaith cymraeg" and "language english" choose the language, remembered over the Teams locale', async () => {
    expect(await say(ALEX, 'iaith cymraeg', 'en-GB')).toContain('Bydd PlanPulse yn defnyddio’r Gymraeg gyda chi');
    expect(await say(ALEX, 'my tasks', 'en-GB')).toContain('Tasgau eich cynllun gwella');
    // A card click in Welsh too.
    expect(textOf((await chat.teams.invoke(ALEX, 'myTasks', {})).value)).toContain('Tasgau eich cynllun gwella');
    expect(await say(MEGAN, 'language english', 'cy-GB')).toContain('PlanPulse will use English with you');
    expect(await say(MEGAN, 'help', 'cy-GB')).toContain('PlanPulse keeps your improvement-plan tasks moving');
  });

  it('commands and plain-words updates can be typed in Welsh too', async () => {
    expect(await say(ALEX, 'fy nhasgau')).toContain('Tasgau eich cynllun gwella');
    const move = await say(ALEX, 'symud AFI4-T3 i 31/03/2027 oherwydd bod y cyflenwr wedi llithro');
    expect(move).toContain('Symud dyddiad cwblhau AFI4-T3?');
    expect(move).toContain('31 Maw 2027');
    expect(move).toContain('bod y cyflenwr wedi llithro');
    expect(await say(ALEX, 'nodyn AFI4-T3 cyfarfod â rheolwyr yr orsaf')).toContain('Ychwanegu nodyn at AFI4-T3?');
    expect(await say(ALEX, 'cwblhau AFI4-T3')).toContain('Nodi bod AFI4-T3 yn gyflawn?');
    expect(await say(ALEX, 'hanes AFI4-T3')).toContain('Hanes AFI4-T3');
    expect(await say(ALEX, 'tystiolaeth AFI4-T3')).toContain('I gyflwyno ffeil fel tystiolaeth');
  });

  it('the morning reminder goes in the language each person uses, with dates in that language', async () => {
    chat.connector.clear();
    await runReminders(chat.bot.core.deps, { dryRun: false, anyDay: true });
    const toAlex = chat.connector.sent().find((c) => c.conversationId === `a:chat-${ALEX.id}`)!;
    const welsh = textOf(cardOf(toAlex));
    expect(welsh).toMatch(/Bore da Alex · tasgau’r cynllun gwella ar gyfer 23 Tach 2026/);
    expect(welsh).toMatch(/HWYR O \d+ D?DIWRNOD/);
    expect(welsh).not.toMatch(/OVERDUE|DUE SOON|NO EVIDENCE/);
    expect(welsh).toContain('Diweddaru ');
    const toMegan = chat.connector.sent().find((c) => c.conversationId === `a:chat-${MEGAN.id}`);
    expect(toMegan).toBeDefined();
    expect(textOf(cardOf(toMegan!))).toContain('Good morning Megan');
    expect(textOf(cardOf(toMegan!))).not.toContain('Bore da');
  });
});
