/**
 * The DuckDB dialect's function library: KQL scalar functions, operators and aggregates,
 * keyed by their KQL name (lower case). Each entry turns compiled argument SQL into SQL.
 */
import type { AggregateFn, ScalarFn } from '../../dialect.js';
import { pluginInternalFunctions } from './plugin-internals.js';
import { aggregates } from './aggregates.js';
import { arrayFunctions } from './arrays.js';
import { conditionalFunctions } from './conditional.js';
import { conversionFunctions } from './conversion.js';
import { datetimeFunctions } from './datetime.js';
import { dynamicFunctions } from './dynamic.js';
import { geoFunctions } from './geo.js';
import { ipv4Functions } from './ipv4.js';
import { mathFunctions } from './math.js';
import { operators } from './operators.js';
import { stringFunctions } from './strings.js';
import { moreArrayFunctions, packColumnsFunctions } from './arrays-more.js';
import { miscFunctions } from './aliases-and-misc.js';
import { bitwiseFunctions } from './bitwise.js';
import { encodingFunctions } from './encoding.js';
import { ipv6Functions } from './ipv6.js';
import { specialMathFunctions } from './special-math.js';
import { moreStringFunctions } from './strings-more.js';
import { textFormatFunctions } from './text-formats.js';
import { timezoneFunctions } from './timezones.js';
import { unitFunctions } from './units.js';
import { sketchAggregates, sketchFunctions } from './sketches.js';
import { seriesAnalysisFunctions } from './series-analysis.js';
import { seriesFunctions } from './series.js';

function table<T>(...families: Record<string, T>[]): Map<string, T> {
  const map = new Map<string, T>();
  for (const family of families) {
    for (const [name, fn] of Object.entries(family)) {
      if (map.has(name)) throw new Error(`function ${name} is defined twice`);
      map.set(name, fn);
    }
  }
  return map;
}

export const scalarFunctions: Map<string, ScalarFn> = table<ScalarFn>(
  stringFunctions, conversionFunctions, dynamicFunctions, arrayFunctions, conditionalFunctions, mathFunctions, datetimeFunctions, ipv4Functions, geoFunctions,
  moreArrayFunctions, bitwiseFunctions, encodingFunctions, ipv6Functions, specialMathFunctions, moreStringFunctions, textFormatFunctions, timezoneFunctions, unitFunctions, sketchFunctions, packColumnsFunctions, miscFunctions, seriesAnalysisFunctions, seriesFunctions,
  pluginInternalFunctions,
);

export const binaryOperators: Map<string, ScalarFn> = table<ScalarFn>(operators);

export const aggregateFunctions: Map<string, AggregateFn> = table<AggregateFn>(aggregates, sketchAggregates);

export { jsonPath, fromDynamic, toDynamicSql, type PathStep } from './dynamic.js';
export { toStringSql, convertTo } from './conversion.js';
