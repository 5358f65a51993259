import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { reachPerson } from '../../src/app/send.js';
import { runDigest } from '../../src/features/digest/digest.js';
import { formatRemindReport, runReminders, summariseRemindReport } from '../../src/features/reminders/remind.js';
import { DEMO_PLAN_CONFIG_PATH } from '../../src/local/demo-data/plan.js';
import { DEMO_PEOPLE } from '../../src/local/demo-data/people.js';
import { DEMO_CATALOG_APP_ID } from '../../src/local/demo-data/seed.js';
import { cardOf, textOf } from '../helpers/connector.js';
import { openChat, TEAMS_SDKS, type Chat, type DemoPerson } from '../helpers/teams-client.js';

const [ALEX, MEGAN, ADELE, ISAIAH, PATTI, LYNNE] = DEMO_PEOPLE as DemoPerson[] as [DemoPerson, DemoPerson, DemoPerson, DemoPerson, DemoPerson, DemoPerson];
const dir = mkdtempSync(join(tmpdir(), 'planpulse-reach-'));
const planWith = (install: string) => {
  const path = join(dir, `plan-${install}.yaml`);
  writeFileSync(path, `${readFileSync(DEMO_PLAN_CONFIG_PATH, 'utf8')}\nreach:\n  install: ${install}\n`);
  return path;
};
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/**
 * Reaching owners who never opened PlanPulse: with plan config `reach`, the reminder run installs the app for them
 * through Graph (`/users/{id}/teamwork/installedApps`, the emulator's, documented shapes), opens the chat it made,
 * welcomes them once and then reminds them. Each Teams SDK's messenger sends to the chat over the connector.
 */
