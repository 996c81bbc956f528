CREATE TABLE `search_sources` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`kind` text NOT NULL,
	`ref_id` text NOT NULL,
	`title` text NOT NULL,
	`class_id` text,
	`material_type` text,
	`added_at` text NOT NULL
);
--> statement-breakpoint
CREATE UNIQUE INDEX `search_sources_ref_idx` ON `search_sources` (`kind`,`ref_id`);--> statement-breakpoint
CREATE INDEX `search_sources_class_idx` ON `search_sources` (`class_id`);--> statement-breakpoint
CREATE INDEX `search_sources_added_idx` ON `search_sources` (`added_at`);--> statement-breakpoint
-- Every material and every lecture transcript (until now a fake material of type 'lecture') becomes a search source.
INSERT INTO `search_sources`("kind", "ref_id", "title", "class_id", "material_type", "added_at")
SELECT CASE WHEN "type" = 'lecture' THEN 'lecture' ELSE 'material' END, "id", "title", "class_id",
       CASE WHEN "type" = 'lecture' THEN NULL ELSE "type" END, "imported_at"
FROM `materials`;--> statement-breakpoint
CREATE TABLE `change_clock` (
	`id` integer PRIMARY KEY NOT NULL,
	`node_id` text NOT NULL,
	CONSTRAINT "change_clock_single_row" CHECK("change_clock"."id" = 1)
);
--> statement-breakpoint
CREATE TABLE `changes` (
	`seq` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`hlc` text NOT NULL,
	`table_name` text NOT NULL,
	`row_id` text NOT NULL,
	`operation` text NOT NULL,
	`columns` text
);
--> statement-breakpoint
CREATE INDEX `changes_hlc_idx` ON `changes` (`hlc`);--> statement-breakpoint
CREATE INDEX `changes_row_idx` ON `changes` (`table_name`,`row_id`);--> statement-breakpoint
PRAGMA foreign_keys=OFF;--> statement-breakpoint
CREATE TABLE `__new_class_exams` (
	`id` text PRIMARY KEY NOT NULL,
	`class_id` text NOT NULL,
	`title` text NOT NULL,
	`date` text NOT NULL,
	`time` text,
	FOREIGN KEY (`class_id`) REFERENCES `classes`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
INSERT INTO `__new_class_exams`("id", "class_id", "title", "date", "time") SELECT "id", "class_id", "title", "date", "time" FROM `class_exams`;--> statement-breakpoint
DROP TABLE `class_exams`;--> statement-breakpoint
ALTER TABLE `__new_class_exams` RENAME TO `class_exams`;--> statement-breakpoint
PRAGMA foreign_keys=ON;--> statement-breakpoint
CREATE INDEX `class_exams_class_idx` ON `class_exams` (`class_id`);--> statement-breakpoint
CREATE INDEX `class_exams_date_idx` ON `class_exams` (`date`);--> statement-breakpoint
CREATE TABLE `__new_material_pages` (
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
	FOREIGN KEY (`material_id`) REFERENCES `materials`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
INSERT INTO `__new_material_pages`("material_id", "page_number", "text", "notes", "words", "source", "ocr_confidence", "width", "height") SELECT "material_id", "page_number", "text", "notes", "words", "source", "ocr_confidence", "width", "height" FROM `material_pages`;--> statement-breakpoint
DROP TABLE `material_pages`;--> statement-breakpoint
ALTER TABLE `__new_material_pages` RENAME TO `material_pages`;--> statement-breakpoint
CREATE TABLE `__new_materials` (
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
	FOREIGN KEY (`class_id`) REFERENCES `classes`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
INSERT INTO `__new_materials`("id", "class_id", "title", "type", "status", "blob_sha256", "source_name", "mime_type", "bytes", "page_count", "warnings", "error", "job_id", "imported_at", "updated_at") SELECT "id", "class_id", "title", "type", "status", "blob_sha256", "source_name", "mime_type", "bytes", "page_count", "warnings", "error", "job_id", "imported_at", "updated_at" FROM `materials` WHERE "type" != 'lecture';--> statement-breakpoint
DROP TABLE `materials`;--> statement-breakpoint
ALTER TABLE `__new_materials` RENAME TO `materials`;--> statement-breakpoint
CREATE INDEX `materials_class_idx` ON `materials` (`class_id`);--> statement-breakpoint
CREATE INDEX `materials_blob_idx` ON `materials` (`blob_sha256`);--> statement-breakpoint
CREATE INDEX `materials_imported_idx` ON `materials` (`imported_at`);--> statement-breakpoint
CREATE TABLE `__new_chunks` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`source_id` integer NOT NULL,
	`ordinal` integer NOT NULL,
	`text` text NOT NULL,
	`heading` text,
	`token_count` integer NOT NULL,
	`page_start` integer,
	`page_end` integer,
	`spans` text DEFAULT '[]' NOT NULL,
	`time_start_ms` integer,
	`time_end_ms` integer,
	FOREIGN KEY (`source_id`) REFERENCES `search_sources`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
INSERT INTO `__new_chunks`("id", "source_id", "ordinal", "text", "heading", "token_count", "page_start", "page_end", "spans", "time_start_ms", "time_end_ms") SELECT c."id", s."id", c."ordinal", c."text", c."heading", c."token_count", c."page_start", c."page_end", c."spans", c."time_start_ms", c."time_end_ms" FROM `chunks` c JOIN `search_sources` s ON s."ref_id" = c."material_id";--> statement-breakpoint
DROP TABLE `chunks`;--> statement-breakpoint
ALTER TABLE `__new_chunks` RENAME TO `chunks`;--> statement-breakpoint
CREATE INDEX `chunks_source_idx` ON `chunks` (`source_id`,`ordinal`);--> statement-breakpoint
-- The keyword index follows the rebuilt table (same ids and text, so its entries stay valid).
CREATE TRIGGER `chunks_fts_insert` AFTER INSERT ON `chunks` BEGIN
	INSERT INTO `chunks_fts` (rowid, `text`, `heading`) VALUES (new.`id`, new.`text`, new.`heading`);
END;
--> statement-breakpoint
CREATE TRIGGER `chunks_fts_delete` AFTER DELETE ON `chunks` BEGIN
	INSERT INTO `chunks_fts` (`chunks_fts`, rowid, `text`, `heading`) VALUES ('delete', old.`id`, old.`text`, old.`heading`);
END;
--> statement-breakpoint
CREATE TRIGGER `chunks_fts_update` AFTER UPDATE OF `text`, `heading` ON `chunks` BEGIN
	INSERT INTO `chunks_fts` (`chunks_fts`, rowid, `text`, `heading`) VALUES ('delete', old.`id`, old.`text`, old.`heading`);
	INSERT INTO `chunks_fts` (rowid, `text`, `heading`) VALUES (new.`id`, new.`text`, new.`heading`);
END;
--> statement-breakpoint
CREATE TABLE `__new_conversations` (
	`id` text PRIMARY KEY NOT NULL,
	`class_id` text,
	`title` text NOT NULL,
	`created_at` text NOT NULL,
	`updated_at` text NOT NULL,
	FOREIGN KEY (`class_id`) REFERENCES `classes`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
INSERT INTO `__new_conversations`("id", "class_id", "title", "created_at", "updated_at") SELECT "id", "class_id", "title", "created_at", "updated_at" FROM `conversations`;--> statement-breakpoint
DROP TABLE `conversations`;--> statement-breakpoint
ALTER TABLE `__new_conversations` RENAME TO `conversations`;--> statement-breakpoint
CREATE INDEX `conversations_class_idx` ON `conversations` (`class_id`);--> statement-breakpoint
CREATE INDEX `conversations_updated_idx` ON `conversations` (`updated_at`);--> statement-breakpoint
CREATE TABLE `__new_messages` (
	`id` text PRIMARY KEY NOT NULL,
	`conversation_id` text NOT NULL,
	`seq` integer NOT NULL,
	`role` text NOT NULL,
	`text` text NOT NULL,
	`status` text NOT NULL,
	`grounding` text,
	`sources` text DEFAULT '[]' NOT NULL,
	`answered_by` text,
	`error` text,
	`created_at` text NOT NULL,
	FOREIGN KEY (`conversation_id`) REFERENCES `conversations`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
INSERT INTO `__new_messages`("id", "conversation_id", "seq", "role", "text", "status", "grounding", "sources", "answered_by", "error", "created_at") SELECT m."id", m."conversation_id", m."seq", m."role", m."text", m."status", m."grounding",
  -- A source names what it cites as a SourceRef and says where in it the passage is.
  CASE WHEN json_array_length(m."sources") = 0 THEN '[]' ELSE (
    SELECT json_group_array(json_object(
      'n', s.value ->> '$.n',
      'chunkId', s.value ->> '$.chunkId',
      'ref', json_object('kind', CASE WHEN s.value ->> '$.materialType' = 'lecture' OR s.value ->> '$.startSec' IS NOT NULL THEN 'lecture' ELSE 'material' END,
                         'id', s.value ->> '$.materialId'),
      'title', s.value ->> '$.materialTitle',
      'materialType', CASE WHEN s.value ->> '$.materialType' = 'lecture' OR s.value ->> '$.startSec' IS NOT NULL THEN NULL ELSE s.value ->> '$.materialType' END,
      'location', CASE WHEN s.value ->> '$.materialType' = 'lecture' OR s.value ->> '$.startSec' IS NOT NULL
        THEN json_object('kind', 'time', 'startSec', coalesce(s.value ->> '$.startSec', 0), 'endSec', coalesce(s.value ->> '$.endSec', s.value ->> '$.startSec', 0))
        ELSE json_object('kind', 'pages', 'pageStart', s.value ->> '$.pageStart', 'pageEnd', s.value ->> '$.pageEnd', 'spans', json(coalesce(s.value ->> '$.spans', '[]'))) END,
      'excerpt', s.value ->> '$.excerpt'
    ) ORDER BY s.key) FROM json_each(m."sources") s
  ) END,
  m."answered_by", m."error", m."created_at" FROM `messages` m;--> statement-breakpoint
DROP TABLE `messages`;--> statement-breakpoint
ALTER TABLE `__new_messages` RENAME TO `messages`;--> statement-breakpoint
CREATE INDEX `messages_conversation_idx` ON `messages` (`conversation_id`,`seq`);--> statement-breakpoint
CREATE TABLE `__new_lecture_bookmarks` (
	`id` text PRIMARY KEY NOT NULL,
	`lecture_id` text NOT NULL,
	`at_ms` integer NOT NULL,
	`note` text DEFAULT '' NOT NULL,
	`created_at` text NOT NULL,
	FOREIGN KEY (`lecture_id`) REFERENCES `lectures`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
INSERT INTO `__new_lecture_bookmarks`("id", "lecture_id", "at_ms", "note", "created_at") SELECT "id", "lecture_id", "at_ms", "note", "created_at" FROM `lecture_bookmarks`;--> statement-breakpoint
DROP TABLE `lecture_bookmarks`;--> statement-breakpoint
ALTER TABLE `__new_lecture_bookmarks` RENAME TO `lecture_bookmarks`;--> statement-breakpoint
CREATE INDEX `lecture_bookmarks_lecture_idx` ON `lecture_bookmarks` (`lecture_id`,`at_ms`);--> statement-breakpoint
CREATE TABLE `__new_lectures` (
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
	FOREIGN KEY (`class_id`) REFERENCES `classes`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
INSERT INTO `__new_lectures`("id", "class_id", "title", "status", "file_name", "mime_type", "bytes", "duration_ms", "last_seq", "finalized", "recovery_notice", "error", "started_at", "ended_at", "created_at", "updated_at") SELECT "id", "class_id", "title", "status", "file_name", "mime_type", "bytes", "duration_ms", "last_seq", "finalized", "recovery_notice", "error", "started_at", "ended_at", "created_at", "updated_at" FROM `lectures`;--> statement-breakpoint
DROP TABLE `lectures`;--> statement-breakpoint
ALTER TABLE `__new_lectures` RENAME TO `lectures`;--> statement-breakpoint
CREATE INDEX `lectures_class_idx` ON `lectures` (`class_id`);--> statement-breakpoint
CREATE INDEX `lectures_status_idx` ON `lectures` (`status`);--> statement-breakpoint
CREATE INDEX `lectures_started_idx` ON `lectures` (`started_at`);--> statement-breakpoint
CREATE TABLE `__new_lecture_transcripts` (
	`lecture_id` text PRIMARY KEY NOT NULL,
	`state` text NOT NULL,
	`model_id` text,
	`job_id` text,
	`error` text,
	`updated_at` text NOT NULL,
	FOREIGN KEY (`lecture_id`) REFERENCES `lectures`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
INSERT INTO `__new_lecture_transcripts`("lecture_id", "state", "model_id", "job_id", "error", "updated_at") SELECT "lecture_id", "state", "model_id", "job_id", "error", "updated_at" FROM `lecture_transcripts`;--> statement-breakpoint
DROP TABLE `lecture_transcripts`;--> statement-breakpoint
ALTER TABLE `__new_lecture_transcripts` RENAME TO `lecture_transcripts`;--> statement-breakpoint
CREATE TABLE `__new_transcript_segments` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`lecture_id` text NOT NULL,
	`start_ms` integer NOT NULL,
	`end_ms` integer NOT NULL,
	`text` text NOT NULL,
	`edited` integer DEFAULT false NOT NULL,
	FOREIGN KEY (`lecture_id`) REFERENCES `lectures`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
INSERT INTO `__new_transcript_segments`("id", "lecture_id", "start_ms", "end_ms", "text", "edited") SELECT "id", "lecture_id", "start_ms", "end_ms", "text", "edited" FROM `transcript_segments`;--> statement-breakpoint
DROP TABLE `transcript_segments`;--> statement-breakpoint
ALTER TABLE `__new_transcript_segments` RENAME TO `transcript_segments`;--> statement-breakpoint
CREATE INDEX `transcript_segments_lecture_idx` ON `transcript_segments` (`lecture_id`,`start_ms`);