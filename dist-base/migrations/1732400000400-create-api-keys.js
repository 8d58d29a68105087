/** API keys: only a SHA-256 of the secret is stored; the secret is shown once at creation. */
export class CreateApiKeys1732400000400 {
    name = 'CreateApiKeys1732400000400';
    async up(q) {
        await q.query(`CREATE TABLE "api_keys" ("id" uuid NOT NULL DEFAULT gen_random_uuid(), "name" text NOT NULL, "prefix" text NOT NULL, "secret_hash" text NOT NULL, "scopes" text array NOT NULL, "rate_limit_per_min" integer, "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), "revoked_at" TIMESTAMP WITH TIME ZONE, "last_used_at" TIMESTAMP WITH TIME ZONE, CONSTRAINT "uq_api_keys_secret_hash" UNIQUE ("secret_hash"), CONSTRAINT "PK_api_keys" PRIMARY KEY ("id"))`);
    }
    async down(q) {
        await q.query(`DROP TABLE "api_keys"`);
    }
}
//# sourceMappingURL=1732400000400-create-api-keys.js.map