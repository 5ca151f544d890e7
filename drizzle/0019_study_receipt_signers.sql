ALTER TABLE "studies" ADD COLUMN "delivered_signer" jsonb;--> statement-breakpoint
ALTER TABLE "studies" ADD COLUMN "opened_signer" jsonb;--> statement-breakpoint
-- Receipts filed before: keep their signers as they are now (what the sender's browser checked them with so far).
UPDATE "studies" SET "delivered_signer" = (SELECT jsonb_build_object('userId', u."id", 'orgId', u."org_id", 'x25519Public', u."x25519_public", 'ed25519Public', u."ed25519_public", 'memberCert', u."member_cert", 'shortName', u."short_name") FROM "users" u WHERE u."id" = "studies"."delivered_by") WHERE "delivered_by" IS NOT NULL;--> statement-breakpoint
UPDATE "studies" SET "opened_signer" = (SELECT jsonb_build_object('userId', u."id", 'orgId', u."org_id", 'x25519Public', u."x25519_public", 'ed25519Public', u."ed25519_public", 'memberCert', u."member_cert", 'shortName', u."short_name") FROM "users" u WHERE u."id" = "studies"."opened_by") WHERE "opened_by" IS NOT NULL;
