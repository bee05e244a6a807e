import { Param } from '@nestjs/common';
import { uuidPipe } from './validation';

/** `@UuidParam('id')`: a path parameter validated as a UUID (400 otherwise). */
export const UuidParam = (name: string): ParameterDecorator => Param(name, uuidPipe(name));
