CREATE TABLE "retained_records" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"kind" text NOT NULL,
	"former_org_id" uuid NOT NULL,
	"reference" text NOT NULL,
	"data" jsonb NOT NULL,
	"retain_until" date NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "retained_records_kind_reference_key" UNIQUE("kind","reference")
);
--> statement-breakpoint
CREATE INDEX "retained_records_until_idx" ON "retained_records" USING btree ("retain_until");