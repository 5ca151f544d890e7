ALTER TABLE "appointments" ALTER COLUMN "patient_lookup" DROP NOT NULL;--> statement-breakpoint
ALTER TABLE "appointments" ALTER COLUMN "host_lookup" DROP NOT NULL;--> statement-breakpoint
ALTER TABLE "appointments" ALTER COLUMN "host_wrap" DROP NOT NULL;--> statement-breakpoint
ALTER TABLE "call_participants" ADD COLUMN "device_id" uuid;