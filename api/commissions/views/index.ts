/*
 * The commission ledger as the API shows it: response schemas (the OpenAPI document is
 * generated from them) and loaders that read rows inside the caller's transaction. RLS decides
 * what a caller sees: another organization's rows, and a sales rep's colleagues' rows, are
 * simply missing, so a loader answers 404 for them exactly as for an id that never existed.
 */
export * from './schemas';
export * from './convert';
export * from './sales';
export * from './calculations';
export * from './payouts';
export * from './settings';
