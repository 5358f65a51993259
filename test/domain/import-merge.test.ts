import { describe, expect, it } from 'vitest';
import { mergeFields } from '../../src/domain/import-merge.js';

describe('three-way merge of an import', () => {
  it('applies what only the file changed, keeps what the list changed and reports it, and does nothing where they agree', () => {
    const base = { status: 'On Target', title: 'Old title', note: 'n' };
    const list = { status: 'Behind Target', title: 'Old title', note: 'n2' };
    const file = { status: 'On Target', title: 'New title', note: 'n2' };
    expect(mergeFields(base, list, file)).toEqual({
      apply: { title: 'New title' },
      conflicts: [{ field: 'status', imported: 'On Target', list: 'Behind Target', file: 'On Target' }],
      baseline: { status: 'On Target', title: 'New title', note: 'n2' },
    });
  });

  it('without a record of the last import fills only empty values; anything already there is a conflict', () => {
    expect(mergeFields(undefined, { status: null, title: 'Kept' }, { status: 'On Target', title: 'From file' })).toEqual({
      apply: { status: 'On Target' },
      conflicts: [{ field: 'title', imported: null, list: 'Kept', file: 'From file' }],
      baseline: { status: 'On Target', title: null },
    });
  });

  it('treats empty text and absent values alike', () => {
    expect(mergeFields({ area: '' }, { area: undefined }, { area: null })).toEqual({ apply: {}, conflicts: [], baseline: { area: null } });
  });
});
