// sessions[].schedule in venue.json: read into seconds and weekday numbers, handed to the FIX engine's session
// config, and refused with the file and key when a time, a time zone or a weekday is wrong.

import { expect } from 'chai';
import { readFileSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { ConfigError } from '../../src/config/config-error.js';
import { loadVenueConfig } from '../../src/config/load-config.js';
import { sessionConfigs } from '../../src/app/fix-engine-config.js';
import { makeTempDir } from '../support/temp-dir.js';

describe('config: sessions[].schedule', () => {
  const dir = makeTempDir('venue-session-schedule-config-');

  /** The demo config with `schedule` on its first session. */
  const write = (name: string, schedule: unknown): string => {
    const c = JSON.parse(readFileSync('config/venue.json', 'utf8')) as Record<string, unknown> & {
      fix: Record<string, unknown>;
      sessions: Array<Record<string, unknown>>;
    };
    c.fix.dictionary = resolve('fix-dictionaries/FIX44.xml');
    c.sessions[0]!.schedule = schedule;
    const path = join(dir, name);
    writeFileSync(path, JSON.stringify(c));
    return path;
  };

  const expectError = (schedule: unknown, key: string, fragment: string): void => {
    const path = write('bad.json', schedule);
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

  it('reads a daily window on weekdays and hands it to the FIX session config', () => {
    const s = loadVenueConfig(write('daily.json', {
      timeZone: 'America/New_York', startTime: '18:00:00', endTime: '06:00:30', weekdays: ['sun', 'Mon', 'tue'],
    }), {});
    const expected = { timeZone: 'America/New_York', startTime: 64_800, endTime: 21_630, weekdays: [0, 1, 2] };
    expect(s.sessions[0]!.schedule).to.deep.equal(expected);
    expect(s.sessions[1]!.schedule, 'a session without a schedule is always open').to.equal(null);
    const fix = sessionConfigs(s);
    expect(fix[0]!.schedule).to.deep.equal(expected);
    expect(fix[1]!.schedule).to.equal(null);
  });

  it('reads a weekly window, in UTC unless a time zone is given', () => {
    const s = loadVenueConfig(write('weekly.json', { startTime: '22:00:00', endTime: '21:00:00', startDay: 'sun', endDay: 'fri' }), {});
    expect(s.sessions[0]!.schedule).to.deep.equal({ timeZone: 'UTC', startTime: 79_200, endTime: 75_600, startDay: 0, endDay: 5 });
  });

  it('names the key of a bad time, an unknown time zone or a bad weekday', () => {
    expectError({ startTime: '8:00', endTime: '17:00:00' }, 'sessions[0].schedule.startTime', 'HH:MM:SS');
    expectError({ startTime: '08:00:00', endTime: '24:00:00' }, 'sessions[0].schedule.endTime', 'HH:MM:SS');
    expectError({ startTime: '08:00:00' }, 'sessions[0].schedule.endTime', 'required');
    expectError({ timeZone: 'Mars/Olympus', startTime: '08:00:00', endTime: '17:00:00' }, 'sessions[0].schedule.timeZone', 'IANA');
    expectError({ startTime: '08:00:00', endTime: '17:00:00', weekdays: ['mon', 'funday'] }, 'sessions[0].schedule.weekdays', 'a weekday');
    expectError({ startTime: '08:00:00', endTime: '17:00:00', weekdays: [] }, 'sessions[0].schedule.weekdays', 'at least one');
    expectError({ startTime: '08:00:00', endTime: '17:00:00', startDay: 'sun' }, 'sessions[0].schedule.endDay', 'required');
    expectError({ startTime: '08:00:00', endTime: '17:00:00', startDay: 'sun', endDay: 'fri', weekdays: ['mon'] }, 'sessions[0].schedule.weekdays', 'not both');
    expectError({ startTime: '08:00:00', endTime: '17:00:00', endDay: 'someday', startDay: 'mon' }, 'sessions[0].schedule.endDay', 'a weekday');
    expectError({ startTime: '08:00:00', endTime: '17:00:00', closeAt: '17:00' }, 'sessions[0].schedule.closeAt', 'known keys');
  });
});
