/** The write modes the planner plans for (`insert.mode`, `pk.mode`); config/ validates them. */
export type InsertMode = 'insert' | 'upsert' | 'update';
export type PkMode = 'none' | 'kafka' | 'record_key' | 'record_value';
