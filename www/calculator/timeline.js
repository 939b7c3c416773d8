// The timeline builder's state ↔ simulator input (docs/simulator.md). Events keep times relative
// to a start given as a wall-clock time in the business time zone.
import * as fmt from '../shared/format.js';

const HOUR = 3_600_000;

/** Builder state from a simulator input (relative times, start at the first event's minute). */
export function builderFromInput(input) {
  const events = Array.isArray(input?.events) ? input.events : [];
  const times = events.map((e) => (typeof e?.at === 'number' ? e.at : Date.parse(e?.at)));
  const finite = times.filter(Number.isFinite);
  const first = finite.length ? Math.min(...finite) : Date.UTC(2026, 9, 5, 4, 30);
  const start = Math.floor(first / 60000) * 60000;
  const timezone = typeof input?.timezone === 'string' ? input.timezone : 'UTC';
  return {
    currency: typeof input?.currency === 'string' ? input.currency : 'USD',
    timezone,
    business: input?.business && typeof input.business === 'object' ? structuredClone(input.business) : {},
    options: input?.options && typeof input.options === 'object' ? structuredClone(input.options) : {},
    startLocal: fmt.epochToLocal(start, fmt.safeZone(timezone)),
    events: events.map((e, i) => {
      const { at, ...rest } = e && typeof e === 'object' ? e : {};
      return { ...structuredClone(rest), dt: Number.isFinite(times[i]) ? times[i] - start : 0 };
    }),
  };
}

/** The simulator input of the builder state. Unparseable hours stay as typed (the engine says why). */
export function timelineInput(tl) {
  const tz = tl.timezone || 'UTC';
  const start = fmt.localToEpoch(tl.startLocal, fmt.safeZone(tz));
  const input = { currency: tl.currency || 'USD', timezone: tz };
  if (tl.business && Object.keys(tl.business).length) input.business = structuredClone(tl.business);
  if (tl.options && Object.keys(tl.options).length) input.options = structuredClone(tl.options);
  input.events = (tl.events ?? []).map((e) => {
    const { dt, hoursText, ...rest } = e ?? {};
    let at;
    if (hoursText !== undefined) at = hoursText;
    else if (Number.isFinite(start) && Number.isFinite(dt)) at = fmt.epochToRfc3339(start + dt, fmt.safeZone(tz));
    else at = tl.startLocal ?? '';
    const out = { at };
    for (const k of ['user', 'kind', 'category', 'referral', 'from', 'status', 'group']) {
      if (rest[k] !== undefined && rest[k] !== '' && rest[k] !== null) out[k] = rest[k];
    }
    // A group message's participants (docs/simulator.md "Group messages").
    for (const k of ['participants', 'statuses']) if (rest[k] != null) out[k] = structuredClone(rest[k]);
    return out;
  });
  return input;
}

export { HOUR };
