import { Injectable, OnModuleInit } from '@nestjs/common';
import { Env } from '../../config/env.schema';
import { setCursorKey } from './pagination';

/** Signs list cursors with a key derived from JWT_SECRET: every instance issues and accepts the same. */
@Injectable()
export class CursorKey implements OnModuleInit {
  constructor(private readonly env: Env) {}

  onModuleInit(): void {
    if (this.env.JWT_SECRET) setCursorKey(this.env.JWT_SECRET);
  }
}
