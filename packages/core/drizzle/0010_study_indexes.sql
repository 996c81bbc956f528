DROP INDEX `study_review_log_at_idx`;--> statement-breakpoint
CREATE INDEX `study_review_log_answers_idx` ON `study_review_log` (`kind`,`at`);--> statement-breakpoint
DROP INDEX `study_cards_queue_idx`;--> statement-breakpoint
CREATE INDEX `study_cards_queue_idx` ON `study_cards` (`deck_id`,`state`,`due`,`suspended`,`buried_until_day`);