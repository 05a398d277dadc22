/**
 * Strict ISO-8601 instants for `DateTime` inputs (docs/design.md#connections-over-freshchat-pages). `Date.parse` rolls impossible dates
 * over (`2024-02-30` becomes 1 March), so a filter would silently ask Freshchat for another day;
 * every field is range-checked here instead, and the instant computed from the checked parts.
 */
const ISO_8601 =
  /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2})(?::(\d{2})(?:\.(\d{1,9}))?)?(?:Z|([+-])(\d{2}):?(\d{2}))$/;

interface Parts {
  year: number;
  month: number;
  day: number;
  hour: number;
  minute: number;
  second: number;
  millisecond: number;
  /** Of the zone offset; `sign` is -1 west of UTC. */
  offsetHour: number;
  offsetMinute: number;
  sign: 1 | -1;
}

/** Epoch milliseconds of a strict ISO-8601 date-time with a zone; `null` for anything else. */
export function parseInstant(text: string): number | null {
  const parts = toParts(text);
  if (parts === null || !isValid(parts)) return null;
  const utc = new Date(0);
  // setUTCFullYear, not Date.UTC, which reads years 0–99 as 1900–1999.
  utc.setUTCFullYear(parts.year, parts.month - 1, parts.day);
  utc.setUTCHours(parts.hour, parts.minute, parts.second, parts.millisecond);
  return utc.getTime() - parts.sign * (parts.offsetHour * 60 + parts.offsetMinute) * 60_000;
}

function toParts(text: string): Parts | null {
  const match = ISO_8601.exec(text);
  if (!match) return null;
  const n = (index: number): number => Number(match[index] ?? 0);
  const millisecond = Number((match[7] ?? '').padEnd(3, '0').slice(0, 3)); // finer digits are cut, not rounded
  const sign = match[8] === '-' ? -1 : 1;
  return { year: n(1), month: n(2), day: n(3), hour: n(4), minute: n(5), second: n(6), millisecond, offsetHour: n(9), offsetMinute: n(10), sign };
}

// No leap second (:60): a JavaScript instant cannot hold one. Offsets are ISO's ±hh:mm, hh ≤ 23.
function isValid(p: Parts): boolean {
  const clock = p.hour <= 23 && p.minute <= 59 && p.second <= 59;
  const zone = p.offsetHour <= 23 && p.offsetMinute <= 59;
  return isCalendarDate(p.year, p.month, p.day) && clock && zone;
}

/** Whether `day` exists in `month` (1–12) of `year` in the proleptic Gregorian calendar. */
export function isCalendarDate(year: number, month: number, day: number): boolean {
  return month >= 1 && month <= 12 && day >= 1 && day <= daysInMonth(year, month);
}

function daysInMonth(year: number, month: number): number {
  if (month === 2) return isLeapYear(year) ? 29 : 28;
  return [4, 6, 9, 11].includes(month) ? 30 : 31;
}

const isLeapYear = (year: number): boolean => (year % 4 === 0 && year % 100 !== 0) || year % 400 === 0;
