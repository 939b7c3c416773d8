// What the engine says the page needs to know (engine.schema(), docs/api.md): the journey presets
// with their parameters and defaults, the template categories, kinds and statuses an input may name, the
// messaging-limit tiers and the window lengths. The page copies none of these; until the engine
// has loaded, the lists are empty.
let current = null;

/** Keep the engine's schema (main.js, once the engine has loaded). */
export function setSchema(schema) {
  current = schema;
}

/** The preset ids, in the engine's order. */
export const presetIds = () => current?.presets.map((p) => p.id) ?? [];

/** `{ key, type, default }` of each parameter of a preset. */
export const presetParams = (id) => current?.presets.find((p) => p.id === id)?.params ?? [];

/** The default of one preset parameter (a fresh copy). */
export function paramDefault(id, key) {
  const p = presetParams(id).find((q) => q.key === key);
  return p ? structuredClone(p.default) : undefined;
}

export const templateCategories = () => current?.templateCategories ?? [];
export const stepKinds = () => current?.kinds ?? [];
/** The delivery statuses an input may name (`read` counts as delivered). */
export const statuses = () => current?.statuses ?? [];
/** The messaging-limit tiers and `'unlimited'`. */
export const messagingLimits = () => (current ? [...current.messagingLimits, 'unlimited'] : []);
/** `{ serviceHours, entryPointHours, entryPointHoursBeforeSwitch, fepSwitchDate }`. */
export const windows = () => current?.windows ?? null;
