/**
 * datetime_utc_to_local(dt, tz) and datetime_local_to_utc(dt, tz) with IANA zone names
 * (`kql_*` UDFs over Intl's tz database). An unknown zone gives null.
 */
import type { ScalarFn } from '../../dialect.js';
import { arity, constString, unsupported } from './common.js';
import { toStringSql } from './conversion.js';
import { isTimeZone } from '../udfs/timezones.js';

function zoned(name: string, udf: string): ScalarFn {
  return (args) => {
    arity(name, args, 2);
    const zone = constString(args[1]);
    if (zone !== undefined && !isTimeZone(zone)) unsupported(name, `'${zone}' is not a known IANA time zone`);
    return `${udf}(${args[0]!.sql}, ${toStringSql(args[1]!)})`;
  };
}

export const timezoneFunctions: Record<string, ScalarFn> = {
  datetime_utc_to_local: zoned('datetime_utc_to_local', 'kql_utc_to_local'),
  datetime_local_to_utc: zoned('datetime_local_to_utc', 'kql_local_to_utc'),
};
