import { spawn, type ChildProcess } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { Agent } from 'undici';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchChromium } from '../helpers/browser.js';
import { TEAMS_SDKS } from '../helpers/teams-client.js';
import { pdfBytes, teamsFileAttachment } from '../helpers/chat-files.js';
import { DEMO_PEOPLE } from '../../src/local/demo-data/people.js';

/**
 * End to end, as a newcomer runs it: `npm start` (local mode: Graph emulator + bot + Microsoft 365 Agents
 * Playground), the Playground driven in headless Chromium, the reminder sent with `planpulse remind`, an update
 * made from the card, and the change read back from the emulated SharePoint list over HTTPS. Once through each
 * Teams SDK adapter (BOT_SDK).
 */
describe.each(TEAMS_SDKS.map((sdk, i) => [sdk, i] as const))('local mode through %s', (sdk, i) => {
// The QA reviewer's Playground runs on PLAYGROUND_PORT + 1.
const ports = { PORT: String(39781 + 10 * i), GRAPH_EMULATOR_PORT: String(39791 + 10 * i), PLAYGROUND_PORT: String(56171 + 10 * i) };
const reviewerPlayground = `http://127.0.0.1:${56172 + 10 * i}/`;
const stateDir = mkdtempSync(join(tmpdir(), 'planpulse-e2e-'));
const env = { ...process.env, ...ports, BOT_SDK: sdk, STATE_DIR: stateDir, LOG_LEVEL: 'warn' };
const artifacts = join(process.cwd(), 'test', 'artifacts', sdk);

let app: ChildProcess;
let browser: Browser;
let page: Page;
let output = '';

function run(args: string[]): Promise<{ code: number | null; out: string }> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, ['dist/cli/index.js', ...args], { env });
    let out = '';
    child.stdout.on('data', (d) => (out += d));
    child.stderr.on('data', (d) => (out += d));
    child.on('close', (code) => resolve({ code, out }));
  });
}

beforeAll(async () => {
  mkdirSync(artifacts, { recursive: true });
  app = spawn('npm', ['start', '--silent'], { env, detached: true });
  app.stdout!.on('data', (d) => (output += d));
  app.stderr!.on('data', (d) => (output += d));
  const deadline = Date.now() + 90_000;
  while (!output.includes(`Agents Playground: ${reviewerPlayground.slice(0, -1)}`)) {
    if (Date.now() > deadline || app.exitCode !== null) throw new Error(`local mode did not start:\n${output}`);
    await new Promise((r) => setTimeout(r, 200));
  }
  expect(output).toContain(`Teams SDK: ${sdk}`);
  browser = await launchChromium();
  const context = await browser.newContext({ viewport: { width: 1280, height: 1600 } });
  await context.grantPermissions(['clipboard-read', 'clipboard-write'], { origin: `http://127.0.0.1:${ports.PLAYGROUND_PORT}` });
  page = await context.newPage();
}, 120_000);

afterAll(async () => {
  await browser?.close();
  if (app?.pid) {
    try {
      process.kill(-app.pid, 'SIGTERM');
    } catch {
      // already gone
    }
  }
  rmSync(stateDir, { recursive: true, force: true });
});

/** Scrolls a card's heading to the top of the chat and saves what the person sees. */
async function shoot(heading: ReturnType<Page['getByText']>, file: string): Promise<void> {
  await heading.first().evaluate((el) => el.scrollIntoView({ block: 'start' }));
  await heading.page().screenshot({ path: join(artifacts, file) });
}

/** Reads list items for a task reference straight from the emulated SharePoint, over HTTPS like Graph. */
async function emulatedItems(list: string, ref: string): Promise<Record<string, unknown>[]> {
  const ca = readFileSync(join(stateDir, 'graph-emulator', 'cert.pem'), 'utf8');
  const site = 'planpulse-demo.sharepoint.invalid:/sites/ImprovementPlans:';
  const url = `https://127.0.0.1:${ports.GRAPH_EMULATOR_PORT}/v1.0/sites/${site}/lists/${encodeURIComponent(list)}/items?expand=fields&$filter=fields/ActionRef eq '${ref}'`;
  const res = await fetch(url, { headers: { authorization: 'Bearer e2e' }, dispatcher: new Agent({ connect: { ca } }) } as RequestInit);
  const body = (await res.json()) as { value: { fields: Record<string, unknown> }[] };
  return body.value.map((v) => v.fields);
}

const emulatedItem = async (ref: string) => (await emulatedItems('Improvement Actions', ref))[0]!;

