import type { Wording } from './say.js';
import { addDays, type IsoDate } from './dates.js';
import { parseRegisterDate } from './register-dates.js';
import { distance } from './similar.js';

/** An update typed in plain words in the personal chat, before it is matched to a task. */
export type ChatIntent =
  | { kind: 'done'; ref: string; evidenceLink?: string; note?: string }
  | { kind: 'status'; ref: string; status: string; note?: string }
  | { kind: 'move'; ref: string; date: IsoDate; reason?: string }
  | { kind: 'note'; ref: string; note: string }
  | { kind: 'approve' | 'return'; ref: string; comment?: string };

export type ChatReading = ChatIntent | { kind: 'unreadable'; why: Wording };

/**
 * A task reference as people type it: any joined token with a digit ("AFI3-T2", "L0-R5", "K-3F9A1C", "1.10"), or
 * the loose forms "afi3 t2", "AFI3T2", "WM 14a".
 */
const REF = String.raw`((?=[A-Za-z0-9./-]*\d)[A-Za-z0-9]+(?:[-./][A-Za-z0-9]+)+|[A-Za-z]{1,6}[\s-]?\d+[a-z]?(?:[\s-]?T\s?\d+(?:\.\d+)?)?)(?![A-Za-z0-9])`;
const STATUS_WORDS = ['complete', 'completed', 'done', 'on target', 'on track', 'behind', 'behind target', 'delayed', 'blocked', 'on hold', 'not started', 'yet to start', 'started', 'in progress'];
const MONTHS = ['january', 'february', 'march', 'april', 'may', 'june', 'july', 'august', 'september', 'october', 'november', 'december'];

/** The same reference however it was typed: upper case, no spaces, "T" parts joined with a dash. */
export function normaliseRef(typed: string): string {
  return typed.toUpperCase().replace(/\s+/g, '').replace(/(\d[A-Z]?)-?T(\d)/, '$1-T$2');
}

/** A date as people write it in a UK chat: 31/03/2027, 31 March 2027, March 2027, "end of March", Q4 2026/27. */
export function chatDate(text: string, today: IsoDate): IsoDate | undefined {
  const t = text.trim().replace(/[.,]$/, '');
  const end = /^(?:the\s+)?end\s+of\s+([A-Za-z]+)(?:\s+(\d{4}))?$/i.exec(t);
  if (end) {
    const month = MONTHS.findIndex((m) => m.startsWith(end[1]!.toLowerCase().slice(0, 3)));
    if (month < 0) return undefined;
    let year = end[2] ? Number(end[2]) : Number(today.slice(0, 4));
    const last = (y: number) => addDays(`${month === 11 ? y + 1 : y}-${String(month === 11 ? 1 : month + 2).padStart(2, '0')}-01` as IsoDate, -1);
    if (!end[2] && last(year) < today) year += 1;
    return last(year);
  }
  const parsed = parseRegisterDate(t);
  return parsed.kind === 'date' ? parsed.date : undefined;
}

const rest = (s: string | undefined) => s?.replace(/^\s*[-–—:,]\s*/, '').trim() || undefined;

/**
 * Reads a plain-words update (a small grammar, no language model), or undefined when the text is not one:
 *   done REF [link] [note] · REF <status> [- note] · move REF to <date> [because <reason>] · note REF <text> ·
 *   approve REF [comment] · return REF <reason>
 */
