import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { ArrayMaxSize, ArrayMinSize, IsArray, IsIn, IsInt, IsString, Matches, Max, MaxLength, Min, MinLength } from 'class-validator';
import { IdPageQueryDto } from '../../common/pagination';
import { MIN_PASSWORD_LENGTH } from '../domain/password-policy';
import { ORG_LEVELS, OrgLevel, ROLES, Role } from '../domain/roles';

const PASSWORD_RULE = `At least ${MIN_PASSWORD_LENGTH} characters, not easily guessed (no common passwords, repeats, sequences or the person's own names)`;

export class LoginDto {
  @ApiProperty({ example: 'finance1' })
  @IsString()
  @MinLength(1)
  @MaxLength(200)
  username: string;

  @ApiProperty({ example: 'a long passphrase' })
  @IsString()
  @MinLength(1)
  @MaxLength(200)
  password: string;
}

export class TokenView {
  @ApiProperty() accessToken: string;
  @ApiProperty({ description: 'Seconds until the token expires' }) expiresIn: number;
}

export class UserView {
  @ApiProperty() id: number;
  @ApiProperty() username: string;
  @ApiProperty() displayName: string;
  @ApiProperty() orgUnitId: number;
  @ApiProperty({ enum: ROLES, isArray: true }) roles: Role[];
  @ApiProperty() disabled: boolean;
}

export class MeView extends UserView {
  @ApiProperty() county: string;
  @ApiProperty({ description: "The user's org unit path, e.g. /1/4/" }) orgUnitPath: string;
  @ApiProperty({ description: 'The password was set by someone else: until the user sets their own, every other route answers 403 PASSWORD_CHANGE_REQUIRED' })
  passwordChangeRequired: boolean;
}

export class CreateUserDto {
  @ApiProperty({ example: 'finance1', description: '3-64 letters, digits, . _ -' })
  @Matches(/^[A-Za-z0-9._-]{3,64}$/, { message: 'username must be 3-64 letters, digits, . _ or -' })
  username: string;

  @ApiProperty({ example: '王會計' })
  @IsString()
  @MinLength(1)
  @MaxLength(100)
  displayName: string;

  @ApiProperty({ description: PASSWORD_RULE })
  @IsString()
  @MinLength(MIN_PASSWORD_LENGTH)
  @MaxLength(200)
  password: string;

  @ApiProperty({
    description: 'The unit must be of the level every role is held at: county roles at the county unit, township_finance at a township, village at a village',
  })
  @IsInt()
  @Min(1)
  @Max(2_147_483_647)
  orgUnitId: number;

  @ApiProperty({ enum: ROLES, isArray: true })
  @IsArray()
  @ArrayMinSize(1)
  @ArrayMaxSize(ROLES.length)
  @IsIn(ROLES, { each: true })
  roles: Role[];
}

export class ChangePasswordDto {
  @ApiProperty()
  @IsString()
  @MinLength(1)
  @MaxLength(200)
  currentPassword: string;

  @ApiProperty({ description: `${PASSWORD_RULE}; different from the current one` })
  @IsString()
  @MinLength(MIN_PASSWORD_LENGTH)
  @MaxLength(200)
  newPassword: string;
}

export class ResetPasswordDto {
  @ApiProperty({ description: `${PASSWORD_RULE}. The user must change it at their next login` })
  @IsString()
  @MinLength(MIN_PASSWORD_LENGTH)
  @MaxLength(200)
  password: string;
}

export class SetRolesDto {
  @ApiProperty({ enum: ROLES, isArray: true })
  @IsArray()
  @ArrayMinSize(1)
  @ArrayMaxSize(ROLES.length)
  @IsIn(ROLES, { each: true })
  roles: Role[];
}

export class CreateOrgUnitDto {
  @ApiProperty({ description: 'The township (for a village) or the county unit (for a township)' })
  @IsInt()
  @Min(1)
  @Max(2_147_483_647)
  parentId: number;

  @ApiProperty({ example: '421124101' })
  @Matches(/^[0-9A-Za-z_-]{1,32}$/, { message: 'code must be 1-32 letters, digits, _ or -' })
  code: string;

  @ApiProperty({ example: '溫泉鎮' })
  @IsString()
  @MinLength(1)
  @MaxLength(100)
  name: string;
}

export class OrgUnitView {
  @ApiProperty() id: number;
  @ApiPropertyOptional({ nullable: true }) parentId: number | null;
  @ApiProperty({ enum: ORG_LEVELS }) level: OrgLevel;
  @ApiProperty() code: string;
  @ApiProperty() name: string;
  @ApiProperty() path: string;
}

export class ListQueryDto extends IdPageQueryDto {}
