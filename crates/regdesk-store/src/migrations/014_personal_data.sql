-- Personal data (个人信息): the identity scans of filings and the log of
-- reads of full personal data.
--
-- Which stored files are a party's identity documents in a case (the files
-- of owners[] and of the writer in cases.draft, kept by every save of the
-- draft); with applicant_proofs they are the scans only the desks whose work
-- needs them may open, each opening logged.
CREATE TABLE case_identity_files (
    case_id  TEXT NOT NULL REFERENCES cases (id),
    file_id  TEXT NOT NULL,
    PRIMARY KEY (case_id, file_id)
) STRICT, WITHOUT ROWID;
CREATE INDEX case_identity_files_file ON case_identity_files (file_id);

INSERT OR IGNORE INTO case_identity_files (case_id, file_id)
SELECT c.id, json_extract(f.value, '$.file_id')
FROM cases c, json_each(c.draft, '$.owners') o, json_each(o.value, '$.files') f
WHERE json_extract(f.value, '$.file_id') IS NOT NULL;

INSERT OR IGNORE INTO case_identity_files (case_id, file_id)
SELECT c.id, json_extract(f.value, '$.file_id')
FROM cases c, json_each(c.draft, '$.writer.files') f
WHERE json_extract(f.value, '$.file_id') IS NOT NULL;

-- Reads of full personal data are journal entries (command
-- 'view_personal_data'); the admin lists them by time.
CREATE INDEX journal_command_at ON journal (command, at);
