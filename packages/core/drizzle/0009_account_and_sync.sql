CREATE TABLE `account` (
	`id` integer PRIMARY KEY NOT NULL,
	`server_url` text NOT NULL,
	`email` text NOT NULL,
	`signed_in_at` text NOT NULL,
	CONSTRAINT "account_single_row" CHECK("account"."id" = 1)
);
--> statement-breakpoint
CREATE TABLE `sync_messages` (
	`timestamp` text PRIMARY KEY NOT NULL,
	`change` text NOT NULL,
	`sent` integer NOT NULL
);
--> statement-breakpoint
CREATE INDEX `sync_messages_unsent_idx` ON `sync_messages` (`sent`,`timestamp`);--> statement-breakpoint
CREATE TABLE `sync_rows` (
	`dataset` text NOT NULL,
	`row_id` text NOT NULL,
	`clock` text NOT NULL,
	PRIMARY KEY(`dataset`, `row_id`)
);
--> statement-breakpoint
CREATE TABLE `sync_state` (
	`id` integer PRIMARY KEY NOT NULL,
	`collected_seq` integer NOT NULL,
	`cursor` text,
	`merkle` text NOT NULL,
	`last_synced_at` text,
	`last_error` text,
	CONSTRAINT "sync_state_single_row" CHECK("sync_state"."id" = 1)
);
