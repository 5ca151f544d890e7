CREATE TABLE "studies" (
	"id" uuid PRIMARY KEY NOT NULL,
	"sender_org_id" uuid NOT NULL,
	"sender_user_id" uuid,
	"sender_mailbox_id" uuid,
	"sender_key_version" integer NOT NULL,
	"recipient_org_id" uuid NOT NULL,
	"recipient_mailbox_id" uuid NOT NULL,
	"recipient_key_version" integer NOT NULL,
	"manifest_enc" text NOT NULL,
	"key_for_recipient" text NOT NULL,
	"key_for_sender" text NOT NULL,
	"signature" text NOT NULL,
	"file_count" integer NOT NULL,
	"bytes" bigint NOT NULL,
	"complete" boolean DEFAULT false NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"completed_at" timestamp with time zone,
	"delivered_at" text,
	"delivered_by" uuid,
	"delivered_sig" text,
	"opened_at" text,
	"opened_by" uuid,
	"opened_sig" text,
	"recipient_deleted_at" timestamp with time zone,
	"sender_deleted_at" timestamp with time zone
);
--> statement-breakpoint
CREATE TABLE "study_files" (
	"study_id" uuid NOT NULL,
	"file_id" uuid NOT NULL,
	"bytes" bigint NOT NULL,
	"complete" boolean DEFAULT false NOT NULL,
	CONSTRAINT "study_files_study_id_file_id_pk" PRIMARY KEY("study_id","file_id")
);
--> statement-breakpoint
ALTER TABLE "organisations" ADD COLUMN "study_retention_days" integer;--> statement-breakpoint
ALTER TABLE "studies" ADD CONSTRAINT "studies_sender_org_id_organisations_id_fk" FOREIGN KEY ("sender_org_id") REFERENCES "public"."organisations"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "studies" ADD CONSTRAINT "studies_sender_user_id_users_id_fk" FOREIGN KEY ("sender_user_id") REFERENCES "public"."users"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "studies" ADD CONSTRAINT "studies_sender_mailbox_id_mailboxes_id_fk" FOREIGN KEY ("sender_mailbox_id") REFERENCES "public"."mailboxes"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "studies" ADD CONSTRAINT "studies_recipient_org_id_organisations_id_fk" FOREIGN KEY ("recipient_org_id") REFERENCES "public"."organisations"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "studies" ADD CONSTRAINT "studies_recipient_mailbox_id_mailboxes_id_fk" FOREIGN KEY ("recipient_mailbox_id") REFERENCES "public"."mailboxes"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "studies" ADD CONSTRAINT "studies_delivered_by_users_id_fk" FOREIGN KEY ("delivered_by") REFERENCES "public"."users"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "studies" ADD CONSTRAINT "studies_opened_by_users_id_fk" FOREIGN KEY ("opened_by") REFERENCES "public"."users"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "study_files" ADD CONSTRAINT "study_files_study_id_studies_id_fk" FOREIGN KEY ("study_id") REFERENCES "public"."studies"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "studies_recipient_idx" ON "studies" USING btree ("recipient_mailbox_id","created_at");--> statement-breakpoint
CREATE INDEX "studies_sender_idx" ON "studies" USING btree ("sender_org_id","created_at");