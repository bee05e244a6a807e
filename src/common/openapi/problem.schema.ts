import { ERROR_STATUS } from '../errors/error-codes';

/** RFC 9457 problem details as the API writes them (see the problem-details filter). */
export const PROBLEM_SCHEMA = {
  type: 'object',
  required: ['type', 'title', 'status', 'code', 'errors'],
  additionalProperties: false,
  properties: {
    type: { type: 'string', description: 'A URN naming the kind of problem' },
    title: { type: 'string' },
    status: { type: 'integer', minimum: 400, maximum: 599 },
    detail: { type: 'string' },
    code: {
      type: 'string',
      description: 'Stable machine-readable code',
      enum: Object.keys(ERROR_STATUS).sort(),
    },
    errors: {
      type: 'array',
      description: 'What is wrong with which field (empty when no field is at fault)',
      items: {
        type: 'object',
        required: ['field', 'message'],
        additionalProperties: false,
        properties: { field: { type: 'string' }, message: { type: 'string' } },
      },
    },
    instance: { type: 'string', description: 'The path asked for' },
    requestId: { type: 'string', description: 'The X-Request-Id of the request' },
    nearestDates: {
      type: 'array',
      description: 'LONG_VISIT_NO_ROOM: the nearest start dates with a room free (local dates)',
      items: { type: 'string', format: 'date' },
    },
  },
} as const;

export const PROBLEM_MEDIA_TYPE = 'application/problem+json';
