-- Certificates (制证): the check code of each registration, the office's
-- verification address, the printers' offsets, every printed sheet, and the
-- category-letter tables with the day each applies from.

-- 查验码: random, given with the number on final approval; the certificate's
-- QR code carries it. Registrations from before get one here.
ALTER TABLE registration_numbers ADD COLUMN check_code TEXT;
UPDATE registration_numbers SET check_code = substr(hex(randomblob(5)), 1, 10) WHERE check_code IS NULL;

-- 证书设置: the verification address the QR code opens (the central server answers it).
CREATE TABLE certificate_settings (
    id                INTEGER PRIMARY KEY CHECK (id = 1),
    verification_url  TEXT NOT NULL DEFAULT '',   -- '' = not set: certificates are not printed
    version           INTEGER NOT NULL
) STRICT;                                         -- no row: not set yet (version 0)

-- 证书打印机: each printer's offset, measured with the calibration page.
CREATE TABLE certificate_printers (
    name         TEXT PRIMARY KEY,                -- as the print service names it
    offset_x_mm  REAL NOT NULL,                   -- to the right
    offset_y_mm  REAL NOT NULL,                   -- down
    version      INTEGER NOT NULL,
    updated_at   TEXT NOT NULL,
    updated_by   TEXT NOT NULL REFERENCES staff (id)
) STRICT;

-- 打印批次: one command printing one or many certificates into one PDF.
CREATE TABLE certificate_prints (
    id           TEXT PRIMARY KEY,                -- UUID v7
    at           TEXT NOT NULL,
    staff_id     TEXT NOT NULL REFERENCES staff (id),
    mode         TEXT NOT NULL CHECK (mode IN ('full', 'overprint')),
    printer      TEXT NOT NULL,                   -- '' = opened in the viewer
    offset_x_mm  REAL NOT NULL,
    offset_y_mm  REAL NOT NULL,
    sheets       INTEGER NOT NULL
) STRICT;

-- 证书纸: every sheet printed, never deleted. printed: given out or to be;
-- voided: spoiled (废证) with a reason; recalled: the registration was revoked.
CREATE TABLE certificate_sheets (
    id                   TEXT PRIMARY KEY,        -- UUID v7
    print_id             TEXT NOT NULL REFERENCES certificate_prints (id),
    registration_number  TEXT NOT NULL REFERENCES registration_numbers (number),
    case_id              TEXT NOT NULL REFERENCES cases (id),
    kind                 TEXT NOT NULL CHECK (kind IN ('first', 'reprint')),
    reprint_reason       TEXT NOT NULL DEFAULT '',
    sheet_number         TEXT,                    -- 预印证书纸编号
    state                TEXT NOT NULL CHECK (state IN ('printed', 'voided', 'recalled')),
    printed_at           TEXT NOT NULL,
    printed_by           TEXT NOT NULL REFERENCES staff (id),
    changed_at           TEXT,
    changed_by           TEXT REFERENCES staff (id),
    reason               TEXT                     -- why voided or recalled
) STRICT;
CREATE INDEX certificate_sheets_number ON certificate_sheets (registration_number, state);
CREATE INDEX certificate_sheets_case ON certificate_sheets (case_id);
CREATE UNIQUE INDEX certificate_sheets_sheet_number ON certificate_sheets (sheet_number)
    WHERE sheet_number IS NOT NULL;

-- 类别字母表: the table in force on a day is the one with the latest start on
-- or before it; none: the built-in default.
CREATE TABLE category_letter_tables (
    starts_on  TEXT PRIMARY KEY,                  -- office date
    letters    TEXT NOT NULL,                     -- text form, one "LETTER 类别" per line
    set_at     TEXT NOT NULL,
    set_by     TEXT REFERENCES staff (id)         -- NULL: kept from before this table existed
) STRICT;
-- A database that issued numbers before the default gained the confirmed
-- letters keeps the table it issued them under (recorded in the audit chain by
-- the store's first open after this migration, `keep_category_letters`).
INSERT INTO category_letter_tables (starts_on, letters, set_at, set_by)
SELECT '0001-01-01',
       'A 文字' || char(10) || 'B 口述' || char(10) || 'C 音乐' || char(10) || 'D 戏剧' || char(10) ||
       'E 曲艺' || char(10) || 'G 舞蹈' || char(10) || 'H 杂技艺术' || char(10) || 'F 美术' || char(10) ||
       'J 建筑' || char(10) || 'K 摄影' || char(10) || 'I 视听作品' || char(10) || 'L 工程设计图' || char(10) ||
       'M 产品设计图' || char(10) || 'N 地图' || char(10) || 'O 示意图' || char(10) || 'P 模型' || char(10) ||
       'Q 其他' || char(10),
       strftime('%Y-%m-%dT%H:%M:%fZ', 'now'), NULL
WHERE EXISTS (SELECT 1 FROM registration_numbers);
