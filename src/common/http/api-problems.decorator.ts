import { applyDecorators } from '@nestjs/common';
import { ApiResponse } from '@nestjs/swagger';
import { PROBLEM_MEDIA_TYPE } from '../openapi/problem.schema';

const DESCRIPTIONS: Record<number, string> = {
  400: 'Invalid input (problem details with field errors)',
  401: 'No or bad credentials',
  403: 'Not allowed for this caller',
  404: 'Not found, or not yours',
  409: 'Conflict',
  413: 'Body too large',
  415: 'Unsupported content type (JSON only)',
  422: 'Against a rule or the current state',
  429: 'Too many requests',
  503: 'Not ready, or a service it depends on is unavailable',
};

/** Documents the problem-details answers a route can give. */
export const ApiProblems = (...statuses: number[]): MethodDecorator =>
  applyDecorators(
    ...statuses.map((status) =>
      ApiResponse({
        status,
        description: DESCRIPTIONS[status] ?? 'Problem',
        content: {
          [PROBLEM_MEDIA_TYPE]: { schema: { $ref: '#/components/schemas/Problem' } },
        },
      }),
    ),
  );