/** Opens a task's update form from the person's latest card that has its Update button, and saves the given input. */
async function updateFromCard(on: Page, cardText: string | RegExp, ref: string, input: { status?: string; note?: string; evidenceLink?: string; evidenceSummary?: string }, shot?: string) {
  await on.locator('.ac-adaptiveCard', { hasText: cardText }).last().getByRole('button', { name: `Update ${ref}` }).click();
  const form = on.locator('.ac-adaptiveCard', { hasText: `Update ${ref}` }).filter({ hasText: 'Progress note (logged' }).last();
  await form.getByText('Progress note (logged').waitFor();
  if (input.status) {
    // The Playground renders Input.ChoiceSet as a Fluent UI combobox.
    await form.getByRole('combobox').first().click();
    await on.getByRole('option', { name: input.status }).click();
  }
  if (input.note) await form.getByRole('textbox', { name: /Progress note/ }).fill(input.note);
  if (input.evidenceLink) await form.getByRole('textbox', { name: /Evidence link/ }).fill(input.evidenceLink);
  if (input.evidenceSummary) await form.getByRole('textbox', { name: /What the evidence shows/ }).fill(input.evidenceSummary);
  if (shot) await shoot(form.getByText(`Update ${ref}`, { exact: true }), shot);
  await form.getByRole('button', { name: 'Save' }).click();
}

it('the demo owner gets the grouped reminder card, updates a task from it, and the list item changes', async () => {
  await page.goto(`http://127.0.0.1:${ports.PLAYGROUND_PORT}/`);
  // Opening the page installs the app for Alex: the bot greets them and stores the conversation.
  await page.getByText('I will remind you about your improvement-plan tasks').waitFor({ timeout: 30_000 });

  const remind = await run(['remind', '--any-day']);
  expect(remind.code, remind.out).toBe(0);
  expect(remind.out).toMatch(/Alex Wilber <[^>]+> — \d+ tasks — sent/);

  const reminder = page.locator('.ac-adaptiveCard', { hasText: 'Good morning Alex' }).last();
  await reminder.waitFor({ timeout: 30_000 });
  await expect.poll(() => reminder.textContent()).toMatch(/OVERDUE \d+ days/);
  await shoot(reminder.getByText('Good morning Alex'), 'e2e-1-reminder-card.png');

  await updateFromCard(page, 'Good morning Alex', 'AFI4-T1', { status: 'Behind Target', note: 'Evaluation template agreed with partners; sign-off slipped.' }, 'e2e-2-update-form.png');

  const saved = page.locator('.ac-adaptiveCard', { hasText: 'Saved AFI4-T1' }).last();
  await saved.waitFor({ timeout: 30_000 });
  await shoot(saved.getByText(/Saved AFI4-T1/), 'e2e-3-saved.png');

  // The change is visible in the local list viewer, as it would be in SharePoint.
  const viewer = await browser.newPage({ viewport: { width: 1400, height: 900 } });
  await viewer.goto(`http://127.0.0.1:${ports.PORT}/local`);
  await viewer.getByRole('link', { name: 'Improvement Actions' }).click();
  const row = viewer.getByRole('row').filter({ hasText: 'AFI4-T1' });
  await expect.poll(() => row.textContent()).toContain('Behind Target');
  await row.screenshot({ path: join(artifacts, 'e2e-4-list-row.png') });
  await viewer.close();

  const fields = await emulatedItem('AFI4-T1');
  expect(fields.Status).toBe('Behind Target');
  expect(String(fields.ProgressNotes)).toMatch(/^\[\d{4}-\d{2}-\d{2} Alex Wilber\] Evaluation template agreed with partners; sign-off slipped\./);
  expect(fields.LastUpdatedBy).toBe('Alex Wilber');
}, 180_000);

