CREATE TABLE "mailbox_key_grants" (
	"mailbox_id" uuid NOT NULL,
	"version" integer NOT NULL,
	"user_id" uuid NOT NULL,
	"sealed_private" text NOT NULL,
	"signature" text NOT NULL,
	"sealed_by" uuid,
	CONSTRAINT "mailbox_key_grants_mailbox_id_version_user_id_pk" PRIMARY KEY("mailbox_id","version","user_id")
);
--> statement-breakpoint
CREATE TABLE "mailbox_keys" (
	"mailbox_id" uuid NOT NULL,
	"version" integer NOT NULL,
	"public_key" text NOT NULL,
	"cert" text NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "mailbox_keys_mailbox_id_version_pk" PRIMARY KEY("mailbox_id","version")
);
--> statement-breakpoint
CREATE TABLE "mailbox_members" (
	"mailbox_id" uuid NOT NULL,
	"user_id" uuid NOT NULL,
	CONSTRAINT "mailbox_members_mailbox_id_user_id_pk" PRIMARY KEY("mailbox_id","user_id")
);
--> statement-breakpoint
CREATE TABLE "mailboxes" (
	"id" uuid PRIMARY KEY NOT NULL,
	"org_id" uuid NOT NULL,
	"name" text NOT NULL,
	"is_main" boolean DEFAULT false NOT NULL,
	"key_version" integer NOT NULL,
	"rekey_needed" boolean DEFAULT false NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
ALTER TABLE "mailbox_key_grants" ADD CONSTRAINT "mailbox_key_grants_mailbox_id_mailboxes_id_fk" FOREIGN KEY ("mailbox_id") REFERENCES "public"."mailboxes"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "mailbox_key_grants" ADD CONSTRAINT "mailbox_key_grants_user_id_users_id_fk" FOREIGN KEY ("user_id") REFERENCES "public"."users"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "mailbox_key_grants" ADD CONSTRAINT "mailbox_key_grants_sealed_by_users_id_fk" FOREIGN KEY ("sealed_by") REFERENCES "public"."users"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "mailbox_keys" ADD CONSTRAINT "mailbox_keys_mailbox_id_mailboxes_id_fk" FOREIGN KEY ("mailbox_id") REFERENCES "public"."mailboxes"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "mailbox_members" ADD CONSTRAINT "mailbox_members_mailbox_id_mailboxes_id_fk" FOREIGN KEY ("mailbox_id") REFERENCES "public"."mailboxes"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "mailbox_members" ADD CONSTRAINT "mailbox_members_user_id_users_id_fk" FOREIGN KEY ("user_id") REFERENCES "public"."users"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "mailboxes" ADD CONSTRAINT "mailboxes_org_id_organisations_id_fk" FOREIGN KEY ("org_id") REFERENCES "public"."organisations"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
CREATE UNIQUE INDEX "mailboxes_main_idx" ON "mailboxes" USING btree ("org_id") WHERE "mailboxes"."is_main";--> statement-breakpoint
CREATE UNIQUE INDEX "mailboxes_name_idx" ON "mailboxes" USING btree ("org_id","name");