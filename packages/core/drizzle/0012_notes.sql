CREATE TABLE `notes` (
	`id` text PRIMARY KEY NOT NULL,
	`class_id` text,
	`lecture_id` text,
	`title` text NOT NULL,
	`markdown` text NOT NULL,
	`created_at` text NOT NULL,
	`updated_at` text NOT NULL,
	FOREIGN KEY (`class_id`) REFERENCES `classes`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`lecture_id`) REFERENCES `lectures`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE INDEX `notes_class_idx` ON `notes` (`class_id`,`updated_at`);--> statement-breakpoint
CREATE INDEX `notes_lecture_idx` ON `notes` (`lecture_id`);