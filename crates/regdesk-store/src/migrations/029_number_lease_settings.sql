-- Leased registration numbers (DOMAIN.md §8): how many numbers a final-review
-- station is leased at a time, and at how many unused it asks for more. Office
-- settings (shared: every station and the server read the same row).
ALTER TABLE settings ADD COLUMN number_lease_size INTEGER NOT NULL DEFAULT 20;
ALTER TABLE settings ADD COLUMN number_refill_at INTEGER NOT NULL DEFAULT 5;
