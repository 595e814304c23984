/** The holiday table behind the kr-public-holidays time interval, and where the routing uses it. */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { HOLIDAY_INTERVAL, KR_PUBLIC_HOLIDAYS, holidayIntervalYaml } from '../src/holidays';

const template = readFileSync(join(__dirname, '..', '..', 'alerting', 'alertmanager.tmpl.yml'), 'utf8');
const years = Object.keys(KR_PUBLIC_HOLIDAYS).map(Number);

test('every entry is a real date of its year, listed once, in order', () => {
  for (const year of years) {
    const days = KR_PUBLIC_HOLIDAYS[year]!.map(([d]) => d);
    expect([...days].sort()).toEqual(days);
    expect(new Set(days).size).toBe(days.length);
    for (const day of days) {
      const date = new Date(`${year}-${day}T00:00:00Z`);
      expect(date.toISOString().slice(5, 10)).toBe(day);
    }
  }
});

test('the fixed-date holidays are there every year, and the years are consecutive', () => {
  expect(years).toEqual(years.map((_, i) => years[0]! + i));
  for (const year of years) {
    const days = new Set(KR_PUBLIC_HOLIDAYS[year]!.map(([d]) => d));
    for (const fixed of ['01-01', '03-01', '05-05', '06-06', '08-15', '10-03', '10-09', '12-25']) expect(days.has(fixed)).toBe(true);
    // Seollal and Chuseok are three days each.
    expect(KR_PUBLIC_HOLIDAYS[year]!.filter(([, name]) => name === 'Seollal').length).toBe(3);
    expect(KR_PUBLIC_HOLIDAYS[year]!.filter(([, name]) => name === 'Chuseok').length).toBe(3);
  }
});

test('a weekend holiday that has a substitute is followed by a weekday substitute', () => {
  for (const year of years) {
    for (const [day, name] of KR_PUBLIC_HOLIDAYS[year]!) {
      if (!name.includes('substitute')) continue;
      const weekday = new Date(`${year}-${day}T00:00:00Z`).getUTCDay();
      expect([1, 2, 3, 4, 5]).toContain(weekday);
    }
  }
});

test('the template carries the table, and low alerts are muted on holidays', () => {
  expect(template).toContain(holidayIntervalYaml());
  const lowRoute = template.slice(template.indexOf(`matchers: ['severity="low"']`), template.indexOf('group_interval: 30m'));
  expect(lowRoute).toContain(`mute_time_intervals: [${HOLIDAY_INTERVAL}]`);
  expect(lowRoute).toContain('active_time_intervals: [seoul-business-hours]');
});
