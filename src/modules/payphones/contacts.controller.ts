import { Body, Controller, Get, HttpCode, Post, Query } from '@nestjs/common';
import { ApiTags } from '@nestjs/swagger';
import { Access, CurrentPrincipal } from '../../common/auth/access.decorator';
import { Principal } from '../../common/auth/principal';
import { PHONE_READERS } from '../../common/auth/roles';
import { ApiProblems } from '../../common/http/api-problems.decorator';
import { PageQueryDto } from '../../common/http/pagination';
import { UuidParam } from '../../common/http/uuid-param.decorator';
import { UseCase } from '../../common/use-case/use-case.decorator';
import { NoBody } from '../../common/http/no-body.decorator';
import { ContactsService } from './contacts.service';
import { ContactDto, ContactPageDto, CreateContactDto, RejectContactDto } from './dto/contact.dto';

@ApiTags('payphones')
@Controller()
export class ContactsController {
  constructor(private readonly contacts: ContactsService) {}

  /**
   * Put a number on the prisoner's list, pending a phone officer's approval. A linked relative may
   * ask only for their own number (the one they registered with); only staff mark a lawyer's number
   * `legal`. The list holds at most `payphones.maxContacts` pending and approved numbers.
   */
  @Post('prisoners/:id/contacts')
  @UseCase()
  @Access({ staff: ['phone-officer'], relative: true })
  @ApiProblems(400, 401, 403, 404, 409, 422)
  request(
    @UuidParam('id') id: string,
    @Body() dto: CreateContactDto,
    @CurrentPrincipal() actor: Principal,
  ): Promise<ContactDto> {
    return this.contacts.request(id, dto, actor);
  }

  /** The prisoner's numbers, oldest first, with status and `legal`; a relative sees only their own requests. */
  @Get('prisoners/:id/contacts')
  @Access({ staff: PHONE_READERS, relative: true })
  @ApiProblems(400, 401, 403, 404)
  list(
    @UuidParam('id') id: string,
    @Query() q: PageQueryDto,
    @CurrentPrincipal() actor: Principal,
  ): Promise<ContactPageDto> {
    return this.contacts.list(id, q, actor);
  }

  /** Approve a pending number: the prisoner may call it from then on. */
  @Post('contacts/:id/approve')
  @NoBody()
  @UseCase()
  @HttpCode(200)
  @Access({ staff: ['phone-officer'] })
  @ApiProblems(400, 401, 403, 404, 422)
  approve(@UuidParam('id') id: string, @CurrentPrincipal() actor: Principal): Promise<ContactDto> {
    return this.contacts.decide(id, 'approve', null, actor);
  }

  /** Reject a pending number, with the reason. */
  @Post('contacts/:id/reject')
  @UseCase()
  @HttpCode(200)
  @Access({ staff: ['phone-officer'] })
  @ApiProblems(400, 401, 403, 404, 422)
  reject(
    @UuidParam('id') id: string,
    @Body() dto: RejectContactDto,
    @CurrentPrincipal() actor: Principal,
  ): Promise<ContactDto> {
    return this.contacts.decide(id, 'reject', dto.reason, actor);
  }

  /** Take a pending or approved number off the list (a relative: a number they asked for). */
  @Post('contacts/:id/remove')
  @NoBody()
  @UseCase()
  @HttpCode(200)
  @Access({ staff: ['phone-officer'], relative: true })
  @ApiProblems(400, 401, 403, 404, 422)
  remove(@UuidParam('id') id: string, @CurrentPrincipal() actor: Principal): Promise<ContactDto> {
    return this.contacts.remove(id, actor);
  }
}
