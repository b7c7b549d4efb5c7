import { LegacyBus } from '@app/core/legacy.js';
import { EventTypes } from '@app/core/events.js';

new LegacyBus().emit(EventTypes.DONE);
