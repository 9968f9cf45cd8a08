-- What each stored file was added for (regdesk_domain::staff::FilePurpose): the purpose decides
-- who may add it (a receipt by finance, a sample or identity material by the counter, a loss
-- statement by the certificate desk). Files added before this migration have none.
ALTER TABLE files ADD COLUMN purpose TEXT;
