CREATE TABLE `material_pages` (
	`material_id` text NOT NULL,
	`page_number` integer NOT NULL,
	`text` text NOT NULL,
	`notes` text,
	`words` text DEFAULT '[]' NOT NULL,
	`source` text NOT NULL,
	`ocr_confidence` real,
	`width` real,
	`height` real,
	PRIMARY KEY(`material_id`, `page_number`),
	FOREIGN KEY (`material_id`) REFERENCES `materials`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE TABLE `materials` (
	`id` text PRIMARY KEY NOT NULL,
	`class_id` text,
	`title` text NOT NULL,
	`type` text NOT NULL,
	`status` text NOT NULL,
	`blob_sha256` text NOT NULL,
	`source_name` text NOT NULL,
	`mime_type` text NOT NULL,
	`bytes` integer NOT NULL,
	`page_count` integer DEFAULT 0 NOT NULL,
	`warnings` text DEFAULT '[]' NOT NULL,
	`error` text,
	`job_id` text,
	`imported_at` text NOT NULL,
	`updated_at` text NOT NULL,
	FOREIGN KEY (`class_id`) REFERENCES `classes`(`id`) ON UPDATE no action ON DELETE set null
);
--> statement-breakpoint
CREATE INDEX `materials_class_idx` ON `materials` (`class_id`);--> statement-breakpoint
CREATE INDEX `materials_blob_idx` ON `materials` (`blob_sha256`);--> statement-breakpoint
CREATE INDEX `materials_imported_idx` ON `materials` (`imported_at`);--> statement-breakpoint
CREATE TABLE `chunks` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`material_id` text NOT NULL,
	`ordinal` integer NOT NULL,
	`text` text NOT NULL,
	`heading` text,
	`token_count` integer NOT NULL,
	`page_start` integer,
	`page_end` integer,
	`spans` text DEFAULT '[]' NOT NULL,
	`time_start_ms` integer,
	`time_end_ms` integer,
	FOREIGN KEY (`material_id`) REFERENCES `materials`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE INDEX `chunks_material_idx` ON `chunks` (`material_id`,`ordinal`);--> statement-breakpoint
CREATE TABLE `embedding_indexes` (
	`model_id` text PRIMARY KEY NOT NULL,
	`dimensions` integer NOT NULL,
	`table_name` text NOT NULL,
	`status` text NOT NULL,
	`created_at` text NOT NULL
);
