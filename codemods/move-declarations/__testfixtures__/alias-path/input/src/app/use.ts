import { EventTypes, LegacyBus } from '@app/core/legacy.js';

new LegacyBus().emit(EventTypes.DONE);
