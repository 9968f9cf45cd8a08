-- Delivery of the paper certificate (证书发放): shipments by SF Express freight collect
-- (邮寄，顺丰到付) and handovers at the pickup desk (自领).

-- One shipment per recipient: the certificates to one name, phone and address in one envelope.
CREATE TABLE shipments (
    id               TEXT PRIMARY KEY,                      -- UUID v7
    code             TEXT NOT NULL UNIQUE,                  -- our Code 128 on the label (YJ-station-yymmddNNN)
    recipient_name   TEXT NOT NULL,
    recipient_phone  TEXT NOT NULL,
    postal_address   TEXT NOT NULL,
    created_at       TEXT NOT NULL,
    created_by       TEXT NOT NULL REFERENCES staff (id),
    labels_printed   INTEGER NOT NULL DEFAULT 0,           -- how often its label was printed
    waybill          TEXT UNIQUE,                           -- SF's waybill number, once scanned
    shipped_at       TEXT,
    shipped_by       TEXT REFERENCES staff (id),
    version          INTEGER NOT NULL DEFAULT 1
) STRICT;
CREATE INDEX shipments_by_shipped ON shipments (shipped_at);

CREATE TABLE shipment_cases (
    shipment_id  TEXT NOT NULL REFERENCES shipments (id),
    case_id      TEXT NOT NULL UNIQUE REFERENCES cases (id),  -- a case goes in one envelope
    PRIMARY KEY (shipment_id, case_id)
) STRICT;

-- 领取登记: who collected which certificates, with what.
CREATE TABLE handovers (
    id                      TEXT PRIMARY KEY,              -- UUID v7
    number                  TEXT NOT NULL UNIQUE,          -- LQ-station-yymmddNNN, on the receipt
    collector_kind          TEXT NOT NULL,                 -- own | agent
    collector_name          TEXT NOT NULL,
    id_type                 TEXT NOT NULL,
    id_number               TEXT NOT NULL,
    notice_seen             INTEGER NOT NULL,
    loss_statement_file     TEXT REFERENCES files (id),
    power_of_attorney_file  TEXT REFERENCES files (id),
    at                      TEXT NOT NULL,
    staff_id                TEXT NOT NULL REFERENCES staff (id)
) STRICT;

CREATE TABLE handover_cases (
    handover_id  TEXT NOT NULL REFERENCES handovers (id),
    case_id      TEXT NOT NULL UNIQUE REFERENCES cases (id),
    PRIMARY KEY (handover_id, case_id)
) STRICT;

-- The certificate desk's settings (admin): label stock, the office as sender, SF's sheet.
CREATE TABLE delivery_settings (
    id              INTEGER PRIMARY KEY CHECK (id = 1),
    label_size      TEXT NOT NULL DEFAULT '100x150',
    sender_name     TEXT NOT NULL DEFAULT '',              -- '' = the office's name
    sender_phone    TEXT NOT NULL DEFAULT '',
    sender_address  TEXT NOT NULL DEFAULT '',
    sf_columns      TEXT NOT NULL DEFAULT '',              -- JSON [{header, field}]; '' = SF's template as shipped
    version         INTEGER NOT NULL DEFAULT 1
) STRICT;
INSERT INTO delivery_settings (id) VALUES (1);
