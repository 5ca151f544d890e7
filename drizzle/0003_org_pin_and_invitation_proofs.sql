ALTER TABLE "invitations" ADD COLUMN "secret_enc" text;--> statement-breakpoint
ALTER TABLE "invitations" ADD COLUMN "intro_mac" text;--> statement-breakpoint
ALTER TABLE "invitations" ADD COLUMN "key_proof" text;--> statement-breakpoint
ALTER TABLE "users" ADD COLUMN "org_pin" text;