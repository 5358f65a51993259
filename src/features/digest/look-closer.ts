import { z } from 'zod';
import { messageCard } from '../../app/cards/views.js';
import type { Actor, AppDeps } from '../../app/context.js';
import type { ActionOutcome } from '../../app/outcomes.js';
import { formatDate } from '../../domain/dates.js';
import { digestLeaders } from './digest.js';
import { overdueLists } from './state.js';

const choice = z.string().max(300).optional();

export const lookCloserSchema = z.object({
  by: z.enum(['pillar', 'role']),
  date: z.string().regex(/^\d{4}-\d{2}-\d{2}$/),
  pillar: choice,
  role: choice,
});

/**
 * "Look closer" on the digest: the overdue tasks of one pillar or one owner role, as that digest listed them (kept
 * with it), so a leader's click never reads the plan. For the digest's leaders and administrators only.
 */
export async function lookCloser(deps: AppDeps, data: z.infer<typeof lookCloserSchema>, actor: Actor): Promise<ActionOutcome> {
  const roles = await deps.roles.load();
  if (!digestLeaders(deps, roles).includes(actor.aadObjectId) && !deps.isAdmin(actor.aadObjectId))
    return { kind: 'error', status: 403, message: 'The digest\'s lists are for plan leads and the leaders who receive it each week. Ask your plan administrator to add you.' };
  const picked = data.by === 'pillar' ? data.pillar : data.role;
  if (!picked) return { kind: 'card', card: messageCard('Choose one first', `Choose ${data.by === 'pillar' ? 'a pillar' : 'an owner role'} in the list above the button, then press it again.`, 'warning') };
  const lists = await overdueLists.get(deps.store);
  if (!lists || lists.date !== data.date)
    return { kind: 'card', card: messageCard('This digest has been replaced', `These lists belong to the digest of ${formatDate(data.date)}; a newer digest has been sent since. Type "digest" for this week's.`, 'warning') };
  const lines = (data.by === 'pillar' ? lists.byPillar : lists.byRole)[picked] ?? [];
  const what = data.by === 'pillar' ? `in ${picked}` : `owned by ${picked}`;
  return {
    kind: 'card',
    card: messageCard(
      `Overdue ${what} · digest of ${formatDate(lists.date)}`,
      lines.length ? `${lines.length} overdue, oldest first:\n\n${lines.map((l) => `- ${l}`).join('\n')}` : `Nothing ${what} was overdue at that digest.`,
    ),
  };
}
