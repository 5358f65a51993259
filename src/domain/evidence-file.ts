import type { Say } from './say.js';

/** What a list accepts as an evidence file sent in the chat (plan config `input.evidenceFiles`). */
export interface EvidenceFileRules {
  /** Largest file accepted, in bytes. */
  maxBytes: number;
  /** File extensions accepted, lower case without the dot. */
  types: string[];
  /** The folder of the site's document library that holds one folder per task reference. */
  folder: string;
}

export const DEFAULT_EVIDENCE_TYPES = ['pdf', 'docx', 'doc', 'xlsx', 'xls', 'pptx', 'ppt', 'odt', 'ods', 'odp', 'csv', 'txt', 'rtf', 'msg', 'eml', 'png', 'jpg', 'jpeg', 'gif', 'heic'];

/**
 * Files that run code when opened. Refused even when an administrator lists them, because an evidence library is
 * opened by reviewers and committee members who trust what is in it.
 */
const RUNNABLE = new Set([
  'exe', 'com', 'bat', 'cmd', 'msi', 'msix', 'msp', 'scr', 'pif', 'cpl', 'dll', 'sys', 'ps1', 'psm1', 'vbs', 'vbe', 'js', 'jse', 'wsf', 'wsh',
  'hta', 'jar', 'lnk', 'reg', 'inf', 'sh', 'app', 'dmg', 'pkg', 'iso', 'img', 'vhd', 'vhdx', 'appx', 'application', 'gadget', 'msc', 'url', 'scf',
  'docm', 'xlsm', 'pptm', 'dotm', 'xltm', 'xlam', 'ppam', 'xlsb', 'xla', 'xll', 'potm', 'ppsm', 'sldm',
  // Web pages and help files run script in a browser or viewer; packages carry programs.
  'htm', 'html', 'xhtml', 'shtml', 'svg', 'mht', 'mhtml', 'chm', 'one', 'wsc', 'sct', 'cab', 'xbap', 'settingcontent-ms',
]);