describe.each(TEAMS_SDKS)('reaching every owner through %s', (sdk) => {
  let chat: Chat;
  beforeAll(async () => {
    chat = await openChat({ BOT_SDK: sdk, PLAN_CONFIG: planWith('owners') }, [ALEX]);
    const teams = chat.bot.emulator.model.data.teams!;
    // Isaiah's app policy blocks custom apps; Patti is a guest from another organisation; Megan already has the app
    // (installed by her admin) but never opened it.
    teams.blockedUsers.push(ISAIAH.id);
    chat.bot.emulator.model.data.users.find((u) => u.id === PATTI.id)!.userType = 'Guest';
    teams.installed.push({ userId: MEGAN.id, installationId: 'megan-installation', catalogAppId: DEMO_CATALOG_APP_ID, chatId: `19:megan-bot-chat@unq.gbl.spaces` });
  });
  afterAll(() => chat.close());

  const sentTo = (chatId: string) => chat.connector.sent().filter((c) => c.conversationId === chatId);
  const installedFor = (person: DemoPerson) => chat.bot.emulator.model.data.teams!.installed.filter((i) => i.userId === person.id);

  it('a dry run says who would get PlanPulse installed, and installs nothing', async () => {
    const report = await runReminders(chat.bot.core.deps, { dryRun: true, anyDay: true });
    expect(report.reminders.find((r) => r.person.aadObjectId === ADELE.id)!.outcome).toBe('would install PlanPulse in their Teams, welcome them, then send');
    expect(installedFor(ADELE)).toHaveLength(0);
  });

  it('installs PlanPulse for owners who lack it, welcomes them once, then reminds them; says so per person', async () => {
    chat.connector.clear();
    const report = await runReminders(chat.bot.core.deps, { dryRun: false, anyDay: true });
    const outcome = (p: DemoPerson) => report.reminders.find((r) => r.person.aadObjectId === p.id)?.outcome;
    expect(outcome(ALEX)).toBe('sent');
    expect(outcome(ADELE)).toBe('sent, after PlanPulse installed itself in their Teams and welcomed them');
    expect(installedFor(ADELE)).toHaveLength(1);
    const adeleChat = installedFor(ADELE)[0]!.chatId;
    const toAdele = sentTo(adeleChat).map((c) => textOf(cardOf(c)));
    expect(toAdele).toHaveLength(2);
    expect(toAdele[0]).toContain('Hello — I am PlanPulse');
    expect(toAdele[1]).toContain('Good morning Adele');
    // Already installed (by an admin) but never opened: its chat is found, no second installation.
    expect(outcome(MEGAN)).toMatch(/^sent/);
    expect(installedFor(MEGAN)).toHaveLength(1);
    expect(sentTo('19:megan-bot-chat@unq.gbl.spaces').map((c) => textOf(cardOf(c)))[0]).toContain('Hello — I am PlanPulse');
    // Blocked by policy, and a guest: not reachable, with the reason.
    expect(outcome(ISAIAH)).toBe('not reachable: PlanPulse could not be installed for them: their Teams app permission policy blocks PlanPulse');
    expect(outcome(PATTI)).toBe('not reachable: PlanPulse could not be installed for them: a guest from another organisation; PlanPulse does not install itself for guests');
    expect(installedFor(PATTI)).toHaveLength(0);
    const summary = summariseRemindReport(report);
    expect(summary).toMatch(/sent \(\d+ after PlanPulse installed itself for them\)/);
    expect(formatRemindReport(report)).toContain('Adele Vance');
  });

  it('Teams telling the bot of the installation does not welcome them twice', async () => {
    chat.connector.clear();
    const adeleChat = installedFor(ADELE)[0]!.chatId;
    await chat.teams.post(chat.teams.activity(ADELE, { type: 'installationUpdate', action: 'add', conversation: { id: adeleChat, conversationType: 'personal', tenantId: chat.bot.core.deps.tenantId } }));
    expect(chat.connector.sent().filter((c) => JSON.stringify(c.body).includes('I will remind you'))).toHaveLength(0);
  });

  it('the next day nobody is installed again or welcomed again, and lasting refusals are not asked of Graph again', async () => {
    chat.connector.clear();
    const before = chat.bot.emulator.model.data.teams!.installed.length;
    chat.bot.emulator.requests.length = 0;
    // Days later (not the same day, which every person's ledger would answer before anyone is reached).
    const again = await runReminders({ ...chat.bot.core.deps, clock: { now: () => new Date('2026-11-27T09:00:00Z') } }, { dryRun: false, anyDay: true });
    expect(chat.bot.emulator.requests.filter((r) => r.path.includes('/teamwork/installedApps') || r.path.includes(`/users/${ISAIAH.id}`) || r.path.includes(`/users/${PATTI.id}`))).toEqual([]);
    expect(again.reminders.find((r) => r.person.aadObjectId === ISAIAH.id)!.outcome).toBe('not reachable: PlanPulse could not be installed for them: their Teams app permission policy blocks PlanPulse');
    expect(chat.bot.emulator.model.data.teams!.installed.length).toBe(before);
    expect(chat.connector.sent().filter((c) => textOf(cardOf(c)).includes('Hello — I am PlanPulse'))).toHaveLength(0);
  });

  it('an app upgrade welcomes nobody again; someone who removes PlanPulse is never installed for again by it', async () => {
    chat.connector.clear();
    const adeleChat = installedFor(ADELE)[0]!.chatId;
    const conversation = { id: adeleChat, conversationType: 'personal', tenantId: chat.bot.core.deps.tenantId };
    await chat.teams.post(chat.teams.activity(ADELE, { type: 'installationUpdate', action: 'add-upgrade', conversation }));
    expect(chat.connector.sent()).toHaveLength(0);
    await chat.teams.post(chat.teams.activity(ADELE, { type: 'installationUpdate', action: 'remove', conversation }));
    chat.bot.emulator.model.data.teams!.installed = chat.bot.emulator.model.data.teams!.installed.filter((i) => i.userId !== ADELE.id);
    const report = await runReminders({ ...chat.bot.core.deps, clock: { now: () => new Date('2026-12-08T09:00:00Z') } }, { dryRun: false, anyDay: true });
    expect(report.reminders.find((r) => r.person.aadObjectId === ADELE.id)!.outcome).toBe('not reachable: they removed PlanPulse from their Teams');
    expect(installedFor(ADELE)).toHaveLength(0);
  });

  it('the digest\'s reach section counts who was reached, who got PlanPulse installed and who could not', async () => {
    const run = await runDigest(chat.bot.core.deps, { dryRun: true, send: false });
    const text = textOf(run.card);
    expect(text).toMatch(/Reach in Teams/);
    expect(text).toContain('PlanPulse installed itself for Adele Vance');
    expect(text).toMatch(/Isaiah Langer \(.*app permission policy/);
  });

  it('only owners with "owners": a reviewer or leader who owns nothing is not installed for', async () => {
    const nia = { id: 'b7c1e3f0-5b2d-4c8e-9a14-3f6b8d2e0c99', displayName: 'Nia Jones', userPrincipalName: 'nia.jones@planpulse-demo.invalid', mail: 'nia.jones@planpulse-demo.invalid' };
    chat.bot.emulator.model.data.users.push(nia);
    const result = await reachPerson(chat.bot.core.deps, nia.id, 'member');
    expect(result).toEqual({ unreachable: 'PlanPulse is not installed in their Teams' });
    expect(chat.bot.emulator.model.data.teams!.installed.filter((i) => i.userId === nia.id)).toHaveLength(0);
  });
});

describe('when PlanPulse is not in the organisation\'s catalogue', () => {
  let chat: Chat;
  beforeAll(async () => {
    chat = await openChat({ PLAN_CONFIG: planWith('everyone') }, [ALEX]);
    chat.bot.emulator.model.data.teams!.catalog.length = 0;
  });
  afterAll(() => chat.close());

  it('a click never installs PlanPulse for anyone: completing a task tells reviewers it can reach, and asks Graph nothing about apps', async () => {
    const item = chat.bot.emulator.model.list(chat.bot.emulator.model.data.sites[0]!, 'Improvement Actions').items.find((i) => i.fields.ActionRef === 'AFI4-T1')!;
    chat.bot.emulator.requests.length = 0;
    const saved = await chat.teams.invoke(ALEX, 'saveUpdate', { listKey: 'actions', itemId: item.id, eTag: `"${item.guid},${item.version}"`, status: 'Complete', evidenceLink: 'https://planpulse-demo.sharepoint.invalid/e.pdf' });
    expect(textOf(saved.value)).toContain('Saved AFI4-T1');
    expect(chat.bot.emulator.requests.filter((r) => r.path.includes('/teamwork/') || r.path.includes('/appCatalogs/'))).toEqual([]);
  });

  it('nobody is installed for, each is reported with the reason, and validate names the fix', async () => {
    const report = await runReminders(chat.bot.core.deps, { dryRun: false, anyDay: true });
    expect(report.reminders.filter((r) => r.person.aadObjectId !== ALEX.id).every((r) => r.outcome === "not reachable: PlanPulse could not be installed for them: PlanPulse is not in the organisation's Teams app catalogue")).toBe(true);
    const check = await chat.bot.core.deps.reach.installer.check(ALEX.id);
    expect(check).toMatchObject({ ok: false, fix: expect.stringContaining('Teams admin center') });
  });
});
