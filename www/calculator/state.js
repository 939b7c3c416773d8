// The page's single store (see store.js): one state object, shared by every view.
import { createStore } from '../shared/store.js';
import { initialState } from './store.js';

export const store = createStore(initialState());

/**
 * Objects that are not state: the engine in use (embedded or with uploaded data), the card-reading
 * package once loaded (pkg/cards/) and its engine when Meta's files are in use.
 */
export const runtime = { engine: null, embedded: null, cards: null, cardsEngine: null };
