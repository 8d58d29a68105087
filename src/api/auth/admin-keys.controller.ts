import { Body, Controller, Delete, Get, HttpCode, NotFoundException, Param, Post } from '@nestjs/common';
import { ApiBearerAuth, ApiCreatedResponse, ApiOkResponse, ApiOperation, ApiProperty, ApiPropertyOptional, ApiTags } from '@nestjs/swagger';
import { ArrayNotEmpty, ArrayUnique, IsArray, IsIn, IsInt, IsOptional, IsString, IsUUID, Matches, Max, MaxLength, Min, MinLength } from 'class-validator';
import { SCOPES, type Scope } from './api-keys.repository.js';
import { ApiKeysService } from './api-keys.service.js';
import { RequireScope } from './auth.decorators.js';

class CreateKeyBody {
  @ApiProperty({ example: 'trading-dashboard' })
  @IsString() @MinLength(1) @MaxLength(100) @Matches(/^[\w .:-]+$/, { message: 'name may contain letters, digits, space, _ . : -' })
  name!: string;

  @ApiProperty({ example: ['read', 'search'], enum: SCOPES, isArray: true })
  @IsArray() @ArrayNotEmpty() @ArrayUnique() @IsIn(SCOPES, { each: true, message: `each scope must be one of ${SCOPES.join(', ')}` })
  scopes!: Scope[];

  @ApiPropertyOptional({ example: 120, description: 'Requests per minute for this key (default API_RATE_LIMIT_PER_MIN).' })
  @IsOptional() @IsInt() @Min(1) @Max(1_000_000)
  rateLimitPerMin?: number;
}

class ApiKeyDto {
  @ApiProperty({ example: '6f1c2a3e-0c1b-4d7e-9a51-2f2b7c1d9e10' }) id!: string;
  @ApiProperty({ example: 'trading-dashboard' }) name!: string;
  @ApiProperty({ example: 'sift_Ab12Cd3' }) prefix!: string;
  @ApiProperty({ enum: SCOPES, isArray: true }) scopes!: Scope[];
  @ApiProperty({ nullable: true, type: Number, example: 120 }) rateLimitPerMin!: number | null;
  @ApiProperty({ example: '2026-11-24T08:00:00.000Z' }) createdAt!: string;
  @ApiProperty({ nullable: true, type: String, example: null }) revokedAt!: string | null;
  @ApiProperty({ nullable: true, type: String, example: null }) lastUsedAt!: string | null;
}

class CreatedKeyDto extends ApiKeyDto {
  @ApiProperty({ example: 'sift_Ab12Cd3…', description: 'The secret. Shown once: only its hash is stored.' }) key!: string;
}

class KeyIdParam {
  @ApiProperty() @IsUUID('all', { message: 'id must be a key id (uuid)' }) id!: string;
}

@ApiTags('admin')
@ApiBearerAuth()
@RequireScope('admin')
@Controller('admin/keys')
export class AdminKeysController {
  constructor(private readonly keys: ApiKeysService) {}

  @Post()
  @ApiOperation({ summary: 'Create an API key. The secret is in the response only.' })
  @ApiCreatedResponse({ type: CreatedKeyDto })
  create(@Body() body: CreateKeyBody): Promise<CreatedKeyDto> {
    return this.keys.create(body);
  }

  @Get()
  @ApiOperation({ summary: 'List keys (never their secrets).' })
  @ApiOkResponse({ type: [ApiKeyDto] })
  list(): Promise<ApiKeyDto[]> {
    return this.keys.list();
  }

  @Delete(':id')
  @HttpCode(204)
  @ApiOperation({ summary: 'Revoke a key; every api instance stops accepting it at once.' })
  async revoke(@Param() p: KeyIdParam): Promise<void> {
    if (!(await this.keys.revoke(p.id))) throw new NotFoundException(`no active key ${p.id}`);
  }
}
