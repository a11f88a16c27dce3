import { Injectable, NestMiddleware } from '@nestjs/common';
import type { NextFunction, Response } from 'express';
import { RequestWithActor } from '../common/context';
import { CountyService } from './county.service';

/** Sets who acts on each request. Until access control lands: `anonymous`, in the configured county. */
@Injectable()
export class RequestActorMiddleware implements NestMiddleware {
  constructor(private readonly counties: CountyService) {}

  use(req: RequestWithActor, _res: Response, next: NextFunction): void {
    req.actor = { county: this.counties.county, actor: 'anonymous' };
    next();
  }
}
