import { describe, expect, it } from 'vitest';
import { cliLang, usage } from '../../src/cli/commands.js';
import { formatRemindReport, summariseRemindReport, type RemindReport } from '../../src/features/reminders/remind.js';
import { formatQaNudgeReport } from '../../src/features/assurance/qa-nudge.js';
import { formatSampleRuns } from '../../src/features/assurance/sample.js';

const report: RemindReport = {
  date: '2026-11-23', dryRun: true, unassigned: [], escalations: [],
  reminders: [
    { person: { aadObjectId: 'a', displayName: 'Alex Wilber', email: 'alex@example.org' }, tasks: [], outcome: 'would send' },
    { person: { aadObjectId: 'b', displayName: 'Isaiah Langer' }, tasks: [], outcome: 'not reachable: ConversationBlockedByUser' },
  ],
};

describe('the command line in Welsh', () => {
  it('speaks Welsh when PLANPULSE_LANGUAGE says so or the locale is Welsh, English otherwise', () => {
    expect(cliLang({ PLANPULSE_LANGUAGE: 'cy' })).toBe('cy');
    expect(cliLang({ LANG: 'cy_GB.UTF-8' })).toBe('cy');
    expect(cliLang({ LANG: 'cy_GB.UTF-8', PLANPULSE_LANGUAGE: 'en' })).toBe('en');
    expect(cliLang({ LANG: 'en_GB.UTF-8' })).toBe('en');
    expect(cliLang({})).toBe('en');
  });

  it('help and the reminder report in Welsh; the English unchanged', () => {
    expect(usage(undefined, 'cy')).toContain('Defnydd: planpulse <command> [options]');
    expect(usage(undefined, 'cy')).toContain('Anfon un cerdyn at bob perchennog');
    expect(usage(undefined, 'en')).toContain('Usage: planpulse <command> [options]');
    const welsh = formatRemindReport(report, 'cy');
    expect(welsh).toContain('RHEDIAD PRAWF — ni anfonwyd dim. Nodiadau atgoffa ar gyfer 23 Tach 2026: 2 o bobl');
    expect(welsh).toContain('Isaiah Langer <b> — 0 tasg — heb fodd eu cyrraedd: maen nhw wedi rhwystro PlanPulse yn Teams');
    expect(formatRemindReport(report, 'en')).toContain('Isaiah Langer <b> — 0 tasks — not reachable: ConversationBlockedByUser');
    expect(summariseRemindReport(report, 'cy')).toMatch(/^Rhediad atgoffa ar gyfer 23 Tach 2026: 0 wedi’u hanfon/);
  });

  it('the QA-nudge and sampling run reports in Welsh; the English unchanged', () => {
    const nudges = { date: '2026-11-23', dryRun: true, nudges: [{ reviewer: 'Lynne Robbins', tasks: [{ ref: 'AFI4-T1', waitingDays: 5 }], outcome: 'would send' }], unreviewable: ['AFI9-T9'] };
    expect(formatQaNudgeReport(nudges, 'cy')).toContain('Nodiadau atgoffa sicrhau ansawdd ar gyfer 23 Tach 2026: 1 adolygydd.');
    expect(formatQaNudgeReport(nudges, 'cy')).toContain('AFI4-T1 (5 diwrnod gwaith)');
    expect(formatQaNudgeReport(nudges, 'en')).toContain('DRY RUN — nothing sent. QA nudges for 23 Nov 2026: 1 reviewer(s).');
    expect(formatSampleRuns([], false, 'cy')).toBe('Nid oes samplu wedi’i sefydlu ar unrhyw restr.');
  });
});
