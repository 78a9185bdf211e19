// Generated from schemas/canonical/*.schema.json by plugin-sdk/scripts/generate-types.ts. Do not edit:
// change the schema and run `npm run generate:types` instead.

/**
 * The canonical record type of each canonical object name.
 */
export interface CanonicalRecordMap {
  contact: Contact;
  company: Company;
  deal: Deal;
  product: Product;
  order: Order;
  customer: Customer;
  message: Message;
}
/**
 * A person a business talks to: a CRM contact or lead. Lumio assigns the record id outside this data.
 */
export interface Contact {
  /**
   * Given name, e.g. "Ana".
   */
  firstName?: string;
  /**
   * Family name, e.g. "Souza".
   */
  lastName?: string;
  /**
   * Name as displayed, e.g. "Ana Souza". A mapping often builds it from first and last name with a `concat` transform.
   */
  fullName: string;
  /**
   * Primary e-mail address.
   */
  email?: string;
  /**
   * Primary phone number, in E.164 form (e.g. "+5511987654321") when the provider gives enough to build it.
   */
  phone?: string;
  /**
   * Mobile phone number, in E.164 form when possible.
   */
  mobilePhone?: string;
  /**
   * WhatsApp number in E.164 form, e.g. "+5511987654321".
   */
  whatsapp?: string;
  /**
   * Job title, e.g. "Gerente de Compras".
   */
  jobTitle?: string;
  /**
   * Name of the company the person works for, as text.
   */
  companyName?: string;
  /**
   * Lumio id of the person's company record, usually found with a `lookup` transform.
   */
  companyId?: string;
  /**
   * National tax id: for Brazil the CPF, digits only (11 digits).
   */
  taxId?: string;
  /**
   * Date of birth (YYYY-MM-DD).
   */
  birthDate?: string;
  /**
   * Stage in the marketing and sales funnel.
   */
  lifecycleStage?:
    | 'subscriber'
    | 'lead'
    | 'marketingQualifiedLead'
    | 'salesQualifiedLead'
    | 'opportunity'
    | 'customer'
    | 'evangelist'
    | 'other';
  /**
   * Where the contact came from, e.g. "website" or "instagram".
   */
  leadSource?: string;
  /**
   * E-mail address of the user who owns the contact in the provider.
   */
  ownerEmail?: string;
  /**
   * Whether the person agreed to receive marketing messages (a consent record under the LGPD).
   */
  marketingConsent?: boolean;
  address?: Address;
  /**
   * Labels attached to the contact.
   */
  tags?: string[];
  customFields?: CustomFields;
  /**
   * When the contact was created in the provider (ISO 8601 date-time).
   */
  createdAt?: string;
  /**
   * When the contact last changed in the provider (ISO 8601 date-time).
   */
  updatedAt?: string;
}
/**
 * A postal address. Brazilian addresses split the street line into street, number, complement and district (bairro).
 */
export interface Address {
  /**
   * Street name (logradouro), e.g. "Avenida Paulista". Other countries may put the whole street line here.
   */
  street?: string;
  /**
   * Building number as text, e.g. "1578" or "s/n".
   */
  number?: string;
  /**
   * Apartment, suite or floor, e.g. "apto 42".
   */
  complement?: string;
  /**
   * District or neighbourhood (bairro), e.g. "Bela Vista".
   */
  district?: string;
  /**
   * City, e.g. "São Paulo".
   */
  city?: string;
  /**
   * State or province. For Brazil the two-letter UF code, e.g. "SP".
   */
  state?: string;
  /**
   * Postal code. For Brazil the CEP, e.g. "01310-200".
   */
  postalCode?: string;
  /**
   * ISO 3166-1 alpha-2 country code in upper case, e.g. "BR".
   */
  country?: string;
}
/**
 * Provider fields with no canonical counterpart, by name. A name starts with a letter followed by letters, digits or underscores. Values are scalars.
 */
export interface CustomFields {
  /**
   * Field value.
   */
  [k: string]: string | number | boolean | null;
}
/**
 * An organisation a business sells to or works with: a CRM company or account. Lumio assigns the record id outside this data.
 */
