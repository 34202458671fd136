/**
 * A preset: the ready table list of one of the mission's five systems (billing, erp, pos, web,
 * contact_center), for the schemas the demo company writes. A source with `preset: <name>`
 * gets these tables for its connector kind; entries it lists under `tables:` override the
 * preset's table of the same name key by key (a mapping field set to null is removed).
 */
export interface Preset {
  readonly name: string;
  readonly description: string;
  /** Tables per connector kind, written exactly as they would be in `cdw.yaml`. */
  readonly tables: Readonly<Record<string, readonly PresetTable[]>>;
}

/** One `tables:` entry: the common keys (entity, mapping, primary_key, cursor, …) and the kind's own. */
export type PresetTable = Readonly<
  { name: string; entity: string; mapping: Readonly<Record<string, string>> } & Record<
    string,
    unknown
  >
>;
