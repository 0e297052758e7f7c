/**
 * CSV for spreadsheets (RFC 4180 quoting), safe to open: a cell that begins with `=`, `+`, `-` or
 * `@` (also after leading spaces or a tab/CR, which spreadsheets skip) is read as a formula by
 * Excel, LibreOffice and Google Sheets, so a name like `=HYPERLINK(...)` could run on the
 * manager's machine. Such a cell is prefixed with `'`, the OWASP advice for CSV injection.
 */
const FORMULA_START = /^[\s]*[=+\-@]/;
const NEEDS_QUOTES = /[",\r\n]/;

export function csvCell(value: string | number | null | undefined): string {
  if (value === null || value === undefined) return '';
  // Numbers are written as numbers: a negative count would otherwise be "escaped" into text.
  if (typeof value === 'number') return String(value);
  const safe = FORMULA_START.test(value) || /^[\t\r]/.test(value) ? `'${value}` : value;
  return NEEDS_QUOTES.test(safe) ? `"${safe.replace(/"/g, '""')}"` : safe;
}

export function csvLine(cells: ReadonlyArray<string | number | null | undefined>): string {
  return cells.map(csvCell).join(',');
}

/** Header and rows, CRLF line ends as RFC 4180 has them, ending with one. */
export function toCsv(header: readonly string[], rows: ReadonlyArray<ReadonlyArray<string | number | null | undefined>>): string {
  return [csvLine(header), ...rows.map(csvLine)].map((line) => `${line}\r\n`).join('');
}
