import { Body, Controller, Get, HttpCode, Ip, Param, Post, Put, Query } from '@nestjs/common';
import { ApiCreatedResponse, ApiOkResponse, ApiTags, ApiTooManyRequestsResponse } from '@nestjs/swagger';
import { Actor, CurrentActor } from '../common/context';
import { IdPipe } from '../common/ids';
import { Authenticated, Public } from './auth.decorators';
import { AuthService } from './auth.service';
import { ROLES } from './domain/roles';
import { CreateOrgUnitDto, CreateUserDto, ListQueryDto, LoginDto, MeView, OrgUnitView, SetRolesDto, TokenView, UserView } from './dto/access.dto';
import { OrgUnitsService } from './org-units.service';
import { UsersService } from './users.service';

@ApiTags('auth')
@Controller('api/v1/auth')
export class AuthController {
  constructor(private readonly auth: AuthService) {}

  @Post('login')
  @Public()
  @HttpCode(200)
  @ApiOkResponse({ type: TokenView })
  @ApiTooManyRequestsResponse({ description: 'TOO_MANY_ATTEMPTS' })
  login(@Body() dto: LoginDto, @Ip() address: string): Promise<TokenView> {
    return this.auth.login(dto.username, dto.password, address);
  }

  @Get('me')
  @Authenticated(...ROLES)
  @ApiOkResponse({ type: MeView })
  me(@CurrentActor() actor: Actor): Promise<MeView> {
    return this.auth.me(actor);
  }
}

@ApiTags('admin')
@Controller('api/v1/admin/users')
export class UsersController {
  constructor(private readonly users: UsersService) {}

  @Post()
  @Authenticated('admin')
  @ApiCreatedResponse({ type: UserView })
  create(@CurrentActor() actor: Actor, @Body() dto: CreateUserDto): Promise<UserView> {
    return this.users.create(actor, dto);
  }

  @Get()
  @Authenticated('admin', 'auditor')
  @ApiOkResponse({ type: [UserView] })
  list(@CurrentActor() actor: Actor, @Query() q: ListQueryDto): Promise<UserView[]> {
    return this.users.list(actor, q.afterId, q.limit);
  }

  @Get(':id')
  @Authenticated('admin', 'auditor')
  @ApiOkResponse({ type: UserView })
  get(@CurrentActor() actor: Actor, @Param('id', IdPipe) id: number): Promise<UserView> {
    return this.users.get(actor, id);
  }

  @Put(':id/roles')
  @Authenticated('admin')
  @ApiOkResponse({ type: UserView })
  setRoles(@CurrentActor() actor: Actor, @Param('id', IdPipe) id: number, @Body() dto: SetRolesDto): Promise<UserView> {
    return this.users.setRoles(actor, id, dto.roles);
  }

  @Post(':id/disable')
  @HttpCode(200)
  @Authenticated('admin')
  @ApiOkResponse({ type: UserView })
  disable(@CurrentActor() actor: Actor, @Param('id', IdPipe) id: number): Promise<UserView> {
    return this.users.disable(actor, id);
  }
}

@ApiTags('admin')
@Controller('api/v1/org-units')
export class OrgUnitsController {
  constructor(private readonly units: OrgUnitsService) {}

  @Post()
  @Authenticated('admin')
  @ApiCreatedResponse({ type: OrgUnitView })
  create(@CurrentActor() actor: Actor, @Body() dto: CreateOrgUnitDto): Promise<OrgUnitView> {
    return this.units.create(actor, dto);
  }

  @Get()
  @Authenticated(...ROLES)
  @ApiOkResponse({ type: [OrgUnitView] })
  list(@CurrentActor() actor: Actor, @Query() q: ListQueryDto): Promise<OrgUnitView[]> {
    return this.units.list(actor, q.afterId, q.limit);
  }

  @Get(':id')
  @Authenticated(...ROLES)
  @ApiOkResponse({ type: OrgUnitView })
  get(@CurrentActor() actor: Actor, @Param('id', IdPipe) id: number): Promise<OrgUnitView> {
    return this.units.get(actor, id);
  }
}
