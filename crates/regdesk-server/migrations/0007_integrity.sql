-- The store's UNIQUE constraints held by the record (record/integrity.rs):
-- an entry that takes a value another row of the office holds is looked up
-- by one column of each constraint, with the same expression as here.
CREATE INDEX record_rows_u_staff_username ON record_rows
    ((jsonb_path_query_first(row, '$[*] ? (@.name == "username").value'))) WHERE tbl = 'staff';
CREATE INDEX record_rows_u_cases_serial ON record_rows
    ((jsonb_path_query_first(row, '$[*] ? (@.name == "serial").value'))) WHERE tbl = 'cases';
CREATE INDEX record_rows_u_cases_registration_number ON record_rows
    ((jsonb_path_query_first(row, '$[*] ? (@.name == "registration_number").value'))) WHERE tbl = 'cases';
CREATE INDEX record_rows_u_applicants_id_number ON record_rows
    ((jsonb_path_query_first(row, '$[*] ? (@.name == "id_number").value'))) WHERE tbl = 'applicants';
CREATE INDEX record_rows_u_transfers_reference ON record_rows
    ((jsonb_path_query_first(row, '$[*] ? (@.name == "reference").value'))) WHERE tbl = 'transfers';
CREATE INDEX record_rows_u_statement_lines_fingerprint ON record_rows
    ((jsonb_path_query_first(row, '$[*] ? (@.name == "fingerprint").value'))) WHERE tbl = 'statement_lines';
CREATE INDEX record_rows_u_registration_numbers_serial ON record_rows
    ((jsonb_path_query_first(row, '$[*] ? (@.name == "serial").value'))) WHERE tbl = 'registration_numbers';
CREATE INDEX record_rows_u_certificate_sheets_sheet_number ON record_rows
    ((jsonb_path_query_first(row, '$[*] ? (@.name == "sheet_number").value'))) WHERE tbl = 'certificate_sheets';
CREATE INDEX record_rows_u_shipments_code ON record_rows
    ((jsonb_path_query_first(row, '$[*] ? (@.name == "code").value'))) WHERE tbl = 'shipments';
CREATE INDEX record_rows_u_shipments_waybill ON record_rows
    ((jsonb_path_query_first(row, '$[*] ? (@.name == "waybill").value'))) WHERE tbl = 'shipments';
CREATE INDEX record_rows_u_shipment_cases_case_id ON record_rows
    ((jsonb_path_query_first(row, '$[*] ? (@.name == "case_id").value'))) WHERE tbl = 'shipment_cases';
CREATE INDEX record_rows_u_handovers_number ON record_rows
    ((jsonb_path_query_first(row, '$[*] ? (@.name == "number").value'))) WHERE tbl = 'handovers';
CREATE INDEX record_rows_u_handover_cases_case_id ON record_rows
    ((jsonb_path_query_first(row, '$[*] ? (@.name == "case_id").value'))) WHERE tbl = 'handover_cases';
