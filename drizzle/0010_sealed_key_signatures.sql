ALTER TABLE "organisations" ADD COLUMN "sign_public" text;--> statement-breakpoint
ALTER TABLE "organisations" ADD COLUMN "enc_sign_private" text;--> statement-breakpoint
ALTER TABLE "users" ADD COLUMN "sealed_org_key_sig" text;--> statement-breakpoint
ALTER TABLE "users" ADD COLUMN "sealed_org_key_by" uuid;--> statement-breakpoint
ALTER TABLE "users" ADD COLUMN "member_cert" text;