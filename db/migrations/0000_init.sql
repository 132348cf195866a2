CREATE TABLE "anomalies" (
	"id" bigserial PRIMARY KEY NOT NULL,
	"file_sha256" text,
	"step_run_id" bigint,
	"code" text NOT NULL,
	"level" text NOT NULL,
	"label" text,
	"message" text NOT NULL,
	"subject" jsonb,
	"cause" text,
	"correction" text,
	"details" jsonb,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "anomalies_owner_check" CHECK ("anomalies"."file_sha256" is not null or "anomalies"."step_run_id" is not null),
	CONSTRAINT "anomalies_level_check" CHECK ("anomalies"."level" in ('info', 'warning', 'error', 'blocking'))
);
--> statement-breakpoint
CREATE TABLE "deposits" (
	"id" bigserial PRIMARY KEY NOT NULL,
	"uai" text NOT NULL,
	"millesime" integer NOT NULL,
	"step" text NOT NULL,
	"input_sha256" text NOT NULL,
	"target_application" text NOT NULL,
	"deposited_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "deposits_once_unique" UNIQUE("uai","millesime","step","input_sha256")
);
--> statement-breakpoint
CREATE TABLE "exchange_files" (
	"sha256" text PRIMARY KEY NOT NULL,
	"uai" text NOT NULL,
	"kind" text NOT NULL,
	"millesime" integer NOT NULL,
	"original_name" text NOT NULL,
	"bytes" bigint NOT NULL,
	"received_at" timestamp with time zone DEFAULT now() NOT NULL,
	"storage_key" text NOT NULL
);
--> statement-breakpoint
CREATE TABLE "schools" (
	"uai" text PRIMARY KEY NOT NULL,
	"name" text NOT NULL,
	"academie" text NOT NULL,
	"calendar_zone" text NOT NULL,
	"connector_kind" text DEFAULT 'sandbox' NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "schools_connector_kind_check" CHECK ("schools"."connector_kind" in ('folder', 'sandbox'))
);
--> statement-breakpoint
CREATE TABLE "step_runs" (
	"id" bigserial PRIMARY KEY NOT NULL,
	"uai" text NOT NULL,
	"millesime" integer NOT NULL,
	"step" text NOT NULL,
	"period" integer,
	"status" text DEFAULT 'pending' NOT NULL,
	"attempts" integer DEFAULT 1 NOT NULL,
	"workflow_id" text NOT NULL,
	"run_id" text NOT NULL,
	"input_sha256" text,
	"idempotency_key" text NOT NULL,
	"night" date,
	"rerun_of" bigint,
	"started_at" timestamp with time zone DEFAULT now() NOT NULL,
	"finished_at" timestamp with time zone,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	"info_count" integer DEFAULT 0 NOT NULL,
	"warning_count" integer DEFAULT 0 NOT NULL,
	"error_count" integer DEFAULT 0 NOT NULL,
	"blocking_count" integer DEFAULT 0 NOT NULL,
	CONSTRAINT "step_runs_idempotency_key_unique" UNIQUE("idempotency_key")
);
--> statement-breakpoint
ALTER TABLE "anomalies" ADD CONSTRAINT "anomalies_file_sha256_exchange_files_sha256_fk" FOREIGN KEY ("file_sha256") REFERENCES "public"."exchange_files"("sha256") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "anomalies" ADD CONSTRAINT "anomalies_step_run_id_step_runs_id_fk" FOREIGN KEY ("step_run_id") REFERENCES "public"."step_runs"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "step_runs" ADD CONSTRAINT "step_runs_rerun_of_step_runs_id_fk" FOREIGN KEY ("rerun_of") REFERENCES "public"."step_runs"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "anomalies_step_run_idx" ON "anomalies" USING btree ("step_run_id");--> statement-breakpoint
CREATE INDEX "anomalies_file_idx" ON "anomalies" USING btree ("file_sha256");--> statement-breakpoint
CREATE INDEX "exchange_files_uai_idx" ON "exchange_files" USING btree ("uai","millesime","kind");--> statement-breakpoint
CREATE INDEX "step_runs_uai_idx" ON "step_runs" USING btree ("uai","millesime","step","id");--> statement-breakpoint
CREATE INDEX "step_runs_step_status_idx" ON "step_runs" USING btree ("step","status");--> statement-breakpoint
CREATE INDEX "step_runs_night_idx" ON "step_runs" USING btree ("night","status");--> statement-breakpoint
CREATE INDEX "step_runs_rerun_of_idx" ON "step_runs" USING btree ("rerun_of");