CREATE TABLE `lecture_bookmarks` (
	`id` text PRIMARY KEY NOT NULL,
	`lecture_id` text NOT NULL,
	`at_ms` integer NOT NULL,
	`note` text DEFAULT '' NOT NULL,
	`created_at` text NOT NULL,
	FOREIGN KEY (`lecture_id`) REFERENCES `lectures`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE INDEX `lecture_bookmarks_lecture_idx` ON `lecture_bookmarks` (`lecture_id`,`at_ms`);--> statement-breakpoint
CREATE TABLE `lectures` (
	`id` text PRIMARY KEY NOT NULL,
	`class_id` text,
	`title` text NOT NULL,
	`status` text NOT NULL,
	`file_name` text NOT NULL,
	`mime_type` text NOT NULL,
	`bytes` integer DEFAULT 0 NOT NULL,
	`duration_ms` integer DEFAULT 0 NOT NULL,
	`last_seq` integer DEFAULT -1 NOT NULL,
	`finalized` integer DEFAULT false NOT NULL,
	`recovery_notice` integer DEFAULT false NOT NULL,
	`error` text,
	`started_at` text NOT NULL,
	`ended_at` text,
	`created_at` text NOT NULL,
	`updated_at` text NOT NULL,
	FOREIGN KEY (`class_id`) REFERENCES `classes`(`id`) ON UPDATE no action ON DELETE set null
);
--> statement-breakpoint
CREATE INDEX `lectures_class_idx` ON `lectures` (`class_id`);--> statement-breakpoint
CREATE INDEX `lectures_status_idx` ON `lectures` (`status`);--> statement-breakpoint
CREATE INDEX `lectures_started_idx` ON `lectures` (`started_at`);