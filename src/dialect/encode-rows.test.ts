/** encodeCsvBytes writes the CSV straight into one buffer: the same bytes as the text, UTF-8 encoded. */
import { encodeCsv, encodeCsvBytes, type Row } from './encode-rows';

/** The conventions spelled out the slow way: every non-null field quoted, quotes doubled, NULL as \N. */
function reference(rows: readonly Row[]): string {
  return rows.map((row) => `${row.map((f) => (f === null ? '\\N' : `"${f.replace(/"/g, '""')}"`)).join(',')}\n`).join('');
}

describe('encodeCsvBytes', () => {
  it('writes quotes, nulls, the text \\N, newlines and non-ASCII text exactly', () => {
    const rows: Row[] = [
      ['1', '', null, '\\N', 'a"b,c', 'line\nbreak'],
      ['Zoë', '李雷', '𝄞 clef', '"""', 'tab\there', null],
      [null],
      ['x'],
    ];
    const bytes = encodeCsvBytes(rows);
    expect(bytes.toString('utf8')).toBe(reference(rows));
    expect(bytes.equals(Buffer.from(reference(rows), 'utf8'))).toBe(true);
    expect(encodeCsv(rows)).toBe(reference(rows));
  });

  it('writes nothing for no rows, and a bare newline for an empty row', () => {
    expect(encodeCsvBytes([]).length).toBe(0);
    expect(encodeCsvBytes([[]]).toString()).toBe('\n');
    expect(encodeCsv([])).toBe('');
    expect(encodeCsv([[], ['']])).toBe('\n""\n');
  });

  it('encodeCsv: rows written by whole-row joins equal the field-by-field form', () => {
    const rows: Row[] = [
      ['1', 'plain', ''],
      ['say "hi"', '"', '""', 'a","b'],
      ['has \u001f inside', 'x"y'],
      ['\u001f', null, '"'],
      ['\\N', '', 'end'],
      [''],
    ];
    expect(encodeCsv(rows)).toBe(reference(rows));
  });

  it('stays within its size estimate for the worst case: multi-byte text full of quotes', () => {
    const rows: Row[] = Array.from({ length: 200 }, (_, i) => ['"'.repeat(i), '✓"'.repeat(i), '😀'.repeat(i)]);
    expect(encodeCsvBytes(rows).toString()).toBe(reference(rows));
  });
});