export interface Company {
  /**
   * Trade name (nome fantasia), e.g. "Padaria Pão Quente".
   */
  name: string;
  /**
   * Registered legal name (razão social), e.g. "Pão Quente Alimentos Ltda.".
   */
  legalName?: string;
  /**
   * National tax id: for Brazil the CNPJ, digits only (14 digits).
   */
  taxId?: string;
  /**
   * Main web domain, e.g. "paoquente.com.br".
   */
  domain?: string;
  /**
   * Website URL.
   */
  website?: string;
  /**
   * Industry or segment, e.g. "Food & Beverage".
   */
  industry?: string;
  /**
   * Number of employees.
   */
  employeeCount?: number;
  /**
   * Annual revenue in major units of `currency` (reais for BRL, not centavos).
   */
  annualRevenue?: number;
  /**
   * ISO 4217 code of `annualRevenue`, e.g. "BRL".
   */
  currency?: string;
  /**
   * Main phone number, in E.164 form when possible.
   */
  phone?: string;
  /**
   * General contact e-mail address.
   */
  email?: string;
  address?: Address;
  /**
   * Stage in the marketing and sales funnel.
   */
  lifecycleStage?:
    | 'subscriber'
    | 'lead'
    | 'marketingQualifiedLead'
    | 'salesQualifiedLead'
    | 'opportunity'
    | 'customer'
    | 'evangelist'
    | 'other';
  /**
   * E-mail address of the user who owns the company in the provider.
   */
  ownerEmail?: string;
  /**
   * Free-text description.
   */
  description?: string;
  /**
   * Labels attached to the company.
   */
  tags?: string[];
  customFields?: CustomFields;
  /**
   * When the company was created in the provider (ISO 8601 date-time).
   */
  createdAt?: string;
  /**
   * When the company last changed in the provider (ISO 8601 date-time).
   */
  updatedAt?: string;
}
/**
 * A sales opportunity moving through a pipeline. Lumio assigns the record id outside this data.
 */
export interface Deal {
  /**
   * Deal name, e.g. "Plano anual - Padaria Pão Quente".
   */
  name: string;
  /**
   * Expected value in major units of `currency` (reais for BRL, not centavos).
   */
  amount?: number;
  /**
   * ISO 4217 code of `amount`, e.g. "BRL".
   */
  currency?: string;
  /**
   * Pipeline stage as the provider names it, e.g. "proposta enviada". A `valueMap` transform can turn stage ids into names.
   */
  stage: string;
  /**
   * Name of the pipeline the deal is in.
   */
  pipeline?: string;
  /**
   * Outcome so far: "open", "won" or "lost".
   */
  status?: 'open' | 'won' | 'lost';
  /**
   * Probability of winning, from 0 to 1.
   */
  probability?: number;
  /**
   * Expected or actual close date (YYYY-MM-DD).
   */
  closeDate?: string;
  /**
   * Lumio id of the customer company, usually found with a `lookup` transform.
   */
  companyId?: string;
  /**
   * Lumio ids of the contacts involved, usually found with `lookup` transforms.
   */
  contactIds?: string[];
  /**
   * E-mail address of the user who owns the deal in the provider.
   */
  ownerEmail?: string;
  /**
   * Where the deal came from, e.g. "indicação" or "inbound".
   */
  source?: string;
  /**
   * Why the deal was lost, when `status` is "lost".
   */
  lostReason?: string;
  /**
   * Free-text description.
   */
  description?: string;
  customFields?: CustomFields;
  /**
   * When the deal was created in the provider (ISO 8601 date-time).
   */
  createdAt?: string;
  /**
   * When the deal last changed in the provider (ISO 8601 date-time).
   */
  updatedAt?: string;
}
/**
 * An item a business sells, from a store catalog or a CRM product library. Lumio assigns the record id outside this data.
 */
