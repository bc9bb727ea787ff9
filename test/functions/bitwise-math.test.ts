import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { scalar, useEngine } from '../engine/helpers.js';
import { betaCdf, erf, erfc } from '../../src/engine/duckdb/udfs/special-math.js';

describe('bitwise, special functions, units and time zones', () => {
  const engine = useEngine();
  const value = (kql: string) => scalar(engine(), kql);

  test('binary_and/or/xor/not and bitset_count_ones (docs)', async () => {
    assert.equal(await value('print binary_and(6, 3)'), 2);
    assert.equal(await value('print binary_or(6, 3)'), 7);
    assert.equal(await value('print binary_xor(6, 3)'), 5);
    assert.equal(await value('print binary_not(100)'), -101);
    assert.equal(await value('print bitset_count_ones(42)'), 3);
    assert.equal(await value('print bitset_count_ones(-1)'), 64);
  });

  test('shifts wrap around 64 bits with the count modulo 64, and the right shift keeps the sign (.NET semantics, unlike DuckDB which raises on overflow)', async () => {
    assert.equal(await value('print binary_shift_left(1, 2)'), 4);
    assert.equal(await value('print binary_shift_left(1, 63)'), '-9223372036854775808');
    assert.equal(await value('print binary_shift_left(3, 64)'), 3);
    assert.equal(await value('print binary_shift_left(-1, 1)'), -2);
    assert.equal(await value('print binary_shift_right(-8, 1)'), -4);
    assert.equal(await value('print binary_shift_right(32, 2)'), 8);
  });

  test('gamma, loggamma, erf, erfc, beta_inv, cot (docs values)', async () => {
    assert.equal(await value('print gamma(5)'), 24);
    assert.ok(Math.abs((await value('print loggamma(5)')) as number - Math.log(24)) < 1e-12);
    assert.ok(Math.abs((await value('print erf(1)')) as number - 0.842700792949715) < 1e-14);
    assert.ok(Math.abs((await value('print beta_inv(0.1, 10.0, 20.0)')) as number - 0.226415022388749) < 1e-12);
    assert.equal(await value('print beta_inv(1.5, 10.0, 20.0)'), null);
    assert.equal(await value('print beta_inv(0.1, -1.0, 20.0)'), 'NaN');
    assert.ok(Math.abs((await value('print cot(1)')) as number - 1 / Math.tan(1)) < 1e-15);
    assert.ok(Math.abs(erf(-3) + 0.999977909503001) < 1e-14);
    assert.ok(Math.abs(erfc(5) - 1.5374597944280349e-12) < 1e-24);
    assert.ok(Math.abs(erf(0.5) + erfc(0.5) - 1) < 1e-15);
    assert.ok(Math.abs(betaCdf(0.5, 2, 2) - 0.5) < 1e-14);
  });

  test('convert_* use Kusto unit names, case-insensitively; an unknown unit gives null (docs)', async () => {
    assert.equal(await value("print convert_angle(1.2, 'Degree', 'Arcminute')"), 72);
    assert.ok(Math.abs((await value("print convert_length(1.2, 'Meter', 'Foot')")) as number - 3.93700787401575) < 1e-12);
    assert.ok(Math.abs((await value("print convert_volume(1.2, 'CubicMeter', 'AcreFoot')")) as number - 0.0009728568) < 1e-12);
    assert.ok(Math.abs((await value("print convert_speed(1.2, 'MeterPerSecond', 'CentimeterPerHour')")) as number - 432000) < 1e-6);
    assert.ok(Math.abs((await value("print convert_temperature(1.2, 'Kelvin', 'DegreeCelsius')")) as number + 271.95) < 1e-9);
    assert.ok(Math.abs((await value("print convert_temperature(100, 'degreecelsius', 'DegreeFahrenheit')")) as number - 212) < 1e-9);
    assert.ok(Math.abs((await value("print convert_mass(1, 'Pound', 'Gram')")) as number - 453.59237) < 1e-9);
    assert.ok(Math.abs((await value("print convert_force(1.2, 'Newton', 'Decanewton')")) as number - 0.12) < 1e-12);
    assert.equal(await value("print convert_length(1, 'Meter', 'Parsnip')"), null);
  });

  test('datetime_utc_to_local / datetime_local_to_utc follow the IANA zone rules, daylight saving included', async () => {
    assert.equal(await value('print datetime_utc_to_local(datetime(2020-07-01 12:00), "Europe/Berlin")'), '2020-07-01T14:00:00.0000000Z');
    assert.equal(await value('print datetime_utc_to_local(datetime(2020-01-01 12:00), "Europe/Berlin")'), '2020-01-01T13:00:00.0000000Z');
    assert.equal(await value('print datetime_local_to_utc(datetime(2020-07-01 14:00), "Europe/Berlin")'), '2020-07-01T12:00:00.0000000Z');
    assert.equal(await value('print datetime_utc_to_local(datetime(2022-11-07 12:34:56.789), "America/New_York")'), '2022-11-07T07:34:56.7890000Z');
    assert.equal(await value('print datetime_local_to_utc(datetime_utc_to_local(datetime(2021-03-28 01:30), "Europe/London"), "Europe/London")'), '2021-03-28T01:30:00.0000000Z');
    await assert.rejects(engine().query('print datetime_utc_to_local(now(), "Mars/Olympus")'), /datetime_utc_to_local\(\): 'Mars\/Olympus' is not a known IANA time zone/);
  });
});
