CREATE TABLE `study_cards` (
	`id` text PRIMARY KEY NOT NULL,
	`note_id` text NOT NULL,
	`deck_id` text NOT NULL,
	`ordinal` integer NOT NULL,
	`suspended` integer DEFAULT false NOT NULL,
	`buried_until_day` integer,
	`state` text DEFAULT 'new' NOT NULL,
	`due` integer DEFAULT 0 NOT NULL,
	`stability` real DEFAULT 0 NOT NULL,
	`difficulty` real DEFAULT 0 NOT NULL,
	`reps` integer DEFAULT 0 NOT NULL,
	`lapses` integer DEFAULT 0 NOT NULL,
	`learning_step` integer DEFAULT 0 NOT NULL,
	`last_review_at` integer,
	`scheduled_days` integer DEFAULT 0 NOT NULL,
	`created_at` integer NOT NULL,
	FOREIGN KEY (`note_id`) REFERENCES `study_notes`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`deck_id`) REFERENCES `study_decks`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE UNIQUE INDEX `study_cards_note_ordinal_idx` ON `study_cards` (`note_id`,`ordinal`);--> statement-breakpoint
CREATE INDEX `study_cards_queue_idx` ON `study_cards` (`deck_id`,`state`,`due`);--> statement-breakpoint
CREATE TABLE `study_decks` (
	`id` text PRIMARY KEY NOT NULL,
	`class_id` text,
	`name` text NOT NULL,
	`description` text DEFAULT '' NOT NULL,
	`options` text DEFAULT '{}' NOT NULL,
	`exam_target_recall` real,
	`created_at` text NOT NULL,
	`updated_at` text NOT NULL,
	FOREIGN KEY (`class_id`) REFERENCES `classes`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE INDEX `study_decks_class_idx` ON `study_decks` (`class_id`);--> statement-breakpoint
CREATE TABLE `study_media` (
	`name` text PRIMARY KEY NOT NULL,
	`sha256` text NOT NULL,
	`bytes` integer NOT NULL
);
--> statement-breakpoint
CREATE TABLE `study_notes` (
	`id` text PRIMARY KEY NOT NULL,
	`guid` text,
	`kind` text NOT NULL,
	`content` text NOT NULL,
	`tags` text DEFAULT '[]' NOT NULL,
	`duplicate_key` text NOT NULL,
	`created_at` integer NOT NULL,
	`updated_at` integer NOT NULL
);
--> statement-breakpoint
CREATE INDEX `study_notes_duplicate_idx` ON `study_notes` (`duplicate_key`);--> statement-breakpoint
CREATE TABLE `study_review_log` (
	`id` text PRIMARY KEY NOT NULL,
	`card_id` text NOT NULL,
	`kind` text NOT NULL,
	`at` integer NOT NULL,
	`rating` integer,
	`duration_ms` integer,
	`state_before` text,
	`scheduled_days` integer,
	`due` integer,
	`state` text,
	`stability` real,
	`difficulty` real,
	FOREIGN KEY (`card_id`) REFERENCES `study_cards`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE INDEX `study_review_log_card_idx` ON `study_review_log` (`card_id`,`at`);--> statement-breakpoint
CREATE INDEX `study_review_log_at_idx` ON `study_review_log` (`at`);