export interface Product {
  /**
   * Product name, e.g. "Café Torrado 500 g".
   */
  name: string;
  /**
   * Stock keeping unit code.
   */
  sku?: string;
  /**
   * Product description as plain text or HTML, as the provider stores it.
   */
  description?: string;
  /**
   * Sale price of one unit in major units of `currency` (reais for BRL, not centavos).
   */
  price?: number;
  /**
   * Former or list price shown struck through, in major units of `currency`.
   */
  compareAtPrice?: number;
  /**
   * Cost of one unit to the business, in major units of `currency`.
   */
  costPrice?: number;
  /**
   * ISO 4217 code of the prices, e.g. "BRL".
   */
  currency?: string;
  /**
   * Units in stock. Negative when the store allows backorders.
   */
  stockQuantity?: number;
  /**
   * Whether the product is on sale.
   */
  active?: boolean;
  /**
   * Category name, e.g. "Mercearia".
   */
  category?: string;
  /**
   * Brand name.
   */
  brand?: string;
  /**
   * GTIN/EAN barcode, digits only.
   */
  barcode?: string;
  /**
   * Brazilian NCM tax classification code, 8 digits, e.g. "09012100".
   */
  ncm?: string;
  /**
   * Shipping weight of one unit in grams.
   */
  weightGrams?: number;
  /**
   * Image URLs, the main image first.
   */
  imageUrls?: string[];
  /**
   * URL of the product page in the store.
   */
  url?: string;
  /**
   * Labels attached to the product.
   */
  tags?: string[];
  customFields?: CustomFields;
  /**
   * When the product was created in the provider (ISO 8601 date-time).
   */
  createdAt?: string;
  /**
   * When the product last changed in the provider (ISO 8601 date-time).
   */
  updatedAt?: string;
}
/**
 * A purchase placed in a store. Amounts are in major units of `currency` (reais for BRL, not centavos). Lumio assigns the record id outside this data.
 */
export interface Order {
  /**
   * Order number shown to the customer, e.g. "#1042".
   */
  orderNumber: string;
  /**
   * Overall order state.
   */
  status: 'pending' | 'processing' | 'shipped' | 'delivered' | 'completed' | 'cancelled' | 'refunded';
  /**
   * Payment state.
   */
  paymentStatus?: 'pending' | 'authorized' | 'paid' | 'partiallyRefunded' | 'refunded' | 'voided' | 'failed';
  /**
   * Shipping state of the items.
   */
  fulfillmentStatus?: 'unfulfilled' | 'partiallyFulfilled' | 'fulfilled' | 'returned';
  /**
   * ISO 4217 code of every amount in the order, e.g. "BRL".
   */
  currency: string;
  /**
   * Sum of the line items before discounts, shipping and taxes.
   */
  subtotal?: number;
  /**
   * Total discount applied to the order.
   */
  discountTotal?: number;
  /**
   * Shipping charged to the customer.
   */
  shippingTotal?: number;
  /**
   * Taxes charged to the customer.
   */
  taxTotal?: number;
  /**
   * Amount the customer pays.
   */
  total: number;
  /**
   * Items bought, in the order the provider lists them.
   */
  lineItems?: OrderLineItem[];
  /**
   * Lumio id of the customer record, usually found with a `lookup` transform.
   */
  customerId?: string;
  /**
   * E-mail address the order was placed with.
   */
  customerEmail?: string;
  /**
   * Name of the buyer as entered on the order.
   */
  customerName?: string;
  /**
   * Tax id of the buyer for the invoice: for Brazil the CPF (11 digits) or CNPJ (14 digits), digits only.
   */
  customerTaxId?: string;
  /**
   * How the order was paid.
   */
  paymentMethod?:
    'pix' | 'boleto' | 'creditCard' | 'debitCard' | 'bankTransfer' | 'wallet' | 'cashOnDelivery' | 'other';
  /**
   * Number of card installments (parcelas). 1 for a single payment.
   */
  installments?: number;
  billingAddress?: Address;
  shippingAddress?: Address;
  /**
   * Shipping service, e.g. "SEDEX" or "PAC".
   */
  shippingMethod?: string;
  /**
   * Carrier tracking code.
   */
  trackingCode?: string;
  /**
   * Note left by the customer or staff.
   */
  notes?: string;
  /**
   * Labels attached to the order.
   */
  tags?: string[];
  /**
   * When payment was confirmed (ISO 8601 date-time).
   */
  paidAt?: string;
  /**
   * When the order was cancelled (ISO 8601 date-time).
   */
  cancelledAt?: string;
  /**
   * When the order was placed (ISO 8601 date-time).
   */
  createdAt?: string;
  /**
   * When the order last changed in the provider (ISO 8601 date-time).
   */
  updatedAt?: string;
}
/**
 * One product line of an order.
 */
