import { expect } from 'chai';
import { readFileSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { ConfigError } from '../../src/config/config-error.js';
import { loadVenueConfig } from '../../src/config/load-config.js';
import { makeTempDir } from '../support/temp-dir.js';

describe('config: calendar section', () => {
  const dir = makeTempDir('venue-calendar-config-');

  /** The demo config with the given calendar section. */
  const write = (name: string, calendar: unknown): string => {
    const c = JSON.parse(readFileSync('config/venue.json', 'utf8')) as Record<string, unknown> & { fix: Record<string, unknown> };
    c.fix.dictionary = resolve('fix-dictionaries/FIX44.xml');
    c.calendar = calendar;
    const path = join(dir, name);
    writeFileSync(path, JSON.stringify(c));
    return path;
  };

  const expectError = (calendar: unknown, key: string, fragment: string): void => {
    const path = write('bad.json', calendar);
    try {
      loadVenueConfig(path, {});
      expect.fail('loading should have failed');
    } catch (err) {
      expect(err).to.be.instanceOf(ConfigError);
      expect((err as ConfigError).file).to.equal(path);
      expect((err as ConfigError).key).to.equal(key);
      expect((err as ConfigError).message).to.contain(fragment);
    }
  };

  const day = { preOpen: '07:50', open: '08:00', preClose: '16:30', close: '16:35' };

  it('reads time zone, weekday ranges, optional auctions and holidays', () => {
    const s = loadVenueConfig(write('ok.json', {
      timeZone: 'Europe/London', days: { 'mon-thu': day, fri: { open: '08:00', close: '13:00' } }, holidays: ['2026-12-25'],
    }), {});
    const cal = s.calendar!;
    expect(cal.timeZone).to.equal('Europe/London');
    expect(cal.tradingSessionId).to.equal('1');
    expect(cal.days[0]).to.equal(null);
    expect(cal.days[6]).to.equal(null);
    expect(cal.days[1]).to.deep.equal({ preOpen: 470, open: 480, preClose: 990, close: 995 });
    expect(cal.days[4]).to.deep.equal(cal.days[1]);
    expect(cal.days[5]).to.deep.equal({ preOpen: -1, open: 480, preClose: -1, close: 780 });
    expect([...cal.holidays]).to.deep.equal(['2026-12-25']);
  });

  it('is optional: no calendar, no schedule', () => {
    expect(loadVenueConfig('config/venue.json', {}).calendar).to.equal(null);
  });

  it('names the file and key of every mistake', () => {
    expectError({ timeZone: 'Mars/Olympus', days: { mon: day } }, 'calendar.timeZone', 'an IANA time zone name');
    expectError({ timeZone: 'UTC', days: { monday: day } }, 'calendar.days.monday', 'a weekday');
    expectError({ timeZone: 'UTC', days: { 'fri-mon': day } }, 'calendar.days.fri-mon', 'an earlier to a later weekday');
    expectError({ timeZone: 'UTC', days: { 'mon-fri': day, wed: day } }, 'calendar.days.wed', 'each weekday listed once');
    expectError({ timeZone: 'UTC', days: { mon: { ...day, open: '8:00' } } }, 'calendar.days.mon.open', 'a local time HH:MM');
    expectError({ timeZone: 'UTC', days: { mon: { ...day, preClose: '07:00' } } }, 'calendar.days.mon.preClose', 'a time after open (08:00)');
    expectError({ timeZone: 'UTC', days: { mon: { open: '08:00' } } }, 'calendar.days.mon.close', 'this key is required');
    expectError({ timeZone: 'UTC', days: { mon: { ...day, lunch: '12:00' } } }, 'calendar.days.mon.lunch', 'one of the known keys');
    expectError({ timeZone: 'UTC', days: {} }, 'calendar.days', 'at least one trading day');
    expectError({ timeZone: 'UTC', days: { mon: day }, holidays: ['2026-02-30'] }, 'calendar.holidays[0]', 'a date YYYY-MM-DD');
    expectError({ timeZone: 'UTC', days: { mon: day }, hours: {} }, 'calendar.hours', 'one of the known keys');
  });
});
