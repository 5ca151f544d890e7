CREATE EXTENSION IF NOT EXISTS pg_trgm;--> statement-breakpoint
CREATE TABLE "directory_terms" (
	"term" text PRIMARY KEY NOT NULL
);
--> statement-breakpoint
CREATE TABLE "partner_pins" (
	"org_id" uuid NOT NULL,
	"partner_id" uuid NOT NULL,
	"pin_enc" text NOT NULL,
	"signature" text NOT NULL,
	"signed_by" uuid,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "partner_pins_org_id_partner_id_pk" PRIMARY KEY("org_id","partner_id")
);
--> statement-breakpoint
ALTER TABLE "organisations" ADD COLUMN "directory_words" text[];--> statement-breakpoint
ALTER TABLE "partner_pins" ADD CONSTRAINT "partner_pins_org_id_organisations_id_fk" FOREIGN KEY ("org_id") REFERENCES "public"."organisations"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "partner_pins" ADD CONSTRAINT "partner_pins_signed_by_users_id_fk" FOREIGN KEY ("signed_by") REFERENCES "public"."users"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "directory_terms_trgm_idx" ON "directory_terms" USING gin ("term" gin_trgm_ops);--> statement-breakpoint
CREATE INDEX "organisations_directory_words_idx" ON "organisations" USING gin ("directory_words") WHERE "organisations"."directory_words" is not null;--> statement-breakpoint
UPDATE "organisations" SET "directory_words" = regexp_split_to_array(trim(regexp_replace(replace(replace(replace(replace(lower(concat_ws(' ', "name", "org_type", "specialty", "plz", "city", "street")), 'ä', 'ae'), 'ö', 'oe'), 'ü', 'ue'), 'ß', 'ss'), '[^a-z0-9]+', ' ', 'g')), ' ') WHERE "directory_visible";--> statement-breakpoint
INSERT INTO "directory_terms" ("term") SELECT DISTINCT unnest("directory_words") FROM "organisations" WHERE "directory_words" IS NOT NULL ON CONFLICT DO NOTHING;
