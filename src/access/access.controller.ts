import { Body, Controller, Get, HttpCode, Ip, Param, Post, Put, Query } from '@nestjs/common';
import { ApiCreatedResponse, ApiOkResponse, ApiOperation, ApiTags, ApiTooManyRequestsResponse } from '@nestjs/swagger';
import { Actor, CurrentActor } from '../common/context';
import { IdPipe } from '../common/ids';
import { Authenticated, OpenDuringPasswordChange, Public } from './auth.decorators';
import { AuthService } from './auth.service';
import { ROLES } from './domain/roles';
import {
  ChangePasswordDto,
  CreateOrgUnitDto,
  CreateUserDto,
  ListQueryDto,
  LoginDto,
  MeView,
  OrgUnitView,
  ResetPasswordDto,
  SetRolesDto,
  TokenView,
  UserView,
} from './dto/access.dto';
import { OrgUnitsService } from './org-units.service';
import { UsersService } from './users.service';

@ApiTags('auth')
@Controller('api/v1/auth')
export class AuthController {
  constructor(private readonly auth: AuthService) {}

  @Post('login')
  @ApiOperation({
    summary: 'Sign in and get an access token',
    description:
      'Answers a JWT to send as `Authorization: Bearer <accessToken>`, valid `expiresIn` seconds. Every failure is the same ' +
      '401 INVALID_CREDENTIALS; after repeated failures for a username from one client address, or from one address, 429 TOO_MANY_ATTEMPTS before the ' +
      'password is checked.',
  })
  @Public()
  @HttpCode(200)
  @ApiOkResponse({ type: TokenView })
  @ApiTooManyRequestsResponse({ description: 'TOO_MANY_ATTEMPTS' })
  login(@Body() dto: LoginDto, @Ip() address: string): Promise<TokenView> {
    return this.auth.login(dto.username, dto.password, address);
  }

  @Get('me')
  @ApiOperation({ summary: 'The signed-in user: roles, org unit and county' })
  @Authenticated(...ROLES)
  @OpenDuringPasswordChange()
  @ApiOkResponse({ type: MeView })
  me(@CurrentActor() actor: Actor): Promise<MeView> {
    return this.auth.me(actor);
  }

  @Post('password')
  @ApiOperation({
    summary: 'Change your own password',
    description:
      'Any signed-in user, also one who must change a password set by someone else. A wrong currentPassword is 400 ' +
      'VALIDATION_FAILED on `currentPassword` and counts as a failed login (429 TOO_MANY_ATTEMPTS when repeated); a weak or ' +
      'unchanged newPassword is 400 on `newPassword`, saying why. Every earlier token of the user stops working; the answer ' +
      'is a fresh one.',
  })
  @Authenticated(...ROLES)
  @OpenDuringPasswordChange()
  @HttpCode(200)
  @ApiOkResponse({ type: TokenView })
  @ApiTooManyRequestsResponse({ description: 'TOO_MANY_ATTEMPTS' })
  changePassword(@CurrentActor() actor: Actor, @Body() dto: ChangePasswordDto, @Ip() address: string): Promise<TokenView> {
    return this.auth.changePassword(actor, dto, address);
  }
}

@ApiTags('admin')
@Controller('api/v1/admin/users')
export class UsersController {
  constructor(private readonly users: UsersService) {}

  @Post()
  @ApiOperation({
    summary: 'Create a user with a first password and roles',
    description:
      'Admin only. `admin` may be combined only with `auditor`; every role must be held at its level of unit (county roles at ' +
      'the county unit, township_finance at a township, village at a village). The password is at least 12 characters, not ' +
      'easily guessed, and is never returned.',
  })
  @Authenticated('admin')
  @ApiCreatedResponse({ type: UserView })
  create(@CurrentActor() actor: Actor, @Body() dto: CreateUserDto): Promise<UserView> {
    return this.users.create(actor, dto);
  }

