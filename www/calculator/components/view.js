// The calculator's views: the shared base class (shared/view.js) bound to the calculator's store.
import { View as Base } from '../../shared/view.js';
import { store } from '../state.js';

export class View extends Base {
  static store = store;
}
