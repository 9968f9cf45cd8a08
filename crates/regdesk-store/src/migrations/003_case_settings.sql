-- Case periods and the fee become office settings (defaults from DOMAIN.md §6–§7).
ALTER TABLE settings ADD COLUMN review_working_days INTEGER NOT NULL DEFAULT 30;
ALTER TABLE settings ADD COLUMN correction_notice_days INTEGER NOT NULL DEFAULT 7;
ALTER TABLE settings ADD COLUMN correction_period_days INTEGER NOT NULL DEFAULT 30;
ALTER TABLE settings ADD COLUMN fee_per_work_fen INTEGER NOT NULL DEFAULT 15000;
