import { mkdtempSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { FileStore } from '../../src/adapters/state/file-store.js';
import { onDamagedState, stateRecord } from '../../src/app/state.js';
import { ledgers } from '../../src/features/reminders/state.js';

describe('typed state records', () => {
  it('checks every read against the owner\'s schema; a damaged record is moved aside, named in the log, and affects only itself', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'planpulse-records-'));
    const store = new FileStore(dir);
    const reported: string[] = [];
    onDamagedState((key, movedTo) => reported.push(`${key} -> ${movedTo}`));
    await ledgers.put(store, 'aad-1', { tasks: {}, snoozedUntil: { 'actions/1': '2026-12-01' } });
    expect(await ledgers.get(store, 'aad-1')).toEqual({ tasks: {}, snoozedUntil: { 'actions/1': '2026-12-01' } });
    await store.put('reminders/ledger/aad-2', { tasks: 'not a map', snoozedUntil: {} });
    writeFileSync(join(dir, 'reminders', 'ledger', 'aad-3.json'), '{"tasks": {}, "snoozedU');
    expect(await ledgers.get(store, 'aad-2')).toBeUndefined();
    expect(await ledgers.get(store, 'aad-3')).toBeUndefined();
    expect(reported).toEqual([expect.stringMatching(/^reminders\/ledger\/aad-2 -> damaged\/reminders~ledger~aad-2@/), expect.stringMatching(/^reminders\/ledger\/aad-3 -> damaged\//)]);
    expect(await ledgers.ids(store)).toEqual(['aad-1']);
    const kept = await store.list('damaged/');
    expect(kept).toHaveLength(2);
    expect(await store.get(kept.find((k) => k.includes('aad-3'))!)).toMatchObject({ key: 'reminders/ledger/aad-3', raw: '{"tasks": {}, "snoozedU' });
    // Only that person starts afresh; the others are untouched.
    expect(await ledgers.get(store, 'aad-1')).toBeDefined();
  });

  it('compare-and-swap updates never lose a concurrent change', async () => {
    const store = new FileStore(mkdtempSync(join(tmpdir(), 'planpulse-records-')));
    await Promise.all(Array.from({ length: 25 }, (_, i) => ledgers.update(store, 'aad-9', (l) => ({ tasks: {}, ...l, snoozedUntil: { ...l?.snoozedUntil, [`actions/${i}`]: '2026-12-01' } }))));
    expect(Object.keys((await ledgers.get(store, 'aad-9'))!.snoozedUntil)).toHaveLength(25);
  });

  it('keeps state private: the folder 0700, files 0600', async () => {
    const dir = join(mkdtempSync(join(tmpdir(), 'planpulse-records-')), 'state');
    const store = new FileStore(dir);
    await ledgers.put(store, 'aad-1', { tasks: {}, snoozedUntil: {} });
    expect(statSync(dir).mode & 0o777).toBe(0o700);
    expect(statSync(join(dir, 'reminders', 'ledger', 'aad-1.json')).mode & 0o777).toBe(0o600);
  });

  it('refuses a write that does not match the schema, and a second owner of the same keys', async () => {
    const store = new FileStore(mkdtempSync(join(tmpdir(), 'planpulse-records-')));
    await expect(ledgers.put(store, 'aad-3', { tasks: {} } as never)).rejects.toThrow();
    expect(() => stateRecord('reminders/ledger', z.object({}), 'some/other-module')).toThrow('State prefix "reminders/ledger" is declared by both features/reminders and some/other-module');
    expect(() => stateRecord('reminders', z.object({}), 'some/other-module')).toThrow(/overlaps/);
  });
});
