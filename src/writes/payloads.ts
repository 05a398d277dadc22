import type { AvailabilityPayloadModel, DeletePayloadModel, UserErrorModel, UserPayloadModel } from '../models.js';

/** A payload that only reports problems: the object fields are null. */
export const failed = {
  user: (userErrors: UserErrorModel[]): UserPayloadModel => ({ user: null, userErrors }),
  deletion: (userErrors: UserErrorModel[]): DeletePayloadModel => ({ deletedId: null, status: null, userErrors }),
  availability: (userErrors: UserErrorModel[]): AvailabilityPayloadModel => ({ agent: null, userErrors }),
};
