/**
 * convert_angle/energy/force/length/mass/speed/volume/temperature(value, from, to): unit names
 * as Kusto spells them (UnitsNet's). Each unit is a factor to the family's base unit;
 * temperature is affine. An unknown unit gives null.
 */
import type { ScalarFn, SqlValue } from '../../dialect.js';
import { arity, str } from './common.js';
import { convertTo, toStringSql } from './conversion.js';

const INCH = 0.0254;
const FOOT = 0.3048;
const MILE = 1609.344;
const US_GALLON = 0.003785411784;
const IMPERIAL_GALLON = 0.00454609;
const POUND = 0.45359237;
const G = 9.80665;

/** Base units: radian, joule, newton, meter, kilogram, meter per second, cubic meter. */
const FACTORS: Record<string, Record<string, number>> = {
  angle: {
    Radian: 1, Degree: Math.PI / 180, Arcminute: Math.PI / 10800, Arcsecond: Math.PI / 648000, Gradian: Math.PI / 200,
    Revolution: 2 * Math.PI, Milliradian: 1e-3, Microradian: 1e-6, Nanoradian: 1e-9, Centiradian: 1e-2, Deciradian: 1e-1,
    Millidegree: Math.PI / 180e3, Microdegree: Math.PI / 180e6, Nanodegree: Math.PI / 180e9, NatoMil: (2 * Math.PI) / 6400,
  },
  energy: {
    Joule: 1, Kilojoule: 1e3, Megajoule: 1e6, Gigajoule: 1e9, Millijoule: 1e-3, Calorie: 4.184, Kilocalorie: 4184,
    WattHour: 3600, KilowattHour: 3.6e6, MegawattHour: 3.6e9, GigawattHour: 3.6e12, ElectronVolt: 1.602176634e-19,
    BritishThermalUnit: 1055.05585262, Erg: 1e-7, FootPound: 1.3558179483314004,
  },
  force: {
    Newton: 1, Decanewton: 10, Kilonewton: 1e3, Meganewton: 1e6, Millinewton: 1e-3, Micronewton: 1e-6, Dyn: 1e-5,
    KilogramForce: G, KiloPond: G, TonneForce: G * 1000, PoundForce: POUND * G, KilopoundForce: POUND * G * 1000,
    OunceForce: (POUND / 16) * G, Poundal: POUND * FOOT, ShortTonForce: 2000 * POUND * G,
  },
  length: {
    Meter: 1, Kilometer: 1e3, Hectometer: 1e2, Decameter: 10, Decimeter: 0.1, Centimeter: 0.01, Millimeter: 1e-3,
    Micrometer: 1e-6, Nanometer: 1e-9, Inch: INCH, Foot: FOOT, Yard: 0.9144, Mile: MILE, NauticalMile: 1852,
    Mil: INCH / 1000, Microinch: INCH / 1e6, Fathom: 1.8288, Chain: 20.1168, Hand: 0.1016, Twip: INCH / 1440,
    PrinterPoint: INCH / 72.27, DtpPoint: INCH / 72, PrinterPica: INCH / 6.0225, DtpPica: INCH / 6, Shackle: 27.432,
    UsSurveyFoot: 1200 / 3937, AstronomicalUnit: 149597870700, LightYear: 9460730472580800, Parsec: 3.0856775814913674e16,
  },
  mass: {
    Kilogram: 1, Gram: 1e-3, Milligram: 1e-6, Microgram: 1e-9, Nanogram: 1e-12, Hectogram: 0.1, Decagram: 0.01,
    Decigram: 1e-4, Centigram: 1e-5, Tonne: 1000, Kilotonne: 1e6, Megatonne: 1e9, Pound: POUND, Ounce: POUND / 16,
    Stone: 14 * POUND, ShortTon: 2000 * POUND, LongTon: 2240 * POUND, Grain: POUND / 7000, Slug: 14.593902937206364,
    ShortHundredweight: 100 * POUND, LongHundredweight: 112 * POUND, Kilopound: 1000 * POUND, Megapound: 1e6 * POUND,
  },
  speed: {
    MeterPerSecond: 1, KilometerPerHour: 1000 / 3600, KilometerPerSecond: 1000, KilometerPerMinute: 1000 / 60,
    MeterPerMinute: 1 / 60, MeterPerHour: 1 / 3600, CentimeterPerSecond: 0.01, CentimeterPerMinute: 0.01 / 60,
    CentimeterPerHour: 0.01 / 3600, MillimeterPerSecond: 1e-3, MillimeterPerMinute: 1e-3 / 60, MillimeterPerHour: 1e-3 / 3600,
    MilePerHour: MILE / 3600, Knot: 1852 / 3600, FootPerSecond: FOOT, FootPerMinute: FOOT / 60, FootPerHour: FOOT / 3600,
    InchPerSecond: INCH, InchPerMinute: INCH / 60, InchPerHour: INCH / 3600, YardPerSecond: 0.9144, YardPerMinute: 0.9144 / 60,
    YardPerHour: 0.9144 / 3600, MicrometerPerSecond: 1e-6, NanometerPerSecond: 1e-9,
  },
  volume: {
    CubicMeter: 1, CubicKilometer: 1e9, CubicDecimeter: 1e-3, CubicCentimeter: 1e-6, CubicMillimeter: 1e-9, Liter: 1e-3,
    Milliliter: 1e-6, Centiliter: 1e-5, Deciliter: 1e-4, Hectoliter: 0.1, Kiloliter: 1, Megaliter: 1e3, Microliter: 1e-9,
    CubicInch: INCH ** 3, CubicFoot: FOOT ** 3, CubicYard: 0.9144 ** 3, CubicMile: MILE ** 3, AcreFoot: 1 / 0.000810714,
    UsGallon: US_GALLON, UsQuart: US_GALLON / 4, UsPint: US_GALLON / 8, UsOunce: US_GALLON / 128, UsTablespoon: US_GALLON / 256,
    UsTeaspoon: US_GALLON / 768, ImperialGallon: IMPERIAL_GALLON, ImperialQuart: IMPERIAL_GALLON / 4, ImperialPint: IMPERIAL_GALLON / 8,
    ImperialOunce: IMPERIAL_GALLON / 160, OilBarrel: 0.158987294928, UsBeerBarrel: 0.1173477658,
  },
};

