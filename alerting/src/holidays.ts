/**
 * Korean public holidays (공휴일, the days government offices close, substitute
 * holidays included) for the years the routing covers. Low alerts wait for
 * Seoul business hours; these days are not business hours either. One table,
 * rendered into alerting/alertmanager.tmpl.yml as the `kr-public-holidays` time
 * interval by `pnpm --filter @o4o/alerting run generate`; a test keeps the two
 * in step. Lunar holidays (Seollal, Buddha's Birthday, Chuseok) and election days
 * move every year: add each new year from the government's announcement.
 */
export const KR_PUBLIC_HOLIDAYS: Readonly<Record<number, readonly (readonly [monthDay: string, name: string])[]>> = Object.freeze({
  2026: [
    ['01-01', "New Year's Day"],
    ['02-16', 'Seollal'],
    ['02-17', 'Seollal'],
    ['02-18', 'Seollal'],
    ['03-01', 'Independence Movement Day'],
    ['03-02', 'Independence Movement Day (substitute for Sunday 1 March)'],
    ['05-05', "Children's Day"],
    ['05-24', "Buddha's Birthday"],
    ['05-25', "Buddha's Birthday (substitute for Sunday 24 May)"],
    ['06-03', 'Local elections'],
    ['06-06', 'Memorial Day'],
    ['08-15', 'Liberation Day'],
    ['08-17', 'Liberation Day (substitute for Saturday 15 August)'],
    ['09-24', 'Chuseok'],
    ['09-25', 'Chuseok'],
    ['09-26', 'Chuseok'],
    ['10-03', 'National Foundation Day'],
    ['10-05', 'National Foundation Day (substitute for Saturday 3 October)'],
    ['10-09', 'Hangul Day'],
    ['12-25', 'Christmas'],
  ],
  2027: [
    ['01-01', "New Year's Day"],
    ['02-05', 'Seollal'],
    ['02-06', 'Seollal'],
    ['02-07', 'Seollal'],
    ['02-08', 'Seollal (substitute for Sunday 7 February)'],
    ['03-01', 'Independence Movement Day'],
    ['05-05', "Children's Day"],
    ['05-13', "Buddha's Birthday"],
    ['06-06', 'Memorial Day'],
    ['08-15', 'Liberation Day'],
    ['08-16', 'Liberation Day (substitute for Sunday 15 August)'],
    ['09-14', 'Chuseok'],
    ['09-15', 'Chuseok'],
    ['09-16', 'Chuseok'],
    ['10-03', 'National Foundation Day'],
    ['10-04', 'National Foundation Day (substitute for Sunday 3 October)'],
    ['10-09', 'Hangul Day'],
    ['10-11', 'Hangul Day (substitute for Saturday 9 October)'],
    ['12-25', 'Christmas'],
    ['12-27', 'Christmas (substitute for Saturday 25 December)'],
  ],
});

export const HOLIDAY_INTERVAL = 'kr-public-holidays';
export const HOLIDAYS_BEGIN = '  # kr-public-holidays: generated from alerting/src/holidays.ts; do not edit by hand.';
export const HOLIDAYS_END = '  # kr-public-holidays: end';

const MONTHS = ['january', 'february', 'march', 'april', 'may', 'june', 'july', 'august', 'september', 'october', 'november', 'december'];

/** The time interval, as YAML lines indented for the template's `time_intervals:` list. Weekend days are listed too: harmless, and the table stays the official list. */
export function holidayIntervalYaml(): string {
  const lines = [HOLIDAYS_BEGIN, `  - name: ${HOLIDAY_INTERVAL}`, '    time_intervals:'];
  for (const [year, days] of Object.entries(KR_PUBLIC_HOLIDAYS)) {
    for (const [monthDay, name] of days) {
      const [month, day] = monthDay.split('-').map(Number) as [number, number];
      lines.push(`      # ${year}-${monthDay} ${name}`);
      lines.push(`      - {years: ['${year}'], months: ['${MONTHS[month - 1]}'], days_of_month: ['${day}'], location: Asia/Seoul}`);
    }
  }
  lines.push(HOLIDAYS_END);
  return `${lines.join('\n')}\n`;
}

/** The template with its holiday block replaced by the table's. */
export function withHolidayIntervals(template: string): string {
  const begin = template.indexOf(HOLIDAYS_BEGIN);
  const end = template.indexOf(HOLIDAYS_END);
  if (begin === -1 || end === -1 || end < begin) throw new Error('alertmanager.tmpl.yml has no kr-public-holidays block markers');
  return template.slice(0, begin) + holidayIntervalYaml() + template.slice(end + HOLIDAYS_END.length + 1);
}
