// The one state object of a page and its change notifications (both pages use it).

/**
 * A tiny observable store: `set(fn)` mutates the state, then (in a microtask: debounce ~0)
 * runs `hooks.before` (derive: the engine's answers), every listener (the views), `hooks.after`.
 */
export function createStore(state) {
  const listeners = new Set();
  const hooks = { before: null, after: null };
  let scheduled = false;
  const flush = () => {
    scheduled = false;
    hooks.before?.(state);
    for (const fn of listeners) fn(state);
    hooks.after?.(state);
  };
  return {
    state,
    hooks,
    subscribe(fn) {
      listeners.add(fn);
      return () => listeners.delete(fn);
    },
    set(mutate, { now = false } = {}) {
      mutate?.(state);
      if (now) {
        flush();
        return;
      }
      if (scheduled) return;
      scheduled = true;
      // After the current task's handlers (so several changes make one render), before paint.
      queueMicrotask(() => {
        if (scheduled) flush();
      });
    },
    flush,
  };
}