export function readChatUpdate(text: string, today: IsoDate): ChatReading | undefined {
  const t = text.trim().replace(/\s+/g, ' ');
  let m: RegExpExecArray | null;
  if ((m = new RegExp(`^(?:done|complete|completed|finished|wedi gorffen|wedi cwblhau|cwblhau|cwblhawyd)\\s+${REF}(?:\\s+(https?:\\/\\/\\S+))?(.*)$`, 'i').exec(t)))
    return { kind: 'done', ref: normaliseRef(m[1]!), evidenceLink: m[2], note: rest(m[3]) };
  if ((m = new RegExp(`^(?:move|moved|revise|push|symud)\\s+${REF}\\s+(?:to\\s+|i\\s+)?(.+?)(?:\\s+(?:because|as|since|reason:?|oherwydd|achos|gan fod|rheswm:?)\\s+(.+))?$`, 'i').exec(t))) {
    const date = chatDate(m[2]!, today);
    if (!date) return { kind: 'unreadable', why: { key: 'chat.badDate', values: { text: m[2]! } } };
    if (!m[3]) return { kind: 'unreadable', why: { key: 'chat.dateNeedsReason' } };
    return { kind: 'move', ref: normaliseRef(m[1]!), date, reason: m[3].trim() };
  }
  if ((m = new RegExp(`^(?:note|update|progress|nodyn|diweddariad)\\s+${REF}\\s*[-–—:,]?\\s*(.+)$`, 'i').exec(t))) return { kind: 'note', ref: normaliseRef(m[1]!), note: m[2]!.trim() };
  if ((m = new RegExp(`^(approve|approved|return|reject|cymeradwyo|dychwelyd)\\s+${REF}(.*)$`, 'i').exec(t))) {
    const kind = /^(approve|cymeradwyo)/i.test(m[1]!) ? 'approve' : 'return';
    const comment = rest(m[3]);
    if (kind === 'return' && !comment) return { kind: 'unreadable', why: { key: 'chat.returnNeedsReason', values: { ref: normaliseRef(m[2]!) } } };
    return { kind, ref: normaliseRef(m[2]!), comment };
  }
  if ((m = new RegExp(`^${REF}\\s+(.+)$`, 'i').exec(t)) && /\d/.test(m[1]!)) {
    const words = m[2]!;
    // The status is the first word or two, possibly misspelt ("behnd"); what follows a dash or the words is a note.
    for (const length of [3, 2, 1]) {
      const head = words.split(/\s+/).slice(0, length).join(' ').replace(/[-–—:,.]$/, '').trim();
      const near = nearestStatus(head);
      if (near) return { kind: 'status', ref: normaliseRef(m[1]!), status: head, note: rest(words.split(/\s+/).slice(length).join(' ')) };
    }
    return { kind: 'unreadable', why: { key: 'chat.whatToChange', values: { ref: normaliseRef(m[1]!) } } };
  }
  // An update word without a task reference: ask which task.
  if ((m = /^(done|complete|completed|finished|move|revise|note|approve|return|cwblhau|symud|nodyn|cymeradwyo|dychwelyd)\b/i.exec(t)))
    return { kind: 'unreadable', why: { key: 'chat.whichTask', values: { word: m[1]!.toLowerCase() } } };
  return undefined;
}

/** A status word as typed, allowing a slip of a letter or two ("behnd"); undefined when it is none. */
export function nearestStatus(typed: string): string | undefined {
  const word = typed.toLowerCase().trim();
  if (!word) return undefined;
  const best = STATUS_WORDS.map((s) => ({ s, d: distance(word, s) })).sort((x, y) => x.d - y.d)[0]!;
  return best.d === 0 || (best.s.length >= 5 && best.d <= 2) ? best.s : undefined;
}

/**
 * The words sent with a file: "evidence AFI3-T2", "AFI3-T2", "evidence for AFI3-T2 - minutes of the board", or
 * "done AFI3-T2" (complete, with the file as its evidence). Words after the reference describe what the evidence
 * shows; without a reference the person is asked which task.
 */
export function readEvidenceMessage(text: string): { ref?: string; description?: string; complete?: true } {
  const t = text.trim().replace(/\s+/g, ' ');
  const m = new RegExp(`^(?:(evidence|file|upload|attach|done|complete|completed|finished|tystiolaeth|ffeil|cwblhau)(?:\\s+(?:for|to|ar gyfer|i))?\\s+)?${REF}\\s*[-–—:,]?\\s*(.*)$`, 'i').exec(t);
  if (!m) return {};
  return { ref: normaliseRef(m[2]!), description: m[3]!.trim() || undefined, ...(/^(done|complete|completed|finished|cwblhau)$/i.test(m[1] ?? '') && { complete: true as const }) };
}
