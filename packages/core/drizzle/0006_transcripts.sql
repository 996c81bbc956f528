CREATE TABLE `lecture_transcripts` (
	`lecture_id` text PRIMARY KEY NOT NULL,
	`state` text NOT NULL,
	`model_id` text,
	`job_id` text,
	`error` text,
	`updated_at` text NOT NULL,
	FOREIGN KEY (`lecture_id`) REFERENCES `lectures`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE TABLE `transcript_segments` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`lecture_id` text NOT NULL,
	`start_ms` integer NOT NULL,
	`end_ms` integer NOT NULL,
	`text` text NOT NULL,
	`edited` integer DEFAULT false NOT NULL,
	FOREIGN KEY (`lecture_id`) REFERENCES `lectures`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE INDEX `transcript_segments_lecture_idx` ON `transcript_segments` (`lecture_id`,`start_ms`);