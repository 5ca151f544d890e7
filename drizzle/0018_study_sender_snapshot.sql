ALTER TABLE "studies" DROP CONSTRAINT "studies_sender_org_id_organisations_id_fk";
--> statement-breakpoint
ALTER TABLE "studies" ALTER COLUMN "sender_org_id" DROP NOT NULL;--> statement-breakpoint
ALTER TABLE "studies" ADD COLUMN "sender_snapshot" jsonb;--> statement-breakpoint
ALTER TABLE "studies" ADD CONSTRAINT "studies_sender_org_id_organisations_id_fk" FOREIGN KEY ("sender_org_id") REFERENCES "public"."organisations"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
-- Studies registered before the snapshot: keep the sender's keys as they are now (what the recipient's browser checked them with so far).
UPDATE "studies" SET "sender_snapshot" = jsonb_build_object(
	'orgId', o."id", 'orgName', o."name", 'publicKey', o."public_key", 'signPublic', o."sign_public", 'mailboxId', "studies"."sender_mailbox_id",
	'user', (SELECT jsonb_build_object('userId', u."id", 'orgId', u."org_id", 'x25519Public', u."x25519_public", 'ed25519Public', u."ed25519_public", 'memberCert', u."member_cert", 'shortName', u."short_name") FROM "users" u WHERE u."id" = "studies"."sender_user_id")
) FROM "organisations" o WHERE o."id" = "studies"."sender_org_id" AND "studies"."sender_mailbox_id" IS NOT NULL;
