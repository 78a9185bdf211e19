import { parseDatetime } from './datetime.js';
import { conflict, validationError } from './errors.js';
import type { HubSpotApiError } from './errors.js';
import type { ObjectSchema, ObjectTypeName } from './object-types.js';
import { UniqueValueConflict } from './record-store.js';
import type { PropertyInputValue, RecordStore } from './record-store.js';

interface InvalidProperty {
  name: string;
  code: 'PROPERTY_DOESNT_EXIST' | 'READ_ONLY_VALUE' | 'INVALID_EMAIL' | 'INVALID_DATE' | 'INVALID_VALUE';
  message: string;
  value: string;
}

const EMAIL = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;

export function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/**
 * Checks the `properties` of a create or update input as HubSpot does and returns them.
 * Invalid properties give HubSpot's 400: message "Property values were not valid: "
 * followed by a JSON list, and one `errors` item per property.
 */
export function validatePropertyInput(
  store: RecordStore,
  type: ObjectTypeName,
  input: unknown,
  portalId: number,
): Record<string, PropertyInputValue> {
  if (!isRecord(input) || !isRecord(input.properties)) {
    throw validationError('Invalid input JSON: properties is required and must be an object.');
  }

  const schema = store.schema(type);
  const invalid: InvalidProperty[] = [];
  const properties: Record<string, PropertyInputValue> = {};

  for (const [name, value] of Object.entries(input.properties)) {
    const text = value === null ? '' : String(value);
    if (value !== null && typeof value !== 'string' && typeof value !== 'number' && typeof value !== 'boolean') {
      invalid.push({ name, code: 'INVALID_VALUE', message: `${JSON.stringify(value)} is not a valid property value`, value: JSON.stringify(value) });
    } else if (store.propertyType(type, name) === undefined) {
      invalid.push({ name, code: 'PROPERTY_DOESNT_EXIST', message: `Property "${name}" does not exist`, value: text });
    } else if (schema.readOnlyProperties.includes(name)) {
      invalid.push({ name, code: 'READ_ONLY_VALUE', message: `"${name}" is a calculated property; its value cannot be set.`, value: text });
    } else if (name === 'email' && text !== '' && !EMAIL.test(text)) {
      invalid.push({ name, code: 'INVALID_EMAIL', message: `Email address ${text} is invalid`, value: text });
    } else if (store.propertyType(type, name) === 'datetime' && text !== '' && parseDatetime(text) === undefined) {
      // NOTE: the INVALID_DATE code matches HubSpot's, but this message text is the simulator's.
      invalid.push({ name, code: 'INVALID_DATE', message: `${text} is not a valid datetime; use epoch milliseconds or ISO 8601`, value: text });
    } else {
      properties[name] = value as PropertyInputValue;
    }
  }

  if (invalid.length > 0) {
    const summary = invalid.map((item) => ({
      isValid: false,
      message: item.message,
      error: item.code,
      name: item.name,
      localizedErrorMessage: item.message,
      propertyValue: item.value,
      portalId,
    }));
    throw validationError(`Property values were not valid: ${JSON.stringify(summary)}`, {
      errors: invalid.map((item) => ({ message: item.message, code: item.code, context: { propertyName: [item.name] } })),
    });
  }
  return properties;
}

/** HubSpot's 409 for a unique value another record has, e.g. "Contact already exists. Existing ID: 123". */
export function uniqueValueConflict(schema: ObjectSchema, existingId: string): HubSpotApiError {
  const label = schema.messageLabel.charAt(0) + schema.messageLabel.slice(1).toLowerCase();
  return conflict(`${label} already exists. Existing ID: ${existingId}`);
}

/** Converts a store uniqueness conflict to HubSpot's 409 and passes other errors through. */
export function toHubSpotConflict(error: unknown): unknown {
  return error instanceof UniqueValueConflict ? uniqueValueConflict(error.schema, error.existingId) : error;
}

/** HubSpot's maximum number of inputs in one batch request. */
export const MAX_BATCH_INPUTS = 100;

/** Reads `inputs` of a batch body, enforcing HubSpot's 100-input limit. */
export function batchInputs(body: unknown): unknown[] {
  if (!isRecord(body) || !Array.isArray(body.inputs)) {
    throw validationError('Invalid input JSON: inputs is required and must be an array.');
  }
  if (body.inputs.length > MAX_BATCH_INPUTS) {
    throw validationError(`Batch input has ${body.inputs.length} inputs; at most ${MAX_BATCH_INPUTS} are allowed.`, {
      context: { inputs: [String(body.inputs.length)] },
    });
  }
  return body.inputs;
}

/** Returns the `id` of a batch input such as `{"id": "123"}` as text, accepting numbers too. */
export function inputId(input: unknown, position: number): string {
  const id = isRecord(input) ? input.id : undefined;
  if (typeof id === 'number' && Number.isInteger(id)) {
    return String(id);
  }
  if (typeof id !== 'string' || id === '') {
    throw validationError(`Invalid input JSON: inputs[${position}].id is required.`);
  }
  return id;
}
