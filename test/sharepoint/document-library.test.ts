import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { startBot, type BotHarness } from '../helpers/harness.js';

let bot: BotHarness;
beforeAll(async () => {
  bot = await startBot();
});
afterAll(() => bot.stop());

const stored = (webUrl: string) => [...bot.emulator.files.values()].find((f) => f.webUrl === webUrl);

it('publishes a small file with one simple upload', async () => {
  const bytes = randomBytes(200_000);
  const before = bot.emulator.requests.length;
  const { webUrl } = await bot.core.deps.documents.publish('Evidence/AFI1-T1/minutes.pdf', bytes, 'application/pdf');
  expect(webUrl).toMatch(/\/Shared%20Documents\/Evidence\/AFI1-T1\/minutes\.pdf$/);
  expect(stored(webUrl)!.bytes.equals(bytes)).toBe(true);
  expect(bot.emulator.requests.slice(before).filter((r) => r.method === 'PUT')).toHaveLength(1);
});

it('publishes a file over 4 MB through an upload session, in slices, without a token on the upload URL', async () => {
  const bytes = randomBytes(9 * 1024 * 1024 + 123);
  const before = bot.emulator.requests.length;
  const { webUrl } = await bot.core.deps.documents.publish('Evidence/AFI1-T1/site survey.pdf', bytes, 'application/pdf');
  expect(webUrl).toMatch(/\/Evidence\/AFI1-T1\/site%20survey\.pdf$/);
  expect(stored(webUrl)!.bytes.equals(bytes)).toBe(true);
  const made = bot.emulator.requests.slice(before);
  expect(made.filter((r) => r.path.endsWith(':/createUploadSession'))).toHaveLength(1);
  // 9 MB in slices of 3.2 MB (a multiple of 320 KiB, as Graph requires).
  expect(made.filter((r) => r.path.startsWith('/_upload/')).length).toBe(3);
});
