import { applyDecorators } from '@nestjs/common';
import {
  ApiExtraModels,
  ApiProperty,
  ApiPropertyOptional,
  ApiResponse,
  getSchemaPath,
} from '@nestjs/swagger';
import { STATUS_CODES } from 'node:http';

export class FieldErrorResponse {
  @ApiProperty({ example: 'name' }) field: string;
  @ApiProperty({ example: 'name must be shorter than or equal to 100 characters' }) message: string;
}

/** RFC 9457 problem details as ProblemFilter renders them; quota problems add `limit`, `resetsAt`… */
export class ProblemResponse {
  @ApiProperty({ format: 'uri', example: 'https://atelier.dev/problems/validation-failed' }) type: string;
  @ApiProperty({ example: 'Bad Request' }) title: string;
  @ApiProperty({ type: 'integer', minimum: 400, maximum: 599, example: 400 }) status: number;
  @ApiProperty() detail: string;
  @ApiProperty({ description: 'Stable machine-readable reason', example: 'validation_failed' }) code: string;
  @ApiPropertyOptional({ description: 'The request path' }) instance?: string;
  @ApiPropertyOptional({ type: [FieldErrorResponse], description: 'Field errors (validation_failed)' })
  errors?: FieldErrorResponse[];
}

/** The response object of a problem status, as it appears in the document. */
export function problemResponseObject(status: number | 'default') {
  return {
    description: status === 'default' ? 'Any other error' : (STATUS_CODES[status] ?? 'Error'),
    content: { 'application/problem+json': { schema: { $ref: getSchemaPath(ProblemResponse) } } },
  };
}

/** Documents the problem+json answers an operation (or every operation of a controller) gives. */
export function ApiProblems(...statuses: number[]) {
  return applyDecorators(
    ApiExtraModels(ProblemResponse),
    ...statuses.map((status) => ApiResponse({ status, ...problemResponseObject(status) })),
  );
}