  @Get()
  @ApiOperation({ summary: 'List the county’s users', description: 'Admins and auditors; pages by `afterId` and `limit`.' })
  @Authenticated('admin', 'auditor')
  @ApiOkResponse({ type: [UserView] })
  list(@CurrentActor() actor: Actor, @Query() q: ListQueryDto): Promise<UserView[]> {
    return this.users.list(actor, q.afterId, q.limit);
  }

  @Get(':id')
  @ApiOperation({ summary: 'Get a user' })
  @Authenticated('admin', 'auditor')
  @ApiOkResponse({ type: UserView })
  get(@CurrentActor() actor: Actor, @Param('id', IdPipe) id: number): Promise<UserView> {
    return this.users.get(actor, id);
  }

  @Put(':id/roles')
  @ApiOperation({
    summary: 'Replace a user’s roles',
    description: 'Admin only. Nobody changes their own roles, and the county always keeps an enabled admin (409 INVALID_STATE otherwise).',
  })
  @Authenticated('admin')
  @ApiOkResponse({ type: UserView })
  setRoles(@CurrentActor() actor: Actor, @Param('id', IdPipe) id: number, @Body() dto: SetRolesDto): Promise<UserView> {
    return this.users.setRoles(actor, id, dto.roles);
  }

  @Post(':id/disable')
  @ApiOperation({
    summary: 'Disable a user',
    description: 'Admin only; the user’s tokens stop working at once. Nobody disables themselves, and the county always keeps an enabled admin.',
  })
  @HttpCode(200)
  @Authenticated('admin')
  @ApiOkResponse({ type: UserView })
  disable(@CurrentActor() actor: Actor, @Param('id', IdPipe) id: number): Promise<UserView> {
    return this.users.disable(actor, id);
  }

  @Post(':id/password')
  @ApiOperation({
    summary: 'Reset a user’s password',
    description:
      'Admin only, for another user (your own: POST /api/v1/auth/password). The user’s tokens stop working, and after their ' +
      'next login every route but GET /auth/me and POST /auth/password answers 403 PASSWORD_CHANGE_REQUIRED until they set ' +
      'their own. A weak password is 400 VALIDATION_FAILED on `password`.',
  })
  @HttpCode(200)
  @Authenticated('admin')
  @ApiOkResponse({ type: UserView })
  resetPassword(@CurrentActor() actor: Actor, @Param('id', IdPipe) id: number, @Body() dto: ResetPasswordDto): Promise<UserView> {
    return this.users.resetPassword(actor, id, dto.password);
  }
}

@ApiTags('admin')
@Controller('api/v1/org-units')
export class OrgUnitsController {
  constructor(private readonly units: OrgUnitsService) {}

  @Post()
  @ApiOperation({
    summary: 'Create an org unit',
    description: 'A township under the county or a village under a township; the database refuses any other shape.',
  })
  @Authenticated('admin')
  @ApiCreatedResponse({ type: OrgUnitView })
  create(@CurrentActor() actor: Actor, @Body() dto: CreateOrgUnitDto): Promise<OrgUnitView> {
    return this.units.create(actor, dto);
  }

  @Get()
  @ApiOperation({ summary: 'List org units', description: 'Township and village users see their own unit’s subtree only; pages by `afterId` and `limit`.' })
  @Authenticated(...ROLES)
  @ApiOkResponse({ type: [OrgUnitView] })
  list(@CurrentActor() actor: Actor, @Query() q: ListQueryDto): Promise<OrgUnitView[]> {
    return this.units.list(actor, q.afterId, q.limit);
  }

  @Get(':id')
  @ApiOperation({ summary: 'Get an org unit', description: 'A unit outside the caller’s scope is 404.' })
  @Authenticated(...ROLES)
  @ApiOkResponse({ type: OrgUnitView })
  get(@CurrentActor() actor: Actor, @Param('id', IdPipe) id: number): Promise<OrgUnitView> {
    return this.units.get(actor, id);
  }
}
