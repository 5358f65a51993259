import { z } from 'zod';
import { inert, messageCard } from '../../app/cards/views.js';
import type { Actor, AppDeps } from '../../app/context.js';
import type { ActionOutcome } from '../../app/outcomes.js';
import { digestLeaders } from './digest.js';
import { overdueLists } from './state.js';
import { dateIn, t } from '../../app/i18n.js';

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
  const lang = actor.lang ?? 'en';
  const roles = await deps.roles.load();
  if (!digestLeaders(deps, roles).includes(actor.aadObjectId) && !deps.isAdmin(actor.aadObjectId))
    return { kind: 'error', status: 403, message: t(lang, 'look.forLeaders') };
  const picked = data.by === 'pillar' ? data.pillar : data.role;
  if (!picked) return { kind: 'card', card: messageCard(t(lang, 'look.chooseFirst'), t(lang, data.by === 'pillar' ? 'look.choosePillar' : 'look.chooseRole'), 'warning', { lang }) };
  const lists = await overdueLists.get(deps.store, data.date);
  if (!lists)
    return { kind: 'card', card: messageCard(t(lang, 'look.replaced'), t(lang, 'look.replacedText', { date: dateIn(lang, data.date) }), 'warning', { lang }) };
  const group = data.by === 'pillar' ? lists.byPillar : lists.byRole;
  const lines = Object.hasOwn(group, picked) ? group[picked]! : [];
  const values = { pillar: picked, role: picked, date: dateIn(lang, lists.date) };
  return {
    kind: 'card',
    card: messageCard(
      t(lang, data.by === 'pillar' ? 'look.headingPillar' : 'look.headingRole', values),
      lines.length
        ? `${t(lang, 'look.lines', { n: lines.length })}\n\n${lines.map((l) => `- **${l.ref}** ${inert(l.title)} — ${l.owner === 'no owner' ? t(lang, 'digest.noOwner') : inert(l.owner)} · ${t(lang, 'digest.line.overdue', { days: l.days })}`).join('\n')}`
        : t(lang, data.by === 'pillar' ? 'look.nonePillar' : 'look.noneRole', values),
      'emphasis',
      { lang },
    ),
  };
}