export interface OrderLineItem {
  /**
   * Lumio id of the product record, usually found with a `lookup` transform.
   */
  productId?: string;
  /**
   * Stock keeping unit code.
   */
  sku?: string;
  /**
   * Product name as sold, including the variant, e.g. "Camiseta Azul - M".
   */
  name: string;
  /**
   * Units bought. Fractional for goods sold by weight.
   */
  quantity: number;
  /**
   * Price of one unit before discounts.
   */
  unitPrice: number;
  /**
   * Discount on the whole line.
   */
  discount?: number;
  /**
   * Amount of the line after discounts.
   */
  total?: number;
}
/**
 * A buyer account in a store. Lumio assigns the record id outside this data.
 */
export interface Customer {
  /**
   * Given name.
   */
  firstName?: string;
  /**
   * Family name.
   */
  lastName?: string;
  /**
   * Name as displayed. A mapping often builds it from first and last name with a `concat` transform.
   */
  fullName: string;
  /**
   * E-mail address.
   */
  email?: string;
  /**
   * Phone number, in E.164 form (e.g. "+5521998765432") when possible.
   */
  phone?: string;
  /**
   * National tax id: for Brazil the CPF (11 digits) or, for a business buyer, the CNPJ (14 digits), digits only.
   */
  taxId?: string;
  /**
   * Date of birth (YYYY-MM-DD).
   */
  birthDate?: string;
  /**
   * Whether the customer agreed to receive marketing messages (a consent record under the LGPD).
   */
  acceptsMarketing?: boolean;
  /**
   * Number of orders placed.
   */
  ordersCount?: number;
  /**
   * Total spent across all orders, in major units of `currency`.
   */
  totalSpent?: number;
  /**
   * ISO 4217 code of `totalSpent`, e.g. "BRL".
   */
  currency?: string;
  defaultAddress?: Address;
  /**
   * Staff note about the customer.
   */
  note?: string;
  /**
   * Labels attached to the customer.
   */
  tags?: string[];
  customFields?: CustomFields;
  /**
   * When the customer account was created (ISO 8601 date-time).
   */
  createdAt?: string;
  /**
   * When the customer account last changed (ISO 8601 date-time).
   */
  updatedAt?: string;
}
/**
 * One message sent or received on a messaging channel. Lumio assigns the record id outside this data.
 */
export interface Message {
  /**
   * Channel the message travelled on.
   */
  channel: 'whatsapp' | 'sms' | 'email' | 'instagram' | 'messenger' | 'telegram' | 'webchat' | 'other';
  /**
   * "inbound" from a customer to the business, "outbound" from the business.
   */
  direction: 'inbound' | 'outbound';
  /**
   * Sender address: an E.164 phone number, an e-mail address or a channel user id.
   */
  from?: string;
  /**
   * Main recipient address, in the same forms as `from`.
   */
  to?: string;
  /**
   * Further recipients, for channels such as e-mail that have them.
   */
  cc?: string[];
  /**
   * Subject line, for e-mail.
   */
  subject?: string;
  /**
   * Message text. HTML when `contentType` is "html".
   */
  body?: string;
  /**
   * Kind of content: plain "text", "html", an approved "template" (WhatsApp), "media" (image, audio, video or document) or "other".
   */
  contentType?: 'text' | 'html' | 'template' | 'media' | 'other';
  /**
   * Name of the approved template, when `contentType` is "template".
   */
  templateName?: string;
  /**
   * URLs of attached media.
   */
  mediaUrls?: string[];
  /**
   * Delivery state: "queued", "sent" (accepted by the channel), "delivered" (reached the device or mailbox), "read" or "failed".
   */
  status: 'queued' | 'sent' | 'delivered' | 'read' | 'failed';
  /**
   * Provider error code, when `status` is "failed".
   */
  errorCode?: string;
  /**
   * Provider error text, when `status` is "failed".
   */
  errorMessage?: string;
  /**
   * Provider id of the conversation or thread the message belongs to.
   */
  conversationId?: string;
  /**
   * Lumio id of the contact on the customer side, usually found with a `lookup` transform.
   */
  contactId?: string;
  /**
   * When the message was sent (ISO 8601 date-time).
   */
  sentAt?: string;
  /**
   * When the message was delivered (ISO 8601 date-time).
   */
  deliveredAt?: string;
  /**
   * When the message was read (ISO 8601 date-time).
   */
  readAt?: string;
  /**
   * When the provider recorded the message (ISO 8601 date-time).
   */
  createdAt?: string;
  /**
   * When the message's status last changed (ISO 8601 date-time).
   */
  updatedAt?: string;
}
