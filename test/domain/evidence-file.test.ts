import { sayIn } from '../../src/app/i18n.js';
import { describe, expect, it } from 'vitest';
import { readEvidenceMessage } from '../../src/domain/chat-update.js';
import { candidateNames, checkContent, checkFileName, DEFAULT_EVIDENCE_TYPES, folderForRef } from '../../src/domain/evidence-file.js';

const rules = { maxBytes: 25 * 1024 * 1024, types: DEFAULT_EVIDENCE_TYPES, folder: 'Evidence' };
const problem = (name: string) => {
  const checked = checkFileName(name, rules, sayIn('en'));
  return checked.ok ? undefined : checked.problem;
};

describe('evidence file names', () => {
  it.each(['Board minutes 12.03.2026.pdf', 'Station audit (final).docx', 'Photo of the new signage.JPG', 'Risk register – Q3.xlsx', 'Café rota.csv'])('%s is a plain name of an accepted type', (name) => {
    expect(problem(name)).toBeUndefined();
  });

  it.each([
    ['setup.exe', /runs code when opened \(\.exe\)/],
    ['minutes.pdf.exe', /runs code when opened \(\.exe\)/],
    ['minutes.exe.pdf', /runs code when opened \(\.exe\)/],
    ['macro.xlsm', /runs code when opened \(\.xlsm\)/],
    ['run.ps1', /runs code/],
    ['shortcut.lnk', /runs code/],
    ['../evidence.pdf', /folder path/],
    ['sub/evidence.pdf', /folder path/],
    ['..\\..\\evidence.pdf', /folder path/],
    ['report\u202Efdp.exe', /hidden characters/],
    ['zero\u200Bwidth.pdf', /hidden characters/],
    ['tab\there.pdf', /hidden characters/],
    ['what?.pdf', /character SharePoint does not allow/],
    ['50%.pdf', /character SharePoint does not allow/],
    ['#1.pdf', /character SharePoint does not allow/],
    ['.hidden.pdf', /not one SharePoint can store/],
    ['trailing.pdf.', /not one SharePoint can store/],
    ['~$lock.docx', /not one SharePoint can store/],
    ['_vti_bin.pdf', /not one SharePoint can store/],
    ['NUL.pdf', /device name/],
    ['drawing.dwg', /a \.dwg file; this plan accepts/],
    ['README', /a file with no type/],
    [`${'x'.repeat(201)}.pdf`, /limit is 200/],
    ['', /has no name/],
  ])('%j is refused: %s', (name, expected) => {
    expect(problem(name)).toMatch(expected);
  });

  it('an administrator cannot allow a file that runs code', () => {
    const checked = checkFileName('tool.exe', { ...rules, types: [...rules.types, 'exe'] }, sayIn('en'));
    expect(checked.ok).toBe(false);
  });
});

describe('evidence file content', () => {
  const pdf = Buffer.from('%PDF-1.7\n...');
  it.each([
    ['a PDF', 'a.pdf', 'pdf', pdf, undefined],
    ['an Office document (a zip)', 'a.docx', 'docx', Buffer.from('PK\x03\x04rest', 'latin1'), undefined],
    ['an old Office document', 'a.xls', 'xls', Buffer.from([0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1, 0]), undefined],
    ['a JPEG', 'a.jpg', 'jpg', Buffer.from([0xff, 0xd8, 0xff, 0xe0]), undefined],
    ['a CSV', 'a.csv', 'csv', Buffer.from('Ref,Title\nA1,x\n'), undefined],
    ['a Windows program called .pdf', 'a.pdf', 'pdf', Buffer.from('MZ\x90\x00', 'latin1'), /is a program/],
    ['a Linux program called .docx', 'a.docx', 'docx', Buffer.from('\x7fELF', 'latin1'), /is a program/],
    ['a script called .txt', 'a.txt', 'txt', Buffer.from('#!/bin/sh\nrm -rf /'), /is a program/],
    ['text called .pdf', 'a.pdf', 'pdf', Buffer.from('hello'), /not really a \.pdf/],
    ['a PDF called .docx', 'a.docx', 'docx', pdf, /not really a \.docx/],
    ['binary called .csv', 'a.csv', 'csv', Buffer.from([1, 0, 2, 0]), /not really a \.csv/],
    ['an empty file', 'a.pdf', 'pdf', Buffer.alloc(0), /is empty/],
  ])('%s', (_what, name, extension, bytes, expected) => {
    const found = checkContent(name, extension, bytes, sayIn('en'));
    if (expected) expect(found).toMatch(expected);
    else expect(found).toBeUndefined();
  });
});

describe('where evidence is kept', () => {
  it('one folder per reference, with SharePoint\'s forbidden characters replaced', () => {
    expect(folderForRef('AFI3-T2')).toBe('AFI3-T2');
    expect(folderForRef('WM 14a')).toBe('WM 14a');
    expect(folderForRef('1/2: "phase" #3')).toBe('1-2- -phase- -3');
    expect(folderForRef('..')).toBe('No reference');
    expect(folderForRef('.hidden.')).toBe('hidden');
  });

  it('a second file of the same name is kept beside the first, its type unchanged', () => {
    expect(candidateNames('Minutes.PDF', 'pdf').slice(0, 3)).toEqual(['Minutes.PDF', 'Minutes (2).PDF', 'Minutes (3).PDF']);
    const long = candidateNames(`${'a'.repeat(150)}.pdf`, 'pdf')[1]!;
    expect(long.length).toBeLessThan(95);
    expect(long).toMatch(/…? \(2\)\.pdf$/);
  });
});

describe('the words sent with a file', () => {
  it.each([
    ['evidence AFI3-T2', { ref: 'AFI3-T2' }],
    ['AFI3-T2', { ref: 'AFI3-T2' }],
    ['evidence for afi3 t2 - minutes of the board', { ref: 'AFI3-T2', description: 'minutes of the board' }],
    ['upload WM-14a: signed lease', { ref: 'WM-14A', description: 'signed lease' }],
    ['done AFI3-T2 signed off', { ref: 'AFI3-T2', description: 'signed off', complete: true }],
    ['tystiolaeth ar gyfer AFI3-T2 - cofnodion y bwrdd', { ref: 'AFI3-T2', description: 'cofnodion y bwrdd' }],
    ['cwblhau AFI3-T2', { ref: 'AFI3-T2', complete: true }],
    ['', {}],
    ['evidence', {}],
    ['here is the file', {}],
  ])('%j', (text, expected) => {
    expect(readEvidenceMessage(text)).toEqual(expected);
  });
});
