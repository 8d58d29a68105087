var __decorate = (this && this.__decorate) || function (decorators, target, key, desc) {
    var c = arguments.length, r = c < 3 ? target : desc === null ? desc = Object.getOwnPropertyDescriptor(target, key) : desc, d;
    if (typeof Reflect === "object" && typeof Reflect.decorate === "function") r = Reflect.decorate(decorators, target, key, desc);
    else for (var i = decorators.length - 1; i >= 0; i--) if (d = decorators[i]) r = (c < 3 ? d(r) : c > 3 ? d(target, key, r) : d(target, key)) || r;
    return c > 3 && r && Object.defineProperty(target, key, r), r;
};
var __metadata = (this && this.__metadata) || function (k, v) {
    if (typeof Reflect === "object" && typeof Reflect.metadata === "function") return Reflect.metadata(k, v);
};
var __param = (this && this.__param) || function (paramIndex, decorator) {
    return function (target, key) { decorator(target, key, paramIndex); }
};
import { Body, Controller, Delete, Get, HttpCode, NotFoundException, Param, Post } from '@nestjs/common';
import { ApiBearerAuth, ApiCreatedResponse, ApiOkResponse, ApiOperation, ApiProperty, ApiPropertyOptional, ApiTags } from '@nestjs/swagger';
import { ArrayNotEmpty, ArrayUnique, IsArray, IsIn, IsInt, IsOptional, IsString, IsUUID, Matches, Max, MaxLength, Min, MinLength } from 'class-validator';
import { SCOPES } from './api-keys.repository.js';
import { ApiKeysService } from './api-keys.service.js';
import { RequireScope } from './auth.decorators.js';
class CreateKeyBody {
    name;
    scopes;
    rateLimitPerMin;
}
__decorate([
    ApiProperty({ example: 'trading-dashboard' }),
    IsString(),
    MinLength(1),
    MaxLength(100),
    Matches(/^[\w .:-]+$/, { message: 'name may contain letters, digits, space, _ . : -' }),
    __metadata("design:type", String)
], CreateKeyBody.prototype, "name", void 0);
__decorate([
    ApiProperty({ example: ['read', 'search'], enum: SCOPES, isArray: true }),
    IsArray(),
    ArrayNotEmpty(),
    ArrayUnique(),
    IsIn(SCOPES, { each: true, message: `each scope must be one of ${SCOPES.join(', ')}` }),
    __metadata("design:type", Array)
], CreateKeyBody.prototype, "scopes", void 0);
__decorate([
    ApiPropertyOptional({ example: 120, description: 'Requests per minute for this key (default API_RATE_LIMIT_PER_MIN).' }),
    IsOptional(),
    IsInt(),
    Min(1),
    Max(1_000_000),
    __metadata("design:type", Number)
], CreateKeyBody.prototype, "rateLimitPerMin", void 0);
class ApiKeyDto {
    id;
    name;
    prefix;
    scopes;
    rateLimitPerMin;
    createdAt;
    revokedAt;
    lastUsedAt;
}
__decorate([
    ApiProperty({ example: '6f1c2a3e-0c1b-4d7e-9a51-2f2b7c1d9e10' }),
    __metadata("design:type", String)
], ApiKeyDto.prototype, "id", void 0);
__decorate([
    ApiProperty({ example: 'trading-dashboard' }),
    __metadata("design:type", String)
], ApiKeyDto.prototype, "name", void 0);
__decorate([
    ApiProperty({ example: 'sift_Ab12Cd3' }),
    __metadata("design:type", String)
], ApiKeyDto.prototype, "prefix", void 0);
__decorate([
    ApiProperty({ enum: SCOPES, isArray: true }),
    __metadata("design:type", Array)
], ApiKeyDto.prototype, "scopes", void 0);
__decorate([
    ApiProperty({ nullable: true, type: Number, example: 120 }),
    __metadata("design:type", Object)
], ApiKeyDto.prototype, "rateLimitPerMin", void 0);
__decorate([
    ApiProperty({ example: '2026-11-24T08:00:00.000Z' }),
    __metadata("design:type", String)
], ApiKeyDto.prototype, "createdAt", void 0);
__decorate([
    ApiProperty({ nullable: true, type: String, example: null }),
    __metadata("design:type", Object)
], ApiKeyDto.prototype, "revokedAt", void 0);
__decorate([
    ApiProperty({ nullable: true, type: String, example: null }),
    __metadata("design:type", Object)
], ApiKeyDto.prototype, "lastUsedAt", void 0);
class CreatedKeyDto extends ApiKeyDto {
    key;
}
__decorate([
    ApiProperty({ example: 'sift_Ab12Cd3…', description: 'The secret. Shown once: only its hash is stored.' }),
    __metadata("design:type", String)
], CreatedKeyDto.prototype, "key", void 0);
class KeyIdParam {
    id;
}
__decorate([
    ApiProperty(),
    IsUUID('all', { message: 'id must be a key id (uuid)' }),
    __metadata("design:type", String)
], KeyIdParam.prototype, "id", void 0);
let AdminKeysController = class AdminKeysController {
    keys;
    constructor(keys) {
        this.keys = keys;
    }
    create(body) {
        return this.keys.create(body);
    }
    list() {
        return this.keys.list();
    }
    async revoke(p) {
        if (!(await this.keys.revoke(p.id)))
            throw new NotFoundException(`no active key ${p.id}`);
    }
};
__decorate([
    Post(),
    ApiOperation({ summary: 'Create an API key. The secret is in the response only.' }),
    ApiCreatedResponse({ type: CreatedKeyDto }),
    __param(0, Body()),
    __metadata("design:type", Function),
    __metadata("design:paramtypes", [CreateKeyBody]),
    __metadata("design:returntype", Promise)
], AdminKeysController.prototype, "create", null);
__decorate([
    Get(),
    ApiOperation({ summary: 'List keys (never their secrets).' }),
    ApiOkResponse({ type: [ApiKeyDto] }),
    __metadata("design:type", Function),
    __metadata("design:paramtypes", []),
    __metadata("design:returntype", Promise)
], AdminKeysController.prototype, "list", null);
__decorate([
    Delete(':id'),
    HttpCode(204),
    ApiOperation({ summary: 'Revoke a key; every api instance stops accepting it at once.' }),
    __param(0, Param()),
    __metadata("design:type", Function),
    __metadata("design:paramtypes", [KeyIdParam]),
    __metadata("design:returntype", Promise)
], AdminKeysController.prototype, "revoke", null);
AdminKeysController = __decorate([
    ApiTags('admin'),
    ApiBearerAuth(),
    RequireScope('admin'),
    Controller('admin/keys'),
    __metadata("design:paramtypes", [ApiKeysService])
], AdminKeysController);
export { AdminKeysController };
//# sourceMappingURL=admin-keys.controller.js.map