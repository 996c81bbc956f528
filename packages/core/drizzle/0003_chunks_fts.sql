-- Keyword index over chunks (FTS5, external content: the text lives once, in `chunks`).
-- unicode61 with diacritics removed so "resume" finds "résumé"; porter stems English words.
CREATE VIRTUAL TABLE `chunks_fts` USING fts5(
	`text`,
	`heading`,
	content = 'chunks',
	content_rowid = 'id',
	tokenize = 'porter unicode61 remove_diacritics 2'
);
--> statement-breakpoint
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
