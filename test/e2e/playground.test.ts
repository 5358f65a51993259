import { spawn, type ChildProcess } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium, type Browser, type Page } from 'playwright-core';
import { Agent } from 'undici';
import { afterAll, beforeAll, expect, it } from 'vitest';

/**
 * End to end, as a newcomer runs it: `npm start` (local mode: Graph emulator + bot + Microsoft 365 Agents
 * Playground), the Playground driven in Debian's Chromium, the reminder sent with `planpulse remind`, an update
 * made from the card, and the change read back from the emulated SharePoint list over HTTPS.
 */
const ports = { PORT: '39781', GRAPH_EMULATOR_PORT: '39791', PLAYGROUND_PORT: '56171' };
const stateDir = mkdtempSync(join(tmpdir(), 'planpulse-e2e-'));
const env = { ...process.env, ...ports, STATE_DIR: stateDir, LOG_LEVEL: 'warn' };
const artifacts = join(process.cwd(), 'test', 'artifacts');
const chromiumPath = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';

let app: ChildProcess;
let browser: Browser;
let page: Page;
let output = '';

function run(args: string[]): Promise<{ code: number | null; out: string }> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, ['dist/cli.js', ...args], { env });
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
  while (!output.includes('Agents Playground: http://127.0.0.1:56171')) {
    if (Date.now() > deadline || app.exitCode !== null) throw new Error(`local mode did not start:\n${output}`);
    await new Promise((r) => setTimeout(r, 200));
  }
  browser = await chromium.launch({
    executablePath: chromiumPath,
    args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run'],
  });
  page = await browser.newPage({ viewport: { width: 1280, height: 1600 } });
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
  await page.screenshot({ path: join(artifacts, file) });
}

async function emulatedItem(ref: string): Promise<Record<string, unknown>> {
  const ca = readFileSync(join(stateDir, 'graph-emulator', 'cert.pem'), 'utf8');
  const site = 'planpulse-demo.sharepoint.invalid:/sites/ImprovementPlans:';
  const url = `https://127.0.0.1:${ports.GRAPH_EMULATOR_PORT}/v1.0/sites/${site}/lists/Improvement%20Actions/items?expand=fields&$filter=fields/ActionRef eq '${ref}'`;
  const res = await fetch(url, { headers: { authorization: 'Bearer e2e' }, dispatcher: new Agent({ connect: { ca } }) } as RequestInit);
  const body = (await res.json()) as { value: { fields: Record<string, unknown> }[] };
  return body.value[0]!.fields;
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

  await reminder.getByRole('button', { name: 'Update AFI4-T1' }).click();
  const form = page.locator('.ac-adaptiveCard', { hasText: 'Update AFI4-T1' }).last();
  await form.getByText('Progress note (logged').waitFor();
  await shoot(form.getByText('Update AFI4-T1', { exact: true }), 'e2e-2-update-form.png');

  // The Playground renders Input.ChoiceSet as a Fluent UI combobox.
  await form.getByRole('combobox').first().click();
  await page.getByRole('option', { name: 'Behind Target' }).click();
  await form.getByRole('textbox', { name: /Progress note/ }).fill('Evaluation template agreed with partners; sign-off slipped.');
  await form.getByRole('button', { name: 'Save' }).click();

  const saved = page.locator('.ac-adaptiveCard', { hasText: 'Saved AFI4-T1' }).last();
  await saved.waitFor({ timeout: 30_000 });
  await shoot(saved.getByText(/Saved AFI4-T1/), 'e2e-3-saved.png');

  const fields = await emulatedItem('AFI4-T1');
  expect(fields.Status).toBe('Behind Target');
  expect(String(fields.ProgressNotes)).toMatch(/^\[\d{4}-\d{2}-\d{2} Alex Wilber\] Evaluation template agreed with partners; sign-off slipped\./);
  expect(fields.LastUpdatedBy).toBe('Alex Wilber');
}, 180_000);
