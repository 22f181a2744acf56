import { describe, expect, it } from 'vitest';
import { canonicalTimeZone, instantToWallTime, isTimeZone, isWallTime, wallTimeToInstant, zonedTimestamp } from './time';

describe('wall-clock times in the operator’s zone', () => {
  it('reads a Paris wall time with winter and summer offsets', () => {
    expect(wallTimeToInstant('2026-11-30T20:46', 'Europe/Paris')).toBe('2026-11-30T19:46:00.000Z');
    expect(wallTimeToInstant('2026-07-14T20:46:30', 'Europe/Paris')).toBe('2026-07-14T18:46:30.000Z');
    expect(wallTimeToInstant('2026-11-30T20:46', 'UTC')).toBe('2026-11-30T20:46:00.000Z');
    expect(wallTimeToInstant('2026-11-30T20:46', 'America/New_York')).toBe('2026-12-01T01:46:00.000Z');
  });

  it('spring forward (Paris, 29 March 2026): the minutes either side of the gap, and a time in the gap moved forward', () => {
    expect(wallTimeToInstant('2026-03-29T01:59:59', 'Europe/Paris')).toBe('2026-03-29T00:59:59.000Z');
    expect(wallTimeToInstant('2026-03-29T03:00', 'Europe/Paris')).toBe('2026-03-29T01:00:00.000Z');
    // 02:30 never happens in Paris that night: it is read as 03:30 summer time.
    expect(wallTimeToInstant('2026-03-29T02:30', 'Europe/Paris')).toBe('2026-03-29T01:30:00.000Z');
    expect(instantToWallTime('2026-03-29T01:30:00Z', 'Europe/Paris')).toBe('2026-03-29T03:30:00');
  });

  it('fall back (Paris, 25 October 2026): a time that happens twice is its first occurrence', () => {
    expect(wallTimeToInstant('2026-10-25T01:59', 'Europe/Paris')).toBe('2026-10-24T23:59:00.000Z');
    expect(wallTimeToInstant('2026-10-25T02:30', 'Europe/Paris')).toBe('2026-10-25T00:30:00.000Z');
    expect(wallTimeToInstant('2026-10-25T03:00', 'Europe/Paris')).toBe('2026-10-25T02:00:00.000Z');
    // Both occurrences of 02:30 are written 02:30; the round trip gives the first.
    expect(instantToWallTime('2026-10-25T00:30:00Z', 'Europe/Paris')).toBe('2026-10-25T02:30:00');
    expect(instantToWallTime('2026-10-25T01:30:00Z', 'Europe/Paris')).toBe('2026-10-25T02:30:00');
  });

  it('round-trips every quarter hour of both DST days', () => {
    for (const day of ['2026-03-29', '2026-10-25']) {
      for (let m = 0; m < 24 * 60; m += 15) {
        const wall = `${day}T${String(Math.floor(m / 60)).padStart(2, '0')}:${String(m % 60).padStart(2, '0')}:00`;
        const back = instantToWallTime(wallTimeToInstant(wall, 'Europe/Paris'), 'Europe/Paris');
        if (day === '2026-03-29' && wall.slice(11, 13) === '02') expect(back).toBe(wall.replace('T02', 'T03'));
        else expect(back).toBe(wall);
      }
    }
  });

  it('names the zone in what it writes', () => {
    expect(zonedTimestamp('2026-11-30T19:46:05Z', 'Europe/Paris')).toBe('2026-11-30 20:46:05 Europe/Paris');
    expect(zonedTimestamp('2026-11-30T19:46:05Z', 'UTC')).toBe('2026-11-30 19:46:05 UTC');
    expect(zonedTimestamp('2026-11-30T19:46:05.042Z', 'Europe/Paris', 'millisecond')).toBe('2026-11-30 20:46:05.042 Europe/Paris');
    expect(zonedTimestamp('2026-11-30T19:46:05.042Z', 'UTC', 'millisecond')).toBe('2026-11-30 19:46:05.042 UTC');
    expect(zonedTimestamp(new Date('2026-07-01T10:00:59Z'), 'Asia/Kolkata', 'minute')).toBe('2026-07-01 15:30 Asia/Kolkata');
    expect(zonedTimestamp(null, 'Europe/Paris')).toBeNull();
  });

  it('accepts only zones Intl knows and real calendar times', () => {
    expect(['europe/paris', 'Etc/UTC', 'UTC'].map(canonicalTimeZone)).toEqual(['Europe/Paris', 'UTC', 'UTC']);
    expect(isTimeZone('Europe/Paris')).toBe(true);
    expect(isTimeZone('UTC')).toBe(true);
    expect(isTimeZone('Mars/Olympus_Mons')).toBe(false);
    expect(isTimeZone("Europe/Paris' OR 1=1")).toBe(false);
    expect(isTimeZone('')).toBe(false);
    expect(isWallTime('2026-02-30T10:00')).toBe(false);
    expect(isWallTime('2026-11-30T24:00')).toBe(false);
    expect(isWallTime('2026-11-30T20:46')).toBe(true);
    expect(isWallTime('2026-11-30T20:46:07')).toBe(true);
    expect(isWallTime('2026-11-30 20:46')).toBe(false);
  });
});