it('QA: the owner submits with evidence, the reviewer returns it, the owner fixes and resubmits, the reviewer approves', async () => {
  const reviewer = await browser.newPage({ viewport: { width: 1280, height: 1600 } });
  await reviewer.goto(reviewerPlayground);
  await reviewer.getByText('I will remind you about your improvement-plan tasks').waitFor({ timeout: 30_000 });

  const lists = page.locator('.ac-adaptiveCard', { hasText: 'Your improvement-plan tasks' });
  const before = await lists.count();
  await page.getByRole('textbox').first().click();
  await page.keyboard.type('my tasks');
  await page.keyboard.press('Enter');
  await expect.poll(() => lists.count(), { timeout: 30_000 }).toBe(before + 1);
  await updateFromCard(page, 'Your improvement-plan tasks', 'AFI4-T2', {
    status: 'Complete',
    evidenceLink: 'https://contoso.sharepoint.com/sites/plans/Evidence/road-safety-evaluation.pdf',
    evidenceSummary: 'Road safety evaluation report',
  });
  await page.locator('.ac-adaptiveCard', { hasText: 'Sent to QA: Lynne Robbins' }).last().waitFor({ timeout: 30_000 });

  const qaCard = reviewer.locator('.ac-adaptiveCard', { hasText: 'QA sign-off · AFI4-T2' }).last();
  await qaCard.waitFor({ timeout: 30_000 });
  await shoot(qaCard.getByText('QA sign-off · AFI4-T2'), 'e2e-qa-1-review-card.png');
  await qaCard.getByRole('textbox', { name: /Comment/ }).fill('The report is a draft; attach the signed-off version.');
  await qaCard.getByRole('button', { name: 'Return to owner' }).click();
  await reviewer.locator('.ac-adaptiveCard', { hasText: 'AFI4-T2 returned by Lynne Robbins' }).last().waitFor({ timeout: 30_000 });

  const returned = page.locator('.ac-adaptiveCard', { hasText: 'AFI4-T2 was returned by QA' }).last();
  await returned.waitFor({ timeout: 30_000 });
  await expect.poll(() => returned.textContent()).toContain('attach the signed-off version');
  await shoot(returned.getByText('AFI4-T2 was returned by QA'), 'e2e-qa-2-returned.png');
  await updateFromCard(page, 'AFI4-T2 was returned by QA', 'AFI4-T2', {
    status: 'Complete',
    evidenceLink: 'https://contoso.sharepoint.com/sites/plans/Evidence/road-safety-evaluation-signed.pdf',
    note: 'Signed-off version attached.',
  });
  await page.locator('.ac-adaptiveCard', { hasText: 'Sent to QA: Lynne Robbins' }).last().waitFor({ timeout: 30_000 });

  const again = reviewer.locator('.ac-adaptiveCard', { hasText: 'road-safety-evaluation-signed' }).or(reviewer.locator('.ac-adaptiveCard', { hasText: 'Signed-off version attached' })).last();
  await again.waitFor({ timeout: 30_000 });
  await again.getByRole('button', { name: 'Approve' }).click();
  const approvedForReviewer = reviewer.locator('.ac-adaptiveCard', { hasText: 'AFI4-T2 approved by Lynne Robbins' }).last();
  await approvedForReviewer.waitFor({ timeout: 30_000 });
  await shoot(approvedForReviewer.getByText('QA sign-off · AFI4-T2'), 'e2e-qa-3-approved.png');
  const told = page.locator('.ac-adaptiveCard', { hasText: 'AFI4-T2 passed QA' }).last();
  await told.waitFor({ timeout: 30_000 });
  await shoot(told.getByText('AFI4-T2 passed QA'), 'e2e-qa-4-owner-told.png');

  const fields = await emulatedItem('AFI4-T2');
  expect(fields).toMatchObject({
    Status: 'Complete',
    QAStatus: 'Approved',
    QAReviewer: 'Lynne Robbins',
    QAReviewerId: 'a7c1e3f0-5b2d-4c8e-9a14-3f6b8d2e0c06',
    EvidenceLink: 'https://contoso.sharepoint.com/sites/plans/Evidence/road-safety-evaluation-signed.pdf',
  });
  expect(String(fields.QADate)).toMatch(/^\d{4}-\d{2}-\d{2}T/);
  const audit = await emulatedItems('Plan Updates', 'AFI4-T2');
  const qaTrail = audit.filter((r) => r.Field === 'QAStatus').map((r) => `${r.OldValue} → ${r.NewValue} (${r.Actor})`);
  expect(qaTrail).toEqual([
    'Not submitted → Awaiting QA (Alex Wilber)',
    'Awaiting QA → Returned (Lynne Robbins)',
    'Returned → Awaiting QA (Alex Wilber)',
    'Awaiting QA → Approved (Lynne Robbins)',
  ]);
  await reviewer.close();

  const history = await run(['history', 'AFI4-T2']);
  expect(history.code, history.out).toBe(0);
  expect(history.out).toMatch(/Lynne Robbins\s+QAStatus\s+Awaiting QA → Approved\s+\(Teams card \(QA\)\)/);
  const sample = await run(['sample', '--dry-run']);
  expect(sample.out).toMatch(/DRY RUN — nothing written\. actions .*: \d+ of \d+ approved tasks drawn \(share 0\.1, seed "actions:\d{4}-\d{2}-\d{2}"\)/);
}, 180_000);

