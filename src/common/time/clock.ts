import { Injectable } from '@nestjs/common';

/** The only source of "now" for use cases; tests replace it to make time exact. */
@Injectable()
export class Clock {
  now(): Date {
    return new Date();
  }
}
