import { messageCard, taskListCard } from '../../src/app/cards/views.js';
import { qaReviewCard, sampleReviewCard, taskQueueCard } from '../../src/features/assurance/cards.js';
import { historyCard } from '../../src/features/history/history-card.js';
import { updateFormCard } from '../../src/features/updates/update-form.js';
import { evidenceChoiceCard, evidenceStoredCard } from '../../src/features/updates/evidence-file.js';
import { FEATURES } from '../../src/main/compose.js';
import type { AdaptiveCard } from '../../src/app/cards/templates.js';
import { t, type Lang } from '../../src/app/i18n.js';
import type { FlaggedTask } from '../../src/domain/reminders.js';
import type { Task } from '../../src/domain/task.js';
import { helpCard } from '../../src/interactions/chat-commands.js';
import { digestCard } from '../../src/features/digest/digest-card.js';
import { buildDigest } from '../../src/domain/digest.js';
import { RoleDirectory } from '../../src/domain/roles.js';

export const task = (n: number, over: Partial<Task> = {}): Task => ({
  listKey: 'actions', itemId: String(n), eTag: `"e,${n}"`, ref: `AFI${n}-T1`, title: `Task number ${n} with a realistic description of the work needed`,
  plan: 'LFRS HMICFRS Improvement Plan', ownerPeople: [], status: 'On Target', dueDate: '2026-11-01', ...over,
});
export const flagged = (n: number): FlaggedTask => ({ task: task(n), flags: [{ kind: 'overdue', days: 22 }, { kind: 'stale', days: 40 }] });


/** One card from every template, with sample data that switches on each optional part. */
export function sampleCards(lang: Lang = 'en'): AdaptiveCard[] {
  return [
    taskListCard({ heading: 'List heading', tasks: [flagged(1), { task: task(2, { status: 'Complete' }), flags: [{ kind: 'noEvidence' }] }], today: '2026-11-23', notice: { text: 'Saved', style: 'good' }, lang }),
    taskListCard({ heading: 'Nothing', tasks: [], today: '2026-11-23', lang }),
    updateFormCard({ task: task(3, { originalDueDate: '2026-10-01' }), policy: { vocabulary: { complete: ['Complete'], onTrack: ['On Target'], behind: ['Behind Target'], notStarted: ['Yet to Start'], blocked: ['Blocked'] }, input: { evidenceHosts: ['contoso.sharepoint.com'], revisedDateMaxYears: 3, evidenceFiles: { maxBytes: 25 * 1024 * 1024, types: ['pdf'], folder: 'Evidence' } } }, ownerName: 'GM (Alex)', errors: ['bad'], notice: 'conflict', lang }),
    messageCard('Heading', 'Text', 'attention', { backToTasks: true, update: task(9), lang }),
    messageCard('Heading', 'Text', 'emphasis', { lang }),
    helpCard(FEATURES, undefined, lang),
    qaReviewCard({ task: task(4, { evidenceLink: 'https://x.example/e.pdf', evidenceSummary: 'minutes', qaStatus: 'Awaiting QA' }), ownerName: 'GM (Alex)', decidable: true, comment: 'c', lang }),
    qaReviewCard({ task: task(5), ownerName: 'GM', decidable: false, notice: { text: 'Approved', style: 'good' }, lang }),
    sampleReviewCard({ task: task(6, { qaStatus: 'Approved', qaReviewer: 'Lynne', qaDate: '2026-11-20', sampleStatus: 'Selected' }), ownerName: 'GM', decidable: true, lang }),
    taskQueueCard('Waiting', 'Summary', [{ task: task(7), details: 'Waiting 4 working days' }], { title: 'Review', verb: 'qaOpen' }, lang),
    historyCard('History of X', [{ field: 'Status', change: 'a → b', who: 'Alex', when: '23 Nov 2026 09:00', channel: 'Teams card' }], lang),
    historyCard('History of Y', [], lang),
    evidenceChoiceCard('pumps [final].pdf', 'a'.repeat(32), [task(10), task(11)], 'AFI9 is not one of your open tasks.', task(11), lang),
    evidenceChoiceCard('pumps.pdf', 'b'.repeat(32), [task(10)], '', undefined, lang),
    evidenceStoredCard(task(12), { webUrl: 'https://contoso.sharepoint.com/sites/p/Shared%20Documents/Evidence/AFI12-T1/pumps%20(2).pdf', name: 'pumps (2).pdf', size: 210_000 }, 'Evidence', 'Saved AFI12-T1: evidence file pumps (2).pdf stored and linked.', 'good', lang),
    digestCard(buildDigest([task(8, { pillar: 'People' }), task(9, { status: 'Complete', statusCategory: 'complete' })], new RoleDirectory([]), '2026-11-23', { dueSoonDays: 14, staleDays: 30 }, 'Europe/London'), {
      shown: 5, reach: { title: t(lang, 'digest.reachTitle', { reached: 3, owners: 4 }), lines: ['Patti (blocked)'] },
      charts: { statusMix: [{ plan: 'P', parts: [{ legend: 'Completed', value: 1 }, { legend: 'In progress', value: 1 }] }], overdueByPillar: [{ pillar: 'People', count: 1 }], ageing: [{ label: '1–7 days', count: 1 }], trend: [{ plan: 'P', points: [{ date: '2026-11-16', pct: 40 }, { date: '2026-11-23', pct: 50 }] }] },
      lang, escalationsThisWeek: 2, drill: { date: '2026-11-23', pillars: ['People'], roles: ['GM'] },
      links: [{ title: t(lang, 'digest.openList'), url: 'https://contoso.sharepoint.com/sites/p/Lists/A' }] }),
  ];
}
