// Typed wrappers around the core's certificate-desk commands (one argument named
// `input`; failures reject with an ApiError).
import type {
  CalibrationInput,
  CaseKey,
  CertificatePage,
  CertificateQueueFilter,
  CertificateSettingsView,
  CertificateSheetView,
  LetterTablesView,
  PrintCertificatesInput,
  PrintedCertificates,
  PrinterInput,
  PrinterView,
  SetLettersInput,
  SystemPrinters,
  VerificationUrlInput,
  VoidSheetInput,
} from '../api/bindings';
import { call } from '../api/client';

export const certificatesApi = {
  queue: (input: CertificateQueueFilter) => call<CertificatePage>('certificate_queue', { input }),
  sheets: (key: string) => call<CertificateSheetView[]>('certificate_sheets', { input: { key } satisfies CaseKey }),
  systemPrinters: () => call<SystemPrinters>('system_printers'),
  settings: () => call<CertificateSettingsView>('certificate_settings'),
  /** Renders the batch (progress as `certificate-progress` events), records the sheets, prints or opens it. */
  print: (input: PrintCertificatesInput) => call<PrintedCertificates>('print_certificates', { input }),
  /** 取消: the batch stops at its next page, recording nothing. */
  cancelPrint: () => call<null>('cancel_certificate_print'),
  /** The electronic certificate, opened in the system viewer; returns its path. */
  openCertificate: (key: string) => call<string>('open_certificate', { input: { key } satisfies CaseKey }),
  calibration: (input: CalibrationInput) => call<string>('print_calibration_page', { input }),
  voidSheet: (input: VoidSheetInput) => call<CertificateSheetView>('void_certificate_sheet', { input }),
  letters: () => call<LetterTablesView>('category_letters'),
  setLetters: (input: SetLettersInput) => call<LetterTablesView>('set_category_letters', { input }),
  updateVerificationUrl: (input: VerificationUrlInput) => call<CertificateSettingsView>('update_verification_url', { input }),
  savePrinter: (input: PrinterInput) => call<PrinterView>('save_certificate_printer', { input }),
};

/** The core's event with a batch's progress. */
export const CERTIFICATE_PROGRESS = 'certificate-progress';
