import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { FacilitiesModule } from '../facilities/facilities.module';
import { RelativeLinkEntity } from './entities/relative-link.entity';
import { LinksController } from './links.controller';
import { LinksFollowPrisoner } from './links-follow-prisoner.handler';
import { RelativeLinksRepository } from './relative-links.repository';
import { RelativeLinksService } from './relative-links.service';

/** Relatives' links to prisoners (long visits come next). */
@Module({
  imports: [TypeOrmModule.forFeature([RelativeLinkEntity]), FacilitiesModule],
  controllers: [LinksController],
  providers: [RelativeLinksRepository, RelativeLinksService, LinksFollowPrisoner],
  exports: [RelativeLinksService],
})
export class VisitsModule {}
