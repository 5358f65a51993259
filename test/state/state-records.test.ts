import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { FileStore } from '../../src/adapters/state/file-store.js';
import { CorruptStateError, stateRecord } from '../../src/app/state.js';
import { ledgers } from '../../src/features/reminders/state.js';

describe('typed state records', () => {
  it('checks every read against the owner\'s schema and names a damaged record', async () => {
    const store = new FileStore(mkdtempSync(join(tmpdir(), 'planpulse-records-')));
    await ledgers.put(store, 'aad-1', { tasks: {}, snoozedUntil: { 'actions/1': '2026-12-01' } });
    expect(await ledgers.get(store, 'aad-1')).toEqual({ tasks: {}, snoozedUntil: { 'actions/1': '2026-12-01' } });
    await store.put('reminders/ledger/aad-2', { tasks: 'not a map', snoozedUntil: {} });
    const damaged = await ledgers.get(store, 'aad-2').catch((e: unknown) => e);
    expect(damaged).toBeInstanceOf(CorruptStateError);
    expect((damaged as CorruptStateError).key).toBe('reminders/ledger/aad-2');
    expect(await ledgers.ids(store)).toEqual(expect.arrayContaining(['aad-1', 'aad-2']));
  });

  it('refuses a write that does not match the schema, and a second owner of the same keys', async () => {
    const store = new FileStore(mkdtempSync(join(tmpdir(), 'planpulse-records-')));
    await expect(ledgers.put(store, 'aad-3', { tasks: {} } as never)).rejects.toThrow();
    expect(() => stateRecord('reminders/ledger', z.object({}), 'some/other-module')).toThrow('State prefix "reminders/ledger" is declared by both features/reminders and some/other-module');
    expect(() => stateRecord('reminders', z.object({}), 'some/other-module')).toThrow(/overlaps/);
  });
});
