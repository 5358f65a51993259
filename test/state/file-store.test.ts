import { mkdtempSync, readdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ConversationStore } from '../../src/app/conversations.js';
import { FileStore } from '../../src/adapters/state/file-store.js';

describe('file store', () => {
  it('keeps values across instances (a restart) and leaves no temporary files', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'planpulse-store-'));
    const conversations = new ConversationStore(new FileStore(dir));
    const record = { tenantId: 't', aadObjectId: 'a', userId: '29:a', conversationId: 'c', serviceUrl: 'https://smba.example/', channelId: 'msteams', botId: '28:b', updatedAt: 'now' };
    await Promise.all(Array.from({ length: 20 }, (_, i) => conversations.save({ ...record, updatedAt: String(i) })));
    const reopened = new ConversationStore(new FileStore(dir));
    expect(await reopened.get('t', 'a')).toMatchObject({ conversationId: 'c' });
    expect(readdirSync(join(dir, 'conversations', 't'))).toEqual(['a.json']);
    await new FileStore(dir).put('actions/x y', 1);
    expect((await new FileStore(dir).list('')).sort()).toEqual(['actions/x y', 'conversations/t/a']);
    expect(await new FileStore(dir).list('actions/')).toEqual(['actions/x y']);
    await reopened.remove('t', 'a');
    expect(await conversations.get('t', 'a')).toBeUndefined();
  });

  it('refuses keys that would escape its directory', async () => {
    const store = new FileStore(mkdtempSync(join(tmpdir(), 'planpulse-store-')));
    await expect(store.put('../../etc/passwd', 'x')).rejects.toThrow('Invalid state key');
    await store.put('a/..%2F..%2Fx', 'safe'); // encoded, so it stays a single file name inside the store
    expect(await store.get('a/..%2F..%2Fx')).toBe('safe');
  });
});