it('an update typed in plain words: the confirmation card shows the change, Confirm saves it', async () => {
  await page.getByRole('textbox').first().click();
  await page.keyboard.type('AFI4-T3 behnd - waiting for estates to sign the lease');
  await page.keyboard.press('Enter');
  const confirmCard = page.locator('.ac-adaptiveCard', { hasText: 'Update AFI4-T3?' }).last();
  await confirmCard.waitFor({ timeout: 30_000 });
  await expect.poll(() => confirmCard.textContent()).toContain('did you mean "Behind Target"?');
  await shoot(confirmCard.getByText('Update AFI4-T3?'), 'e2e-chat-1-confirm.png');
  expect((await emulatedItem('AFI4-T3')).Status).not.toBe('Behind Target'); // nothing saved before Confirm
  await confirmCard.getByRole('button', { name: 'Confirm' }).click();
  await page.locator('.ac-adaptiveCard', { hasText: 'Saved AFI4-T3' }).last().waitFor({ timeout: 30_000 });
  const fields = await emulatedItem('AFI4-T3');
  expect(fields.Status).toBe('Behind Target');
  expect(String(fields.ProgressNotes)).toMatch(/^\[\d{4}-\d{2}-\d{2} Alex Wilber\] waiting for estates to sign the lease/);
}, 120_000);

it('an evidence file sent in the chat: Teams\' file activity through the Playground\'s custom activity, stored in the plan library and linked', async () => {
  // The Playground has no file upload, so the file is sent as Teams sends it: the file in the person's OneDrive
  // (the emulator's, over HTTPS) and a message with its download-info attachment, pasted into "Custom activity".
  const ca = readFileSync(join(stateDir, 'graph-emulator', 'cert.pem'), 'utf8');
  const bytes = pdfBytes(180_000);
  const attachment = await teamsFileAttachment({ baseUrl: `https://127.0.0.1:${ports.GRAPH_EMULATOR_PORT}/v1.0`, certificate: ca }, DEMO_PEOPLE[0]!, 'Prevention evaluation report.pdf', bytes);
  await page.getByRole('button', { name: 'Mock an Activity' }).click();
  const template = page.waitForResponse((r) => r.url().includes('/v1/customActivities/template'));
  await page.getByRole('menuitem', { name: 'Custom activity' }).click();
  const activity = (await (await template).json()) as { from: Record<string, unknown> };
  const message = { ...activity, type: 'message', text: 'evidence AFI4-T3 - the evaluation report', from: { ...activity.from, name: 'Alex Wilber' }, attachments: [attachment] };
  // Monaco re-indents and closes brackets as text is typed, so the activity is pasted.
  await page.evaluate((text) => (globalThis as unknown as { navigator: { clipboard: { writeText(t: string): Promise<void> } } }).navigator.clipboard.writeText(text), JSON.stringify(message, null, 2));
  await page.locator('.monaco-editor').click();
  await page.keyboard.press('Control+A');
  await page.keyboard.press('Control+V');
  await page.getByRole('button', { name: 'Send activity' }).click();

  const stored = page.locator('.ac-adaptiveCard', { hasText: 'Evidence stored for AFI4-T3' }).last();
  await stored.waitFor({ timeout: 30_000 });
  await expect.poll(() => stored.textContent()).toContain('evidence file Prevention evaluation report.pdf stored and linked');
  await shoot(stored.getByText('Evidence stored for AFI4-T3'), 'e2e-chat-2-evidence-file.png');
  const fields = await emulatedItem('AFI4-T3');
  expect(String(fields.EvidenceLink)).toMatch(/\/Shared%20Documents\/Evidence\/AFI4-T3\/Prevention%20evaluation%20report\.pdf$/);
  expect(fields.EvidenceSummary).toBe('the evaluation report');
  // The link opens the stored file (the local list viewer stands in for SharePoint's).
  const opened = await fetch(String(fields.EvidenceLink));
  expect(opened.status).toBe(200);
  expect(Buffer.from(await opened.arrayBuffer()).equals(bytes)).toBe(true);
}, 120_000);

it('in Welsh: "iaith cymraeg" switches Alex to Welsh, remembered; the task list and dates in Welsh', async () => {
  await page.getByRole('textbox').first().click();
  await page.keyboard.type('iaith cymraeg');
  await page.keyboard.press('Enter');
  await page.getByText('Bydd PlanPulse yn defnyddio’r Gymraeg gyda chi').last().waitFor({ timeout: 30_000 });
  await page.getByRole('textbox').first().click();
  await page.keyboard.type('my tasks');
  await page.keyboard.press('Enter');
  const list = page.locator('.ac-adaptiveCard', { hasText: 'Tasgau eich cynllun gwella' }).last();
  await list.waitFor({ timeout: 30_000 });
  await expect.poll(() => list.textContent()).toMatch(/Diweddaru AFI/);
  await shoot(list.getByText('Tasgau eich cynllun gwella'), 'e2e-welsh-tasks.png');
  // Back to English for anyone running the Playground afterwards.
  await page.getByRole('textbox').first().click();
  await page.keyboard.type('language english');
  await page.keyboard.press('Enter');
  await page.getByText('PlanPulse will use English with you from now on').last().waitFor({ timeout: 30_000 });
}, 120_000);
});