/** SharePoint refuses these in names; the rest are ours (path separators, control and direction characters). */
const FORBIDDEN_CHARACTERS = /["*:<>?/\\|#%]/;
const INVISIBLE = /[\u0000-\u001f\u007f\u200b-\u200f\u202a-\u202e\u2066-\u2069\ufeff]/;
const DEVICE_NAMES = /^(con|prn|aux|nul|com[0-9]|lpt[0-9])(\..*)?$/i;

export type NameCheck = { ok: true; name: string; extension: string } | { ok: false; problem: string };

const quoted = (name: string) => JSON.stringify(name.length > 60 ? `${name.slice(0, 59)}…` : name).replace(new RegExp(INVISIBLE.source, 'g'), '?');

/** Whether a file's name can be stored as evidence as it is: a plain file name of an accepted type, nothing more. */
export function checkFileName(raw: string, rules: EvidenceFileRules, say: Say): NameCheck {
  const name = raw.normalize('NFC');
  const shown = quoted(name);
  if (!name.trim()) return { ok: false, problem: say('file.noName') };
  if (INVISIBLE.test(name))
    return { ok: false, problem: say('file.hidden', { name: shown }) };
  if (/[/\\]/.test(name) || name.split(/[/\\]/).includes('..'))
    return { ok: false, problem: say('file.path', { name: shown }) };
  if (FORBIDDEN_CHARACTERS.test(name))
    return { ok: false, problem: say('file.character', { name: shown }) };
  if (name !== name.trim() || name.endsWith('.') || name.startsWith('.') || name.startsWith('~$') || /_vti_/i.test(name) || DEVICE_NAMES.test(name))
    return { ok: false, problem: say('file.reserved', { name: shown }) };
  if (name.length > 200) return { ok: false, problem: say('file.long', { length: name.length }) };
  const parts = name.toLowerCase().split('.');
  const extension = parts.length > 1 ? parts.at(-1)! : '';
  const inner = parts.slice(1, -1).find((p) => RUNNABLE.has(p));
  if (RUNNABLE.has(extension) || inner)
    return { ok: false, problem: say('file.runnable', { name: shown, type: RUNNABLE.has(extension) ? extension : inner! }) };
  if (!rules.types.includes(extension))
    return { ok: false, problem: say(extension ? 'file.type' : 'file.noType', { name: shown, type: extension, types: rules.types.map((t) => `.${t}`).join(', ') }) };
  return { ok: true, name, extension };
}

const megabytes = (bytes: number) => `${(bytes / 1024 / 1024).toFixed(bytes < 10 * 1024 * 1024 ? 1 : 0)} MB`;

export function tooLargeProblem(name: string, rules: EvidenceFileRules, say: Say, size?: number): string {
  return say(size ? 'file.tooLarge' : 'file.overLimit', { name: quoted(name), size: size ? megabytes(size) : '', limit: megabytes(rules.maxBytes) });
}

const starts = (bytes: Uint8Array, ...signature: number[]) => signature.every((b, i) => bytes[i] === b);

/** What the first bytes say a file is, where they say it plainly. */
function sniff(bytes: Uint8Array): 'pdf' | 'zip' | 'ole' | 'png' | 'jpeg' | 'gif' | 'runnable' | 'binary' | 'text' | 'unknown' {
  if (starts(bytes, 0x4d, 0x5a) || starts(bytes, 0x7f, 0x45, 0x4c, 0x46) || starts(bytes, 0xcf, 0xfa, 0xed, 0xfe) || starts(bytes, 0xfe, 0xed, 0xfa, 0xce) || starts(bytes, 0xca, 0xfe, 0xba, 0xbe) || starts(bytes, 0x23, 0x21))
    return 'runnable';
  if (starts(bytes, 0x25, 0x50, 0x44, 0x46, 0x2d)) return 'pdf';
  if (starts(bytes, 0x50, 0x4b, 0x03, 0x04) || starts(bytes, 0x50, 0x4b, 0x05, 0x06)) return 'zip';
  if (starts(bytes, 0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1)) return 'ole';
  if (starts(bytes, 0x89, 0x50, 0x4e, 0x47)) return 'png';
  if (starts(bytes, 0xff, 0xd8, 0xff)) return 'jpeg';
  if (starts(bytes, 0x47, 0x49, 0x46, 0x38)) return 'gif';
  const head = bytes.subarray(0, 4096);
  if (head.includes(0)) return 'binary';
  return head.length ? 'text' : 'unknown';
}

/** The content each extension must have, where its first bytes are fixed; types not listed are not checked. */
const EXPECTED: Record<string, ReturnType<typeof sniff>[]> = {
  pdf: ['pdf'],
  docx: ['zip'], xlsx: ['zip'], pptx: ['zip'], odt: ['zip'], ods: ['zip'], odp: ['zip'], zip: ['zip'],
  doc: ['ole'], xls: ['ole'], ppt: ['ole'], msg: ['ole'],
  png: ['png'], jpg: ['jpeg'], jpeg: ['jpeg'], gif: ['gif'],
  csv: ['text'], txt: ['text'], eml: ['text'], rtf: ['text'],
};

/**
 * Whether the bytes are what the name says. A program renamed to ".pdf" is refused; so is a file whose content is
 * not its type (a reviewer's viewer would fail on it, or worse, open it as something else).
 */
export function checkContent(name: string, extension: string, bytes: Uint8Array, say: Say): string | undefined {
  const kind = sniff(bytes);
  if (kind === 'runnable') return say('file.program', { name: quoted(name), type: extension });
  if (bytes.length === 0) return say('file.empty', { name: quoted(name) });
  const expected = EXPECTED[extension];
  if (expected && !expected.includes(kind)) return say('file.notReally', { name: quoted(name), type: extension });
  return undefined;
}

/** A task reference as a folder name: SharePoint's forbidden characters and folder tricks replaced. */
export function folderForRef(ref: string): string {
  const folder = ref.normalize('NFC').replace(new RegExp(INVISIBLE.source, 'g'), '').replace(/["*:<>?/\\|#%]/g, '-').replace(/\s+/g, ' ').trim().replace(/^[.~\s]+|[.\s]+$/g, '');
  return folder.slice(0, 60) || 'No reference';
}

/**
 * The names to try for a file in its task's folder: the name as sent, then "name (2).pdf", "name (3).pdf"…, so a
 * second file of the same name never replaces evidence a reviewer may already have seen. The name is shortened so
 * the stored link fits SharePoint's 255-character link column.
 */
export function candidateNames(name: string, extension: string, count = 20): string[] {
  const dot = extension ? name.slice(name.length - extension.length - 1) : '';
  const stem = name.slice(0, name.length - dot.length);
  const short = stem.length > 80 ? `${stem.slice(0, 79).trimEnd()}…` : stem;
  return Array.from({ length: count }, (_, i) => (i === 0 ? `${short}${dot}` : `${short} (${i + 1})${dot}`));
}
