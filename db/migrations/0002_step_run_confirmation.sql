ALTER TABLE "step_runs" ADD COLUMN "confirmed_by" text;--> statement-breakpoint
ALTER TABLE "step_runs" ADD COLUMN "confirmed_at" timestamp with time zone;