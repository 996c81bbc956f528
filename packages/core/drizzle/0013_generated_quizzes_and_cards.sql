CREATE TABLE `generated_items` (
	`id` text PRIMARY KEY NOT NULL,
	`set_id` text NOT NULL,
	`ordinal` integer NOT NULL,
	`content` text NOT NULL,
	`sources` text NOT NULL,
	`stale` text,
	`status` text NOT NULL,
	`note_id` text,
	`updated_at` text NOT NULL,
	FOREIGN KEY (`set_id`) REFERENCES `generated_sets`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE INDEX `generated_items_set_idx` ON `generated_items` (`set_id`,`ordinal`);--> statement-breakpoint
CREATE TABLE `generated_sets` (
	`id` text PRIMARY KEY NOT NULL,
	`kind` text NOT NULL,
	`class_id` text,
	`title` text NOT NULL,
	`source` text NOT NULL,
	`made_by` text NOT NULL,
	`created_at` text NOT NULL,
	FOREIGN KEY (`class_id`) REFERENCES `classes`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE INDEX `generated_sets_class_idx` ON `generated_sets` (`class_id`,`created_at`);--> statement-breakpoint
CREATE TABLE `quiz_attempts` (
	`id` text PRIMARY KEY NOT NULL,
	`set_id` text NOT NULL,
	`class_id` text,
	`answers` text NOT NULL,
	`created_at` text NOT NULL,
	FOREIGN KEY (`set_id`) REFERENCES `generated_sets`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`class_id`) REFERENCES `classes`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE INDEX `quiz_attempts_class_idx` ON `quiz_attempts` (`class_id`,`created_at`);