// Shapes the receipts API answers with (the receipts API contract), for the page tests.
import type { Receipt } from '../../../web/src/api/receipts';

export function receipt(id: string, changes: Partial<Receipt> = {}): Receipt {
  return {
    id,
    opportunityId: 'opp-1',
    contactId: 'contact-1',
    contactName: 'Ada Lovelace',
    fileName: 'hardware-store.jpg',
    contentType: 'image/jpeg',
    sizeBytes: 48_213,
    sha256: 'ab'.repeat(32),
    status: 'needs_review',
    extracted: {
      vendor: 'Harbour Hardware',
      date: '2026-03-02',
      currency: 'USD',
      totalMinor: 4250,
      taxMinor: 350,
      lineItems: [
        { description: 'Claw hammer', quantity: 1, amountMinor: 2500 },
        { description: 'Box of nails', quantity: 2, amountMinor: 1400 },
      ],
      paymentMethod: 'card',
      referenceNumber: 'R-1042',
    },
    confidence: { vendor: 0.98, date: 0.95, currency: 0.99, total: 0.42, tax: 0.9, lineItems: 0.91, paymentMethod: 0.9, referenceNumber: 0.88 },
    lowConfidenceFields: ['total'],
    reviewReasons: ['Low confidence in total'],
    rawAnswer: null,
    failureReason: null,
    model: 'flowline-sandbox',
    saleId: null,
    sale: null,
    uploadedBy: 'u-rep',
    uploadedByName: 'Sam Seller',
    reviewedBy: null,
    reviewedByName: null,
    reviewedAt: null,
    rejectReason: null,
    autoConfirmed: false,
    workflowId: `receipt-${id}`,
    temporalUrl: null,
    createdAt: '2026-03-02T10:00:00Z',
    updatedAt: '2026-03-02T10:00:05Z',
    ...changes,
  };
}

/** jsdom has no object URLs: the pages show files through them. */
export function setUpObjectUrls() {
  let n = 0;
  URL.createObjectURL = () => `blob:receipt-${++n}`;
  URL.revokeObjectURL = () => undefined;
}
