import { MiddlewareConsumer, Module, NestModule } from '@nestjs/common';
import { AuditModule } from '../audit/audit.module';
import { CountyService } from './county.service';
import { RequestActorMiddleware } from './request-actor.middleware';

@Module({
  imports: [AuditModule],
  providers: [CountyService],
  exports: [CountyService],
})
export class CountyModule implements NestModule {
  configure(consumer: MiddlewareConsumer): void {
    consumer.apply(RequestActorMiddleware).forRoutes('*path');
  }
}
