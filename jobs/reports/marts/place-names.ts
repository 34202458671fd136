import {
  cyrillicToLatinSql,
  hasCyrillicSql,
} from '../../../transforms/standardise/transliterate.ts';

/**
 * Place names in one script. Systems write a city in their own script (`Москва` in the shop
 * tills, `Moskva` in billing); grouping by the raw value splits one city in two. The Latin
 * form uses the one romanisation of cdw (transforms/standardise/transliterate.ts, a table of
 * letters — data, not rules per city).
 */
export function cityDisplaySql(expr: string): string {
  return `CASE WHEN ${hasCyrillicSql(expr)} THEN ${cyrillicToLatinSql(expr)} ELSE ${expr} END`;
}

/** The grouping key: the Latin form, lower case, accents and punctuation folded ("moskva"). */
export function cityKeySql(expr: string): string {
  return `nullif(trim(regexp_replace(lower(strip_accents(${cityDisplaySql(expr)})), '[^a-z0-9]+', ' ', 'g')), '')`;
}
