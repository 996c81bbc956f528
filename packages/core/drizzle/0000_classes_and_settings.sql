CREATE TABLE `class_exams` (
	`id` text PRIMARY KEY NOT NULL,
	`class_id` text NOT NULL,
	`title` text NOT NULL,
	`date` text NOT NULL,
	`time` text,
	FOREIGN KEY (`class_id`) REFERENCES `classes`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE INDEX `class_exams_class_idx` ON `class_exams` (`class_id`);--> statement-breakpoint
CREATE INDEX `class_exams_date_idx` ON `class_exams` (`date`);--> statement-breakpoint
CREATE TABLE `classes` (
	`id` text PRIMARY KEY NOT NULL,
	`name` text NOT NULL,
	`code` text DEFAULT '' NOT NULL,
	`term` text DEFAULT '' NOT NULL,
	`color` text NOT NULL,
	`instructor` text DEFAULT '' NOT NULL,
	`schedule` text DEFAULT '[]' NOT NULL,
	`archived` integer DEFAULT false NOT NULL,
	`sort_order` integer NOT NULL,
	`created_at` text NOT NULL,
	`updated_at` text NOT NULL
);
--> statement-breakpoint
CREATE INDEX `classes_sort_idx` ON `classes` (`archived`,`sort_order`);--> statement-breakpoint
CREATE TABLE `settings` (
	`key` text PRIMARY KEY NOT NULL,
	`value` text NOT NULL,
	`updated_at` text NOT NULL
);