/** Temperatures as (scale, offset) with kelvin = value * scale + offset. */
const TEMPERATURE: Record<string, [number, number]> = {
  Kelvin: [1, 0], DegreeCelsius: [1, 273.15], DegreeFahrenheit: [5 / 9, 273.15 - (32 * 5) / 9], DegreeRankine: [5 / 9, 0],
  DegreeDelisle: [-2 / 3, 373.15], DegreeNewton: [100 / 33, 273.15], DegreeReaumur: [5 / 4, 273.15], DegreeRoemer: [40 / 21, 273.15 - (7.5 * 40) / 21],
  MillidegreeCelsius: [1e-3, 273.15],
};

/** A unit name to a number, by a CASE over the known names (works for literal and per-row units). */
function lookup(unit: SqlValue, table: Record<string, number>): string {
  const whens = Object.entries(table).map(([name, f]) => `WHEN ${str(name.toLowerCase())} THEN ${f}`).join(' ');
  return `(CASE lower(${toStringSql(unit)}) ${whens} END)`;
}

function converter(family: string): ScalarFn {
  const name = `convert_${family}`;
  return (args) => {
    arity(name, args, 3);
    const value = convertTo(args[0]!, 'real');
    if (family === 'temperature') {
      const scale = lookup(args[1]!, Object.fromEntries(Object.entries(TEMPERATURE).map(([k, [s]]) => [k, s])));
      const offset = lookup(args[1]!, Object.fromEntries(Object.entries(TEMPERATURE).map(([k, [, o]]) => [k, o])));
      const toScale = lookup(args[2]!, Object.fromEntries(Object.entries(TEMPERATURE).map(([k, [s]]) => [k, s])));
      const toOffset = lookup(args[2]!, Object.fromEntries(Object.entries(TEMPERATURE).map(([k, [, o]]) => [k, o])));
      return `((CAST(${value} AS DOUBLE) * ${scale} + ${offset} - ${toOffset}) / ${toScale})`;
    }
    const table = FACTORS[family]!;
    return `(CAST(${value} AS DOUBLE) * ${lookup(args[1]!, table)} / ${lookup(args[2]!, table)})`;
  };
}

export const unitFunctions: Record<string, ScalarFn> = Object.fromEntries(
  [...Object.keys(FACTORS), 'temperature'].map((family) => [`convert_${family}`, converter(family)]),
);
