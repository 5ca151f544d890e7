CREATE TABLE "colleague_call_signals" (
	"id" bigserial PRIMARY KEY NOT NULL,
	"call_id" uuid NOT NULL,
	"to_user_id" uuid NOT NULL,
	"payload" text NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "colleague_calls" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"org_id" uuid NOT NULL,
	"caller_id" uuid NOT NULL,
	"callee_id" uuid NOT NULL,
	"state" text NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"answered_at" timestamp with time zone,
	"ended_at" timestamp with time zone
);
--> statement-breakpoint
ALTER TABLE "colleague_call_signals" ADD CONSTRAINT "colleague_call_signals_call_id_colleague_calls_id_fk" FOREIGN KEY ("call_id") REFERENCES "public"."colleague_calls"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "colleague_calls" ADD CONSTRAINT "colleague_calls_org_id_organisations_id_fk" FOREIGN KEY ("org_id") REFERENCES "public"."organisations"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "colleague_calls" ADD CONSTRAINT "colleague_calls_caller_id_users_id_fk" FOREIGN KEY ("caller_id") REFERENCES "public"."users"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "colleague_calls" ADD CONSTRAINT "colleague_calls_callee_id_users_id_fk" FOREIGN KEY ("callee_id") REFERENCES "public"."users"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "colleague_call_signals_call_idx" ON "colleague_call_signals" USING btree ("call_id","to_user_id","id");--> statement-breakpoint
CREATE INDEX "colleague_calls_callee_idx" ON "colleague_calls" USING btree ("callee_id","created_at");--> statement-breakpoint
CREATE INDEX "colleague_calls_ringing_idx" ON "colleague_calls" USING btree ("state","created_at");