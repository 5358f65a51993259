import { expect, it } from 'vitest';
import { DEMO_PEOPLE } from '../../src/local/demo-data/people.js';
import { openChat } from '../helpers/teams-client.js';

it('a conversation resolves the site once and reads its users once, however many adapters need them', async () => {
  const alex = DEMO_PEOPLE[0]!;
  const chat = await openChat({}, [alex]);
  try {
    await chat.teams.say(alex, 'my tasks');
    const t = await chat.bot.task('AFI4-T1');
    await chat.teams.invoke(alex, 'saveUpdate', { listKey: t.listKey, itemId: t.itemId, eTag: t.eTag, note: 'Agreed' });
    await chat.teams.say(alex, 'history AFI4-T1');
    const requests = chat.bot.emulator.requests;
    expect(requests.filter((r) => /\/v1\.0\/sites\/[^/]+:\//.test(r.path))).toHaveLength(1); // tasks, roles and audit share it
    expect(requests.filter((r) => r.path.includes('User%20Information%20List'))).toHaveLength(1);
    expect(requests.length).toBeLessThanOrEqual(18);
  } finally {
    await chat.close();
  }
});
