//! UN/CEFACT CII (XRechnung, Factur-X/ZUGFeRD 2) read from documents written here by hand after
//! the EN 16931 CII syntax binding, as no public fixture is in ../shared/fixtures: an XRechnung
//! invoice, a credit note, a Factur-X invoice with two instalments. Every value is asserted as
//! computed by hand; then totals that do not add up, missing elements, other date formats, other
//! namespaces and hostile XML; then the XRechnung invoice in the books.

#![allow(clippy::unwrap_used)] // a failed unwrap is a failed test

use chrono::NaiveDate;
use overdue_core::customer::{Contact, ContactRole};
use overdue_core::ids::{Country, Email, Language};
use overdue_core::invoice::{InvoiceKind, InvoiceLine};
use overdue_core::terms::PaymentTerms;
use overdue_formats::einvoice::books::{ForBooks, for_books};
use overdue_formats::einvoice::{self, DocumentKind, DueInstalment, EInvoice, Format, ReadError};
use overdue_formats::xml::XmlError;

/// XRechnung 3.0 (EN 16931 CIUS) in CII: two lines at 19 % and 7 %, a 100.00 allowance at 19 %,
/// 361.43 paid in advance, SEPA credit transfer with IBAN and BIC, one due date.
/// Lines 1200.00 + 49.00 = 1249.00; basis 1249.00 − 100.00 = 1149.00 (1100.00 at 19 %, 49.00 at
/// 7 %); tax 209.00 + 3.43 = 212.43; grand total 1361.43; payable 1361.43 − 361.43 = 1000.00.
const XRECHNUNG: &str = r#"<?xml version="1.0" encoding="UTF-8"?>
<rsm:CrossIndustryInvoice xmlns:rsm="urn:un:unece:uncefact:data:standard:CrossIndustryInvoice:100"
    xmlns:ram="urn:un:unece:uncefact:data:standard:ReusableAggregateBusinessInformationEntity:100"
    xmlns:qdt="urn:un:unece:uncefact:data:standard:QualifiedDataType:100"
    xmlns:udt="urn:un:unece:uncefact:data:standard:UnqualifiedDataType:100">
  <rsm:ExchangedDocumentContext>
    <ram:BusinessProcessSpecifiedDocumentContextParameter>
      <ram:ID>urn:fdc:peppol.eu:2017:poacc:billing:01:1.0</ram:ID>
    </ram:BusinessProcessSpecifiedDocumentContextParameter>
    <ram:GuidelineSpecifiedDocumentContextParameter>
      <ram:ID>urn:cen.eu:en16931:2017#compliant#urn:xeinkauf.de:kosit:xrechnung_3.0</ram:ID>
    </ram:GuidelineSpecifiedDocumentContextParameter>
  </rsm:ExchangedDocumentContext>
  <rsm:ExchangedDocument>
    <ram:ID>RE-2024-0042</ram:ID>
    <ram:TypeCode>380</ram:TypeCode>
    <ram:IssueDateTime><udt:DateTimeString format="102">20240213</udt:DateTimeString></ram:IssueDateTime>
    <ram:IncludedNote><ram:Content>Es gelten unsere AGB.</ram:Content>
      <ram:SubjectCode>AAK</ram:SubjectCode></ram:IncludedNote>
  </rsm:ExchangedDocument>
  <rsm:SupplyChainTradeTransaction>
    <ram:IncludedSupplyChainTradeLineItem>
      <ram:AssociatedDocumentLineDocument><ram:LineID>1</ram:LineID></ram:AssociatedDocumentLineDocument>
      <ram:SpecifiedTradeProduct>
        <ram:SellerAssignedID>BER-01</ram:SellerAssignedID>
        <ram:Name>Beratung
          Januar 2024</ram:Name>
      </ram:SpecifiedTradeProduct>
      <ram:SpecifiedLineTradeAgreement>
        <ram:NetPriceProductTradePrice>
          <ram:ChargeAmount>120.00</ram:ChargeAmount>
        </ram:NetPriceProductTradePrice>
      </ram:SpecifiedLineTradeAgreement>
      <ram:SpecifiedLineTradeDelivery>
        <ram:BilledQuantity unitCode="HUR">10</ram:BilledQuantity>
      </ram:SpecifiedLineTradeDelivery>
      <ram:SpecifiedLineTradeSettlement>
        <ram:ApplicableTradeTax>
          <ram:TypeCode>VAT</ram:TypeCode><ram:CategoryCode>S</ram:CategoryCode>
          <ram:RateApplicablePercent>19</ram:RateApplicablePercent>
        </ram:ApplicableTradeTax>
        <ram:SpecifiedTradeSettlementLineMonetarySummation>
          <ram:LineTotalAmount>1200.00</ram:LineTotalAmount>
        </ram:SpecifiedTradeSettlementLineMonetarySummation>
      </ram:SpecifiedLineTradeSettlement>
    </ram:IncludedSupplyChainTradeLineItem>
    <ram:IncludedSupplyChainTradeLineItem>
      <ram:AssociatedDocumentLineDocument><ram:LineID>2</ram:LineID></ram:AssociatedDocumentLineDocument>
      <ram:SpecifiedTradeProduct>
        <ram:GlobalID schemeID="0160">9783161484100</ram:GlobalID>
        <ram:Name>Fachbuch Forderungsmanagement</ram:Name>
      </ram:SpecifiedTradeProduct>
      <ram:SpecifiedLineTradeAgreement>
        <ram:NetPriceProductTradePrice>
          <ram:ChargeAmount>24.50</ram:ChargeAmount>
        </ram:NetPriceProductTradePrice>
      </ram:SpecifiedLineTradeAgreement>
      <ram:SpecifiedLineTradeDelivery>
        <ram:BilledQuantity unitCode="C62">2</ram:BilledQuantity>
      </ram:SpecifiedLineTradeDelivery>
      <ram:SpecifiedLineTradeSettlement>
        <ram:ApplicableTradeTax>
          <ram:TypeCode>VAT</ram:TypeCode><ram:CategoryCode>S</ram:CategoryCode>
          <ram:RateApplicablePercent>7</ram:RateApplicablePercent>
        </ram:ApplicableTradeTax>
        <ram:SpecifiedTradeSettlementLineMonetarySummation>
          <ram:LineTotalAmount>49.00</ram:LineTotalAmount>
        </ram:SpecifiedTradeSettlementLineMonetarySummation>
      </ram:SpecifiedLineTradeSettlement>
    </ram:IncludedSupplyChainTradeLineItem>
    <ram:ApplicableHeaderTradeAgreement>
      <ram:BuyerReference>04011000-12345-34</ram:BuyerReference>
      <ram:SellerTradeParty>
        <ram:Name>Lieferant GmbH</ram:Name>
        <ram:SpecifiedLegalOrganization><ram:ID>HRB 12345</ram:ID></ram:SpecifiedLegalOrganization>
        <ram:DefinedTradeContact>
          <ram:PersonName>Erika Muster</ram:PersonName>
          <ram:TelephoneUniversalCommunication>
            <ram:CompleteNumber>+49 89 1234560</ram:CompleteNumber>
          </ram:TelephoneUniversalCommunication>
          <ram:EmailURIUniversalCommunication>
            <ram:URIID>buchhaltung@lieferant.example</ram:URIID>
          </ram:EmailURIUniversalCommunication>
        </ram:DefinedTradeContact>
        <ram:PostalTradeAddress>
          <ram:PostcodeCode>80333</ram:PostcodeCode>
          <ram:LineOne>Lieferantenstraße 20</ram:LineOne>
          <ram:CityName>München</ram:CityName>
          <ram:CountryID>DE</ram:CountryID>
        </ram:PostalTradeAddress>
        <ram:URIUniversalCommunication>
          <ram:URIID schemeID="EM">rechnung@lieferant.example</ram:URIID>
        </ram:URIUniversalCommunication>
        <ram:SpecifiedTaxRegistration>
          <ram:ID schemeID="FC">201/113/40209</ram:ID>
        </ram:SpecifiedTaxRegistration>
        <ram:SpecifiedTaxRegistration>
          <ram:ID schemeID="VA">DE123456789</ram:ID>
        </ram:SpecifiedTaxRegistration>
      </ram:SellerTradeParty>
      <ram:BuyerTradeParty>
        <ram:Name>Kunde AG</ram:Name>
        <ram:DefinedTradeContact>
          <ram:PersonName>Max Mustermann</ram:PersonName>
          <ram:TelephoneUniversalCommunication>
            <ram:CompleteNumber>+49 69 1234567</ram:CompleteNumber>
          </ram:TelephoneUniversalCommunication>
          <ram:EmailURIUniversalCommunication>
            <ram:URIID>max.mustermann@kunde.example</ram:URIID>
          </ram:EmailURIUniversalCommunication>
        </ram:DefinedTradeContact>
        <ram:PostalTradeAddress>
          <ram:PostcodeCode>60311</ram:PostcodeCode>
          <ram:LineOne>Kundenstraße 15</ram:LineOne>
          <ram:LineTwo>Gebäude B</ram:LineTwo>
          <ram:CityName>Frankfurt am Main</ram:CityName>
          <ram:CountryID>DE</ram:CountryID>
        </ram:PostalTradeAddress>
        <ram:URIUniversalCommunication>
          <ram:URIID schemeID="0204">04011000-12345-34</ram:URIID>
        </ram:URIUniversalCommunication>
        <ram:SpecifiedTaxRegistration>
          <ram:ID schemeID="VA">DE987654321</ram:ID>
        </ram:SpecifiedTaxRegistration>
      </ram:BuyerTradeParty>
      <ram:BuyerOrderReferencedDocument>
        <ram:IssuerAssignedID>PO-2024-0815</ram:IssuerAssignedID>
      </ram:BuyerOrderReferencedDocument>
    </ram:ApplicableHeaderTradeAgreement>
    <ram:ApplicableHeaderTradeDelivery>
      <ram:ShipToTradeParty>
        <ram:Name>Kunde AG, Lager</ram:Name>
        <ram:PostalTradeAddress>
          <ram:PostcodeCode>60314</ram:PostcodeCode>
          <ram:LineOne>Lagerweg 5</ram:LineOne>
          <ram:LineTwo>Halle 3</ram:LineTwo>
          <ram:CityName>Frankfurt am Main</ram:CityName>
          <ram:CountryID>DE</ram:CountryID>
        </ram:PostalTradeAddress>
      </ram:ShipToTradeParty>
      <ram:ActualDeliverySupplyChainEvent>
        <ram:OccurrenceDateTime><udt:DateTimeString format="102">20240131</udt:DateTimeString></ram:OccurrenceDateTime>
      </ram:ActualDeliverySupplyChainEvent>
    </ram:ApplicableHeaderTradeDelivery>
    <ram:ApplicableHeaderTradeSettlement>
      <ram:PaymentReference>RE-2024-0042</ram:PaymentReference>
      <ram:InvoiceCurrencyCode>EUR</ram:InvoiceCurrencyCode>
      <ram:SpecifiedTradeSettlementPaymentMeans>
        <ram:TypeCode>58</ram:TypeCode>
        <ram:Information>SEPA-Überweisung</ram:Information>
        <ram:PayeePartyCreditorFinancialAccount>
          <ram:IBANID>DE02 1203 0000 0000 2020 51</ram:IBANID>
          <ram:AccountName>Lieferant GmbH</ram:AccountName>
        </ram:PayeePartyCreditorFinancialAccount>
        <ram:PayeeSpecifiedCreditorFinancialInstitution>
          <ram:BICID>BYLADEM1001</ram:BICID>
        </ram:PayeeSpecifiedCreditorFinancialInstitution>
      </ram:SpecifiedTradeSettlementPaymentMeans>
      <ram:ApplicableTradeTax>
        <ram:CalculatedAmount>209.00</ram:CalculatedAmount>
        <ram:TypeCode>VAT</ram:TypeCode>
        <ram:BasisAmount>1100.00</ram:BasisAmount>
        <ram:CategoryCode>S</ram:CategoryCode>
        <ram:RateApplicablePercent>19</ram:RateApplicablePercent>
      </ram:ApplicableTradeTax>
      <ram:ApplicableTradeTax>
        <ram:CalculatedAmount>3.43</ram:CalculatedAmount>
        <ram:TypeCode>VAT</ram:TypeCode>
        <ram:BasisAmount>49.00</ram:BasisAmount>
        <ram:CategoryCode>S</ram:CategoryCode>
        <ram:RateApplicablePercent>7</ram:RateApplicablePercent>
      </ram:ApplicableTradeTax>
      <ram:BillingSpecifiedPeriod>
        <ram:StartDateTime><udt:DateTimeString format="102">20240101</udt:DateTimeString></ram:StartDateTime>
        <ram:EndDateTime><udt:DateTimeString format="102">20240131</udt:DateTimeString></ram:EndDateTime>
      </ram:BillingSpecifiedPeriod>
      <ram:SpecifiedTradeAllowanceCharge>
        <ram:ChargeIndicator><udt:Indicator>false</udt:Indicator></ram:ChargeIndicator>
        <ram:ActualAmount>100.00</ram:ActualAmount>
        <ram:ReasonCode>95</ram:ReasonCode>
        <ram:Reason>Treuerabatt</ram:Reason>
        <ram:CategoryTradeTax>
          <ram:TypeCode>VAT</ram:TypeCode><ram:CategoryCode>S</ram:CategoryCode>
          <ram:RateApplicablePercent>19</ram:RateApplicablePercent>
        </ram:CategoryTradeTax>
      </ram:SpecifiedTradeAllowanceCharge>
      <ram:SpecifiedTradePaymentTerms>
        <ram:Description>Zahlbar innerhalb von 30 Tagen ohne Abzug</ram:Description>
        <ram:DueDateDateTime><udt:DateTimeString format="102">20240314</udt:DateTimeString></ram:DueDateDateTime>
      </ram:SpecifiedTradePaymentTerms>
      <ram:SpecifiedTradeSettlementHeaderMonetarySummation>
        <ram:LineTotalAmount>1249.00</ram:LineTotalAmount>
        <ram:ChargeTotalAmount>0.00</ram:ChargeTotalAmount>
        <ram:AllowanceTotalAmount>100.00</ram:AllowanceTotalAmount>
        <ram:TaxBasisTotalAmount>1149.00</ram:TaxBasisTotalAmount>
        <ram:TaxTotalAmount currencyID="EUR">212.43</ram:TaxTotalAmount>
        <ram:GrandTotalAmount>1361.43</ram:GrandTotalAmount>
        <ram:TotalPrepaidAmount>361.43</ram:TotalPrepaidAmount>
        <ram:DuePayableAmount>1000.00</ram:DuePayableAmount>
      </ram:SpecifiedTradeSettlementHeaderMonetarySummation>
    </ram:ApplicableHeaderTradeSettlement>
  </rsm:SupplyChainTradeTransaction>
</rsm:CrossIndustryInvoice>
"#;

/// A credit note (381) in US dollars for one returned book at 7 %, with the VAT also stated in
/// euros (BT-111) before the dollar amount: 24.50 + 1.72 (1.715 rounded) = 26.22 to credit.
const CREDIT_NOTE: &str = r#"<?xml version="1.0" encoding="UTF-8"?>
<rsm:CrossIndustryInvoice xmlns:rsm="urn:un:unece:uncefact:data:standard:CrossIndustryInvoice:100"
    xmlns:ram="urn:un:unece:uncefact:data:standard:ReusableAggregateBusinessInformationEntity:100"
    xmlns:udt="urn:un:unece:uncefact:data:standard:UnqualifiedDataType:100">
  <rsm:ExchangedDocumentContext>
    <ram:GuidelineSpecifiedDocumentContextParameter>
      <ram:ID>urn:cen.eu:en16931:2017</ram:ID>
    </ram:GuidelineSpecifiedDocumentContextParameter>
  </rsm:ExchangedDocumentContext>
  <rsm:ExchangedDocument>
    <ram:ID>GS-2024-0007</ram:ID>
    <ram:TypeCode>381</ram:TypeCode>
    <ram:IssueDateTime><udt:DateTimeString format="102">20240220</udt:DateTimeString></ram:IssueDateTime>
  </rsm:ExchangedDocument>
  <rsm:SupplyChainTradeTransaction>
    <ram:IncludedSupplyChainTradeLineItem>
      <ram:AssociatedDocumentLineDocument><ram:LineID>1</ram:LineID></ram:AssociatedDocumentLineDocument>
      <ram:SpecifiedTradeProduct><ram:Description>Returned book</ram:Description></ram:SpecifiedTradeProduct>
      <ram:SpecifiedLineTradeAgreement>
        <ram:NetPriceProductTradePrice>
          <ram:ChargeAmount>24.50</ram:ChargeAmount>
        </ram:NetPriceProductTradePrice>
      </ram:SpecifiedLineTradeAgreement>
      <ram:SpecifiedLineTradeDelivery>
        <ram:BilledQuantity unitCode="C62">1</ram:BilledQuantity>
      </ram:SpecifiedLineTradeDelivery>
      <ram:SpecifiedLineTradeSettlement>
        <ram:ApplicableTradeTax><ram:TypeCode>VAT</ram:TypeCode><ram:CategoryCode>S</ram:CategoryCode>
          <ram:RateApplicablePercent>7</ram:RateApplicablePercent></ram:ApplicableTradeTax>
        <ram:SpecifiedTradeSettlementLineMonetarySummation>
          <ram:LineTotalAmount>24.50</ram:LineTotalAmount>
        </ram:SpecifiedTradeSettlementLineMonetarySummation>
      </ram:SpecifiedLineTradeSettlement>
    </ram:IncludedSupplyChainTradeLineItem>
    <ram:ApplicableHeaderTradeAgreement>
      <ram:SellerTradeParty>
        <ram:Name>Lieferant GmbH</ram:Name>
        <ram:PostalTradeAddress><ram:CountryID>DE</ram:CountryID></ram:PostalTradeAddress>
        <ram:SpecifiedTaxRegistration>
          <ram:ID schemeID="VA">DE123456789</ram:ID>
        </ram:SpecifiedTaxRegistration>
      </ram:SellerTradeParty>
      <ram:BuyerTradeParty>
        <ram:ID>K-1001</ram:ID>
        <ram:Name>Buyer Inc.</ram:Name>
        <ram:PostalTradeAddress><ram:PostcodeCode>10001</ram:PostcodeCode>
          <ram:CityName>New York</ram:CityName><ram:CountryID>US</ram:CountryID></ram:PostalTradeAddress>
      </ram:BuyerTradeParty>
    </ram:ApplicableHeaderTradeAgreement>
    <ram:ApplicableHeaderTradeDelivery/>
    <ram:ApplicableHeaderTradeSettlement>
      <ram:TaxCurrencyCode>EUR</ram:TaxCurrencyCode>
      <ram:InvoiceCurrencyCode>USD</ram:InvoiceCurrencyCode>
      <ram:ApplicableTradeTax>
        <ram:CalculatedAmount>1.72</ram:CalculatedAmount><ram:TypeCode>VAT</ram:TypeCode>
        <ram:BasisAmount>24.50</ram:BasisAmount><ram:CategoryCode>S</ram:CategoryCode>
        <ram:RateApplicablePercent>7</ram:RateApplicablePercent>
      </ram:ApplicableTradeTax>
      <ram:SpecifiedTradeSettlementHeaderMonetarySummation>
        <ram:LineTotalAmount>24.50</ram:LineTotalAmount>
        <ram:TaxBasisTotalAmount>24.50</ram:TaxBasisTotalAmount>
        <ram:TaxTotalAmount currencyID="EUR">1.58</ram:TaxTotalAmount>
        <ram:TaxTotalAmount currencyID="USD">1.72</ram:TaxTotalAmount>
        <ram:GrandTotalAmount>26.22</ram:GrandTotalAmount>
        <ram:DuePayableAmount>26.22</ram:DuePayableAmount>
      </ram:SpecifiedTradeSettlementHeaderMonetarySummation>
      <ram:InvoiceReferencedDocument>
        <ram:IssuerAssignedID>RE-2024-0042</ram:IssuerAssignedID>
      </ram:InvoiceReferencedDocument>
    </ram:ApplicableHeaderTradeSettlement>
  </rsm:SupplyChainTradeTransaction>
</rsm:CrossIndustryInvoice>
"#;

/// Factur-X (BASIC layout, with the instalments EXTENDED allows): two lines at 20 %, a 100.00
/// transport charge, half due on 15 April and half on 15 May.
/// Lines 4000.00 + 500.00 = 4500.00; basis 4600.00; tax 920.00; grand total and payable 5520.00.
const FACTUR_X: &str = r#"<?xml version='1.0' encoding='UTF-8'?>
<rsm:CrossIndustryInvoice xmlns:qdt="urn:un:unece:uncefact:data:standard:QualifiedDataType:100"
  xmlns:ram="urn:un:unece:uncefact:data:standard:ReusableAggregateBusinessInformationEntity:100"
  xmlns:rsm="urn:un:unece:uncefact:data:standard:CrossIndustryInvoice:100"
  xmlns:udt="urn:un:unece:uncefact:data:standard:UnqualifiedDataType:100">
  <rsm:ExchangedDocumentContext>
    <ram:GuidelineSpecifiedDocumentContextParameter>
      <ram:ID>urn:cen.eu:en16931:2017#compliant#urn:factur-x.eu:1p0:basic</ram:ID>
    </ram:GuidelineSpecifiedDocumentContextParameter>
  </rsm:ExchangedDocumentContext>
  <rsm:ExchangedDocument>
    <ram:ID>FA-2024-118</ram:ID>
    <ram:TypeCode>380</ram:TypeCode>
    <ram:IssueDateTime><udt:DateTimeString format="102">20240401</udt:DateTimeString></ram:IssueDateTime>
  </rsm:ExchangedDocument>
  <rsm:SupplyChainTradeTransaction>
    <ram:IncludedSupplyChainTradeLineItem>
      <ram:AssociatedDocumentLineDocument><ram:LineID>10</ram:LineID></ram:AssociatedDocumentLineDocument>
      <ram:SpecifiedTradeProduct><ram:Name>Four à pain électrique</ram:Name></ram:SpecifiedTradeProduct>
      <ram:SpecifiedLineTradeAgreement><ram:NetPriceProductTradePrice>
        <ram:ChargeAmount>4000</ram:ChargeAmount></ram:NetPriceProductTradePrice></ram:SpecifiedLineTradeAgreement>
      <ram:SpecifiedLineTradeDelivery>
        <ram:BilledQuantity unitCode="H87">1.000</ram:BilledQuantity>
      </ram:SpecifiedLineTradeDelivery>
      <ram:SpecifiedLineTradeSettlement>
        <ram:ApplicableTradeTax><ram:TypeCode>VAT</ram:TypeCode><ram:CategoryCode>S</ram:CategoryCode>
          <ram:RateApplicablePercent>20.00</ram:RateApplicablePercent></ram:ApplicableTradeTax>
        <ram:SpecifiedTradeSettlementLineMonetarySummation>
          <ram:LineTotalAmount>4000.00</ram:LineTotalAmount>
        </ram:SpecifiedTradeSettlementLineMonetarySummation>
      </ram:SpecifiedLineTradeSettlement>
    </ram:IncludedSupplyChainTradeLineItem>
    <ram:IncludedSupplyChainTradeLineItem>
      <ram:AssociatedDocumentLineDocument><ram:LineID>20</ram:LineID></ram:AssociatedDocumentLineDocument>
      <ram:SpecifiedTradeProduct><ram:Name>Installation</ram:Name></ram:SpecifiedTradeProduct>
      <ram:SpecifiedLineTradeAgreement><ram:NetPriceProductTradePrice>
        <ram:ChargeAmount>62.50</ram:ChargeAmount></ram:NetPriceProductTradePrice></ram:SpecifiedLineTradeAgreement>
      <ram:SpecifiedLineTradeDelivery>
        <ram:BilledQuantity unitCode="HUR">8</ram:BilledQuantity>
      </ram:SpecifiedLineTradeDelivery>
      <ram:SpecifiedLineTradeSettlement>
        <ram:ApplicableTradeTax><ram:TypeCode>VAT</ram:TypeCode><ram:CategoryCode>S</ram:CategoryCode>
          <ram:RateApplicablePercent>20.00</ram:RateApplicablePercent></ram:ApplicableTradeTax>
        <ram:SpecifiedTradeSettlementLineMonetarySummation>
          <ram:LineTotalAmount>500.00</ram:LineTotalAmount>
        </ram:SpecifiedTradeSettlementLineMonetarySummation>
      </ram:SpecifiedLineTradeSettlement>
    </ram:IncludedSupplyChainTradeLineItem>
    <ram:ApplicableHeaderTradeAgreement>
      <ram:SellerTradeParty>
        <ram:GlobalID schemeID="0088">3012345678901</ram:GlobalID>
        <ram:Name>Atelier Durand SARL</ram:Name>
        <ram:SpecifiedLegalOrganization>
          <ram:ID schemeID="0002">123456789</ram:ID>
        </ram:SpecifiedLegalOrganization>
        <ram:PostalTradeAddress><ram:PostcodeCode>69002</ram:PostcodeCode>
          <ram:LineOne>12 rue de la République</ram:LineOne><ram:CityName>Lyon</ram:CityName>
          <ram:CountryID>FR</ram:CountryID></ram:PostalTradeAddress>
        <ram:SpecifiedTaxRegistration>
          <ram:ID schemeID="VA">FR32123456789</ram:ID>
        </ram:SpecifiedTaxRegistration>
      </ram:SellerTradeParty>
      <ram:BuyerTradeParty>
        <ram:ID>CLI-0042</ram:ID>
        <ram:Name>Boulangerie Martin SAS</ram:Name>
        <ram:SpecifiedLegalOrganization>
          <ram:ID schemeID="0002">732829320</ram:ID>
        </ram:SpecifiedLegalOrganization>
        <ram:PostalTradeAddress><ram:PostcodeCode>75011</ram:PostcodeCode>
          <ram:LineOne>3 place Léon Blum</ram:LineOne><ram:CityName>Paris</ram:CityName>
          <ram:CountryID>FR</ram:CountryID></ram:PostalTradeAddress>
        <ram:URIUniversalCommunication>
          <ram:URIID schemeID="EM">compta@boulangerie-martin.example</ram:URIID>
        </ram:URIUniversalCommunication>
      </ram:BuyerTradeParty>
      <ram:BuyerOrderReferencedDocument>
        <ram:IssuerAssignedID>BC-77</ram:IssuerAssignedID>
      </ram:BuyerOrderReferencedDocument>
    </ram:ApplicableHeaderTradeAgreement>
    <ram:ApplicableHeaderTradeDelivery>
      <ram:ActualDeliverySupplyChainEvent>
        <ram:OccurrenceDateTime><udt:DateTimeString format="102">20240328</udt:DateTimeString></ram:OccurrenceDateTime>
      </ram:ActualDeliverySupplyChainEvent>
    </ram:ApplicableHeaderTradeDelivery>
    <ram:ApplicableHeaderTradeSettlement>
      <ram:InvoiceCurrencyCode>EUR</ram:InvoiceCurrencyCode>
      <ram:SpecifiedTradeSettlementPaymentMeans>
        <ram:TypeCode>30</ram:TypeCode>
        <ram:PayeePartyCreditorFinancialAccount>
          <ram:IBANID>FR7630006000011234567890189</ram:IBANID>
        </ram:PayeePartyCreditorFinancialAccount>
      </ram:SpecifiedTradeSettlementPaymentMeans>
      <ram:ApplicableTradeTax>
        <ram:CalculatedAmount>920.00</ram:CalculatedAmount><ram:TypeCode>VAT</ram:TypeCode>
        <ram:BasisAmount>4600.00</ram:BasisAmount><ram:CategoryCode>S</ram:CategoryCode>
        <ram:DueDateTypeCode>72</ram:DueDateTypeCode>
        <ram:RateApplicablePercent>20.00</ram:RateApplicablePercent>
      </ram:ApplicableTradeTax>
      <ram:SpecifiedTradeAllowanceCharge>
        <ram:ChargeIndicator><udt:Indicator>true</udt:Indicator></ram:ChargeIndicator>
        <ram:ActualAmount>100.00</ram:ActualAmount>
        <ram:Reason>Transport</ram:Reason>
        <ram:CategoryTradeTax><ram:TypeCode>VAT</ram:TypeCode><ram:CategoryCode>S</ram:CategoryCode>
          <ram:RateApplicablePercent>20.00</ram:RateApplicablePercent></ram:CategoryTradeTax>
      </ram:SpecifiedTradeAllowanceCharge>
      <ram:SpecifiedTradePaymentTerms>
        <ram:Description>Solde à 30 jours</ram:Description>
        <ram:DueDateDateTime><udt:DateTimeString format="102">20240515</udt:DateTimeString></ram:DueDateDateTime>
        <ram:PartialPaymentAmount>2760.00</ram:PartialPaymentAmount>
      </ram:SpecifiedTradePaymentTerms>
      <ram:SpecifiedTradePaymentTerms>
        <ram:Description>Acompte 50 % à la commande</ram:Description>
        <ram:DueDateDateTime><udt:DateTimeString format="102">20240415</udt:DateTimeString></ram:DueDateDateTime>
        <ram:PartialPaymentAmount>2760.00</ram:PartialPaymentAmount>
      </ram:SpecifiedTradePaymentTerms>
      <ram:SpecifiedTradeSettlementHeaderMonetarySummation>
        <ram:LineTotalAmount>4500.00</ram:LineTotalAmount>
        <ram:ChargeTotalAmount>100.00</ram:ChargeTotalAmount>
        <ram:AllowanceTotalAmount>0.00</ram:AllowanceTotalAmount>
        <ram:TaxBasisTotalAmount>4600.00</ram:TaxBasisTotalAmount>
        <ram:TaxTotalAmount currencyID="EUR">920.00</ram:TaxTotalAmount>
        <ram:GrandTotalAmount>5520.00</ram:GrandTotalAmount>
        <ram:DuePayableAmount>5520.00</ram:DuePayableAmount>
      </ram:SpecifiedTradeSettlementHeaderMonetarySummation>
    </ram:ApplicableHeaderTradeSettlement>
  </rsm:SupplyChainTradeTransaction>
</rsm:CrossIndustryInvoice>
"#;

const SETTLEMENT: &str = "/CrossIndustryInvoice/SupplyChainTradeTransaction/ApplicableHeaderTradeSettlement";
const SUMMATION: &str = "/CrossIndustryInvoice/SupplyChainTradeTransaction/ApplicableHeaderTradeSettlement/\
                         SpecifiedTradeSettlementHeaderMonetarySummation";

fn read_one(bytes: &[u8]) -> EInvoice {
    let (format, mut invoices) = einvoice::read(bytes).unwrap();
    assert_eq!((format, invoices.len()), (Format::Cii, 1));
    invoices.remove(0).unwrap_or_else(|e| panic!("{e}"))
}

/// `document` with the first `from` replaced by `to`.
fn edited(document: &str, from: &str, to: &str) -> Vec<u8> {
    assert!(document.contains(from), "{from}");
    document.replacen(from, to, 1).into_bytes()
}

fn rejection(bytes: &[u8]) -> String {
    let (_, invoices) = einvoice::read(bytes).unwrap();
    invoices[0].as_ref().unwrap_err().to_string()
}

fn d(text: &str) -> NaiveDate {
    NaiveDate::parse_from_str(text, "%Y-%m-%d").unwrap()
}

fn amounts(invoice: &EInvoice) -> Vec<String> {
    let t = invoice.totals;
    [t.lines, t.allowances, t.charges, t.tax_exclusive, t.tax, t.tax_inclusive, t.prepaid, t.rounding, t.payable]
        .iter()
        .map(|m| m.to_decimal_string())
        .collect()
}

/// Each line as (id, description, quantity, unit code, net, tax percent).
fn lines(invoice: &EInvoice) -> Vec<[String; 6]> {
    invoice
        .lines
        .iter()
        .map(|l| {
            let text = |t: &Option<String>| t.clone().unwrap_or_default();
            let net = l.net.to_decimal_string();
            [l.id.clone(), l.description.clone(), text(&l.quantity), text(&l.unit_code), net, text(&l.tax_percent)]
        })
        .collect()
}

fn row(values: [&str; 6]) -> [String; 6] {
    values.map(str::to_owned)
}

/// Each due date as (date, amount).
fn due(invoice: &EInvoice) -> Vec<(String, Option<String>)> {
    let pair = |d: &DueInstalment| (d.due_date.to_string(), d.amount.map(|a| a.to_decimal_string()));
    invoice.due_dates.iter().map(pair).collect()
}

#[test]
fn an_xrechnung_invoice_reads_with_every_field() {
    let e = read_one(XRECHNUNG.as_bytes());
    assert_eq!((e.format, e.kind, e.number.as_str()), (Format::Cii, DocumentKind::Invoice, "RE-2024-0042"));
    assert_eq!((e.issue_date, e.currency.code()), (d("2024-02-13"), "EUR"));
    assert_eq!(amounts(&e), ["1249.00", "100.00", "0.00", "1149.00", "212.43", "1361.43", "361.43", "0.00", "1000.00"]);
    assert_eq!(
        lines(&e),
        [
            row(["1", "Beratung Januar 2024", "10", "HUR", "1200.00", "19"]),
            row(["2", "Fachbuch Forderungsmanagement", "2", "C62", "49.00", "7"]),
        ]
    );
    assert_eq!(due(&e), [("2024-03-14".to_owned(), None)]);
    assert_eq!(e.terms_note.as_deref(), Some("Zahlbar innerhalb von 30 Tagen ohne Abzug"));
    assert_eq!(e.payment_means.len(), 1);
    let means = &e.payment_means[0];
    assert_eq!(
        (means.code.as_str(), means.iban.as_deref(), means.bic.as_deref(), means.reference.as_deref()),
        ("58", Some("DE02120300000000202051"), Some("BYLADEM1001"), Some("RE-2024-0042"))
    );
    assert_eq!(
        (e.buyer_reference.as_deref(), e.order_reference.as_deref()),
        (Some("04011000-12345-34"), Some("PO-2024-0815"))
    );
    assert_eq!((e.supply_from, e.supply_to), (Some(d("2024-01-01")), Some(d("2024-01-31"))));
    assert_eq!(e.delivery_date, Some(d("2024-01-31")));
    assert_eq!(e.delivery_place.as_deref(), Some("Lagerweg 5, Halle 3, 60314 Frankfurt am Main"));
}

#[test]
fn the_xrechnung_parties_keep_vat_ids_contacts_and_electronic_addresses() {
    let e = read_one(XRECHNUNG.as_bytes());
    let b = &e.buyer;
    assert_eq!(
        (b.name.as_str(), b.tax_id.as_deref(), b.country.as_deref()),
        ("Kunde AG", Some("DE987654321"), Some("DE"))
    );
    assert_eq!(b.id.as_deref(), Some("04011000-12345-34"), "the electronic address (Leitweg-ID), not an e-mail");
    assert_eq!(b.address.as_deref(), Some("Kundenstraße 15, Gebäude B, 60311 Frankfurt am Main"));
    assert_eq!(
        (b.contact_name.as_deref(), b.email.as_deref(), b.phone.as_deref()),
        (Some("Max Mustermann"), Some("max.mustermann@kunde.example"), Some("+49 69 1234567"))
    );
    let s = &e.seller;
    assert_eq!(s.name, "Lieferant GmbH");
    assert_eq!(s.tax_id.as_deref(), Some("DE123456789"), "the VAT id (VA), not the tax number (FC)");
    assert_eq!(s.id, None, "an EM electronic address is an e-mail, not an id");
    assert_eq!(s.address.as_deref(), Some("Lieferantenstraße 20, 80333 München"));
    assert_eq!(
        (s.contact_name.as_deref(), s.email.as_deref(), s.phone.as_deref()),
        (Some("Erika Muster"), Some("buchhaltung@lieferant.example"), Some("+49 89 1234560"))
    );
}

#[test]
fn a_credit_note_reads_with_the_tax_total_in_its_own_currency() {
    let e = read_one(CREDIT_NOTE.as_bytes());
    assert_eq!((e.format, e.kind, e.number.as_str()), (Format::Cii, DocumentKind::CreditNote, "GS-2024-0007"));
    assert_eq!((e.issue_date, e.currency.code()), (d("2024-02-20"), "USD"));
    assert_eq!(amounts(&e), ["24.50", "0.00", "0.00", "24.50", "1.72", "26.22", "0.00", "0.00", "26.22"]);
    assert_eq!(lines(&e), [row(["1", "Returned book", "1", "C62", "24.50", "7"])], "the description for a name");
    assert!(e.due_dates.is_empty() && e.payment_means.is_empty() && e.terms_note.is_none());
    assert_eq!(
        (e.buyer.name.as_str(), e.buyer.id.as_deref(), e.buyer.tax_id.as_deref()),
        ("Buyer Inc.", Some("K-1001"), None)
    );
    assert_eq!((e.buyer.country.as_deref(), e.buyer.address.as_deref()), (Some("US"), Some("10001 New York")));
    assert_eq!((e.buyer.email.as_deref(), e.buyer.contact_name.as_deref()), (None, None));
    assert_eq!((e.buyer_reference.as_deref(), e.order_reference.as_deref()), (None, None));
    assert_eq!((e.supply_from, e.supply_to, e.delivery_date, e.delivery_place.as_deref()), (None, None, None, None));
    for (code, kind) in
        [("261", DocumentKind::CreditNote), ("384", DocumentKind::Invoice), ("389", DocumentKind::Invoice)]
    {
        let bytes = edited(CREDIT_NOTE, "<ram:TypeCode>381<", &format!("<ram:TypeCode>{code}<"));
        assert_eq!(read_one(&bytes).kind, kind, "{code}");
    }
}

#[test]
fn a_factur_x_invoice_reads_with_two_instalments_by_date() {
    let e = read_one(FACTUR_X.as_bytes());
    assert_eq!((e.format, e.kind, e.number.as_str()), (Format::Cii, DocumentKind::Invoice, "FA-2024-118"));
    assert_eq!((e.issue_date, e.currency.code()), (d("2024-04-01"), "EUR"));
    assert_eq!(amounts(&e), ["4500.00", "0.00", "100.00", "4600.00", "920.00", "5520.00", "0.00", "0.00", "5520.00"]);
    assert_eq!(
        lines(&e),
        [
            row(["10", "Four à pain électrique", "1.000", "H87", "4000.00", "20.00"]),
            row(["20", "Installation", "8", "HUR", "500.00", "20.00"]),
        ]
    );
    assert_eq!(
        due(&e),
        [("2024-04-15".to_owned(), Some("2760.00".to_owned())), ("2024-05-15".to_owned(), Some("2760.00".to_owned()))]
    );
    assert_eq!(e.terms_note.as_deref(), Some("Solde à 30 jours; Acompte 50 % à la commande"), "as written");
    let means = &e.payment_means[0];
    assert_eq!(
        (means.code.as_str(), means.iban.as_deref(), means.bic.as_deref(), means.reference.as_deref()),
        ("30", Some("FR7630006000011234567890189"), None, None)
    );
    let b = &e.buyer;
    assert_eq!((b.name.as_str(), b.id.as_deref()), ("Boulangerie Martin SAS", Some("CLI-0042")));
    assert_eq!(b.tax_id.as_deref(), Some("732829320"), "without a VAT id, the legal registration (SIREN)");
    assert_eq!(b.email.as_deref(), Some("compta@boulangerie-martin.example"), "from the EM electronic address");
    assert_eq!(b.address.as_deref(), Some("3 place Léon Blum, 75011 Paris"));
    assert_eq!((e.seller.id.as_deref(), e.seller.tax_id.as_deref()), (Some("3012345678901"), Some("FR32123456789")));
    assert_eq!((e.order_reference.as_deref(), e.delivery_date), (Some("BC-77"), Some(d("2024-03-28"))));
    assert_eq!((e.supply_from, e.supply_to, e.delivery_place.as_deref()), (None, None, None));
}

/// The XRechnung invoice with a third line of 999.00 marked `status` (Factur-X EXTENDED).
fn with_marked_line(status: &str) -> Vec<u8> {
    let line = format!(
        "<ram:IncludedSupplyChainTradeLineItem><ram:AssociatedDocumentLineDocument><ram:LineID>9</ram:LineID>\
         <ram:LineStatusReasonCode>{status}</ram:LineStatusReasonCode></ram:AssociatedDocumentLineDocument>\
         <ram:SpecifiedLineTradeSettlement><ram:SpecifiedTradeSettlementLineMonetarySummation>\
         <ram:LineTotalAmount>999.00</ram:LineTotalAmount></ram:SpecifiedTradeSettlementLineMonetarySummation>\
         </ram:SpecifiedLineTradeSettlement></ram:IncludedSupplyChainTradeLineItem>"
    );
    let anchor = "<ram:ApplicableHeaderTradeAgreement>";
    edited(XRECHNUNG, anchor, &format!("{line}{anchor}"))
}

#[test]
fn group_and_information_lines_do_not_count_but_detail_lines_do() {
    for status in ["GROUP", "INFORMATION"] {
        let e = read_one(&with_marked_line(status));
        assert_eq!((e.lines.len(), e.totals.lines.to_decimal_string().as_str()), (2, "1249.00"), "{status}");
    }
    assert_eq!(
        rejection(&with_marked_line("DETAIL")),
        format!("{SUMMATION}/LineTotalAmount: LineTotalAmount is 1249.00 but the sum of the lines gives 2248.00")
    );
}

#[test]
fn a_date_without_its_format_attribute_is_read_as_format_102() {
    let bytes = edited(XRECHNUNG, r#"<udt:DateTimeString format="102">20240213"#, "<udt:DateTimeString>20240213");
    assert_eq!(read_one(&bytes).issue_date, d("2024-02-13"));
}

#[test]
fn totals_that_do_not_add_up_are_rejected_with_both_numbers_and_the_path() {
    let cases = [
        (
            "<ram:DuePayableAmount>1000.00<",
            "<ram:DuePayableAmount>1010.00<",
            "DuePayableAmount: DuePayableAmount is 1010.00 but grand total − prepaid + rounding gives 1000.00",
        ),
        (
            "<ram:LineTotalAmount>1249.00<",
            "<ram:LineTotalAmount>1294.00<",
            "LineTotalAmount: LineTotalAmount is 1294.00 but the sum of the lines gives 1249.00",
        ),
        (
            "<ram:AllowanceTotalAmount>100.00<",
            "<ram:AllowanceTotalAmount>10.00<",
            "AllowanceTotalAmount: AllowanceTotalAmount is 10.00 but the sum of the allowances gives 100.00",
        ),
        (
            "<ram:ChargeTotalAmount>0.00<",
            "<ram:ChargeTotalAmount>5.00<",
            "ChargeTotalAmount: ChargeTotalAmount is 5.00 but the sum of the charges gives 0.00",
        ),
        (
            "<ram:TaxBasisTotalAmount>1149.00<",
            "<ram:TaxBasisTotalAmount>1249.00<",
            "TaxBasisTotalAmount: TaxBasisTotalAmount is 1249.00 but lines − allowances + charges gives 1149.00",
        ),
        (
            "<ram:BasisAmount>49.00<",
            "<ram:BasisAmount>94.00<",
            "TaxBasisTotalAmount: TaxBasisTotalAmount is 1149.00 but the VAT breakdown gives 1194.00",
        ),
        (
            ">212.43</ram:TaxTotalAmount>",
            ">212.34</ram:TaxTotalAmount>",
            "TaxTotalAmount: TaxTotalAmount is 212.34 but the VAT breakdown gives 212.43",
        ),
        (
            "<ram:GrandTotalAmount>1361.43<",
            "<ram:GrandTotalAmount>1316.43<",
            "GrandTotalAmount: GrandTotalAmount is 1316.43 but tax basis + tax gives 1361.43",
        ),
    ];
    for (from, to, expected) in cases {
        assert_eq!(rejection(&edited(XRECHNUNG, from, to)), format!("{SUMMATION}/{expected}"));
    }
    let rounding = "<ram:RoundingAmount>0.07</ram:RoundingAmount><ram:GrandTotalAmount>";
    let text = String::from_utf8(edited(XRECHNUNG, "<ram:GrandTotalAmount>", rounding)).unwrap();
    let e = read_one(&edited(&text, "<ram:DuePayableAmount>1000.00<", "<ram:DuePayableAmount>1000.07<"));
    assert_eq!(
        (e.totals.rounding.to_decimal_string(), e.totals.payable.to_decimal_string()),
        ("0.07".into(), "1000.07".into())
    );
}

#[test]
fn missing_mandatory_elements_are_named() {
    let root = "/CrossIndustryInvoice";
    let transaction = "/CrossIndustryInvoice/SupplyChainTradeTransaction";
    let cases = [
        ("<ram:ID>RE-2024-0042</ram:ID>", "", format!("{root}/ExchangedDocument/ID: is missing or empty")),
        ("<ram:TypeCode>380</ram:TypeCode>", "", format!("{root}/ExchangedDocument/TypeCode: is missing or empty")),
        (
            "<ram:TypeCode>380</ram:TypeCode>",
            "<ram:TypeCode>INV</ram:TypeCode>",
            format!(
                "{root}/ExchangedDocument/TypeCode: \"INV\" is not a UNTDID 1001 document type such as 380 (invoice) or \
                 381 (credit note)"
            ),
        ),
        (
            r#"<ram:IssueDateTime><udt:DateTimeString format="102">20240213</udt:DateTimeString></ram:IssueDateTime>"#,
            "",
            format!("{root}/ExchangedDocument/IssueDateTime: is missing"),
        ),
        (
            "<ram:InvoiceCurrencyCode>EUR</ram:InvoiceCurrencyCode>",
            "",
            format!("{SETTLEMENT}/InvoiceCurrencyCode: is missing or empty"),
        ),
        (
            "<ram:Name>Kunde AG</ram:Name>",
            "",
            format!("{transaction}/ApplicableHeaderTradeAgreement/BuyerTradeParty/Name: is missing or empty"),
        ),
        (
            "<ram:LineTotalAmount>49.00</ram:LineTotalAmount>",
            "",
            format!(
                "{transaction}/IncludedSupplyChainTradeLineItem[2]/SpecifiedLineTradeSettlement/\
                 SpecifiedTradeSettlementLineMonetarySummation/LineTotalAmount: is missing"
            ),
        ),
        (
            "<ram:ActualAmount>100.00</ram:ActualAmount>",
            "",
            format!("{SETTLEMENT}/SpecifiedTradeAllowanceCharge[1]/ActualAmount: is missing"),
        ),
        (
            "<udt:Indicator>false</udt:Indicator>",
            "<udt:Indicator>no</udt:Indicator>",
            format!(
                "{SETTLEMENT}/SpecifiedTradeAllowanceCharge[1]/ChargeIndicator/Indicator: \"no\" is neither true \
                 (charge) nor false (allowance)"
            ),
        ),
        (
            "<ram:CalculatedAmount>3.43</ram:CalculatedAmount>",
            "",
            format!("{SETTLEMENT}/ApplicableTradeTax[2]/CalculatedAmount: is missing"),
        ),
    ];
    for (from, to, expected) in cases {
        assert_eq!(rejection(&edited(XRECHNUNG, from, to)), expected, "{from}");
    }
    let start = XRECHNUNG.find("<ram:ApplicableHeaderTradeSettlement>").unwrap();
    let end = XRECHNUNG.find("</ram:ApplicableHeaderTradeSettlement>").unwrap()
        + "</ram:ApplicableHeaderTradeSettlement>".len();
    let without = format!("{}{}", &XRECHNUNG[..start], &XRECHNUNG[end..]);
    assert_eq!(rejection(without.as_bytes()), format!("{SETTLEMENT}: is missing"));
    let start = XRECHNUNG.find("<ram:IncludedSupplyChainTradeLineItem>").unwrap();
    let end = XRECHNUNG.find("<ram:ApplicableHeaderTradeAgreement>").unwrap();
    let minimum = format!("{}{}", &XRECHNUNG[..start], &XRECHNUNG[end..]);
    assert!(
        rejection(minimum.as_bytes())
            .starts_with(&format!("{transaction}/IncludedSupplyChainTradeLineItem: the document has no lines")),
        "{}",
        rejection(minimum.as_bytes())
    );
}

#[test]
fn dates_other_than_format_102_and_bad_values_are_refused_with_the_reason() {
    let issue = r#"<udt:DateTimeString format="102">20240213</udt:DateTimeString>"#;
    let path = "/CrossIndustryInvoice/ExchangedDocument/IssueDateTime/DateTimeString";
    let timestamp = edited(XRECHNUNG, issue, r#"<udt:DateTimeString format="203">202402131200</udt:DateTimeString>"#);
    assert_eq!(
        rejection(&timestamp),
        format!(
            "{path}: date format \"203\" is not read: EN 16931 writes dates in format \"102\" (YYYYMMDD, e.g. 20240131)"
        )
    );
    let iso = edited(XRECHNUNG, issue, r#"<udt:DateTimeString format="102">2024-02-13</udt:DateTimeString>"#);
    assert_eq!(
        rejection(&iso),
        format!("{path}: \"2024-02-13\" is not a date in format 102: expected YYYYMMDD between 1900 and 2999")
    );
    let no_day = edited(XRECHNUNG, issue, r#"<udt:DateTimeString format="102">20230229</udt:DateTimeString>"#);
    assert!(rejection(&no_day).starts_with(&format!("{path}: \"20230229\" is not a date")), "{}", rejection(&no_day));
    let empty = edited(XRECHNUNG, issue, r#"<udt:DateTimeString format="102"/>"#);
    assert_eq!(rejection(&empty), format!("{path}: is missing or empty"));
    let short = edited(XRECHNUNG, "20240314", "2024031");
    let terms = format!("{SETTLEMENT}/SpecifiedTradePaymentTerms[1]/DueDateDateTime/DateTimeString");
    assert!(rejection(&short).starts_with(&format!("{terms}: \"2024031\" is not a date")), "{}", rejection(&short));
    let amount = edited(XRECHNUNG, "<ram:LineTotalAmount>49.00<", "<ram:LineTotalAmount>49,00<");
    assert!(
        rejection(&amount)
            .starts_with("/CrossIndustryInvoice/SupplyChainTradeTransaction/IncludedSupplyChainTradeLineItem[2]/"),
        "{}",
        rejection(&amount)
    );
    let currency = edited(XRECHNUNG, "<ram:InvoiceCurrencyCode>EUR<", "<ram:InvoiceCurrencyCode>EURO<");
    assert!(
        rejection(&currency).starts_with(&format!("{SETTLEMENT}/InvoiceCurrencyCode: ")),
        "{}",
        rejection(&currency)
    );
}

#[test]
fn other_namespaces_zugferd_1_and_hostile_xml_get_clean_errors() {
    let wrong = edited(XRECHNUNG, "standard:CrossIndustryInvoice:100\"", "standard:CrossIndustryInvoice:99\"");
    let err = einvoice::read(&wrong).unwrap_err();
    assert!(matches!(err, ReadError::UnknownFormat { ref root, .. } if root == "CrossIndustryInvoice"), "{err}");
    assert!(err.to_string().contains("UN/CEFACT CII as in XRechnung and Factur-X/ZUGFeRD"), "{err}");
    // ZUGFeRD 1.0 is read; an empty one is refused naming what is missing
    let zugferd_1 = br#"<rsm:CrossIndustryDocument xmlns:rsm="urn:ferd:CrossIndustryDocument:invoice:1p0"/>"#;
    let (_, documents) = einvoice::read(zugferd_1).unwrap();
    assert!(documents[0].as_ref().is_err_and(|e| e.to_string().contains("is missing")), "{documents:?}");
    let hostile = br#"<?xml version="1.0"?>
        <!DOCTYPE rsm:CrossIndustryInvoice [<!ENTITY a "aaaaaaaaaa"><!ENTITY b "&a;&a;&a;&a;">]>
        <rsm:CrossIndustryInvoice xmlns:rsm="urn:un:unece:uncefact:data:standard:CrossIndustryInvoice:100">
          <rsm:ExchangedDocument>&b;</rsm:ExchangedDocument>
        </rsm:CrossIndustryInvoice>"#;
    assert_eq!(einvoice::read(hostile), Err(ReadError::Xml(XmlError::Doctype)));
    let truncated = &XRECHNUNG.as_bytes()[..XRECHNUNG.len() / 2];
    assert!(matches!(einvoice::read(truncated), Err(ReadError::Xml(XmlError::Malformed { .. }))));
}

fn books(e: &EInvoice) -> ForBooks {
    for_books(e, Country::parse("DE").unwrap()).unwrap_or_else(|e| panic!("{e}"))
}

/// Each instalment as (due date, amount).
fn instalments(b: &ForBooks) -> Vec<(String, String)> {
    b.invoice.instalments.iter().map(|i| (i.due_date.to_string(), i.amount.to_decimal_string())).collect()
}

#[test]
fn the_xrechnung_invoice_becomes_a_customer_by_vat_id_owing_1000_in_30_days() {
    let b = books(&read_one(XRECHNUNG.as_bytes()));
    let c = &b.customer;
    assert_eq!(
        (c.code.as_str(), c.legal_name.as_str(), c.tax_id.as_deref()),
        ("DE987654321", "Kunde AG", Some("DE987654321"))
    );
    assert_eq!((c.country.as_str(), c.language, c.currency.code()), ("DE", Language::EN, "EUR"));
    assert_eq!(c.address.as_deref(), Some("Kundenstraße 15, Gebäude B, 60311 Frankfurt am Main"));
    assert_eq!(
        c.contacts,
        [Contact {
            name: "Max Mustermann".into(),
            role: ContactRole::Billing,
            email: Some(Email::parse("max.mustermann@kunde.example").unwrap()),
            phone: Some("+49 69 1234567".into()),
        }]
    );
    let i = &b.invoice;
    assert_eq!((i.number.as_str(), i.customer.as_str(), i.kind), ("RE-2024-0042", "DE987654321", InvoiceKind::Invoice));
    assert_eq!(
        (i.issue_date, i.supply_from, i.supply_to),
        (d("2024-02-13"), Some(d("2024-01-01")), Some(d("2024-01-31")))
    );
    assert_eq!(
        [i.totals.net, i.totals.tax, i.totals.gross].map(|m| m.to_decimal_string()),
        ["1149.00", "212.43", "1000.00"]
    );
    // the German description is no terms overdue knows: the due date 30 days after issue is
    assert_eq!(i.terms, PaymentTerms::Net { days: 30 });
    assert_eq!(instalments(&b), [("2024-03-14".to_owned(), "1000.00".to_owned())]);
    let described: Vec<(&str, i64, u32)> =
        i.lines.iter().map(|l| (l.description.as_str(), l.unit_price_minor, l.tax_rate_basis_points)).collect();
    assert_eq!(
        described,
        [
            ("Beratung Januar 2024", 120_00, 1900),
            ("Fachbuch Forderungsmanagement", 24_50, 700),
            ("Discount", -100_00, 0)
        ]
    );
    let sum: i64 = i.lines.iter().map(|l| InvoiceLine::net_minor(l).unwrap()).sum();
    assert_eq!(sum, 1149_00, "the lines add up to the net total");
    assert_eq!(b.notes.len(), 2, "{:?}", b.notes);
    assert!(b.notes[0].contains("at 0 % tax (the lines have several rates)"), "{}", b.notes[0]);
    assert!(
        b.notes[1].starts_with("the amount payable 1000.00 is not the tax-inclusive total 1361.43"),
        "{}",
        b.notes[1]
    );
}

#[test]
fn the_factur_x_instalments_go_to_the_books_as_stated() {
    let b = books(&read_one(FACTUR_X.as_bytes()));
    assert_eq!((b.customer.code.as_str(), b.customer.country.as_str()), ("FR732829320", "FR"), "SIREN, prefixed");
    assert_eq!(b.invoice.terms, PaymentTerms::Instalments { days: vec![14, 44] });
    assert_eq!(
        instalments(&b),
        [("2024-04-15".to_owned(), "2760.00".to_owned()), ("2024-05-15".to_owned(), "2760.00".to_owned())]
    );
    // a schedule short of what is payable (the second, 15 May, written 2700.00): the rest is due
    // with the last instalment, and said
    let bytes = edited(FACTUR_X, "<ram:PartialPaymentAmount>2760.00<", "<ram:PartialPaymentAmount>2700.00<");
    let short = for_books(&read_one(&bytes), Country::parse("DE").unwrap()).unwrap();
    assert_eq!(
        instalments(&short),
        [("2024-04-15".to_owned(), "2760.00".to_owned()), ("2024-05-15".to_owned(), "2760.00".to_owned())]
    );
    assert!(short.notes[0].contains("covers 5460.00 of the 5520.00 payable"), "{:?}", short.notes);
    let bytes = edited(FACTUR_X, "<ram:PartialPaymentAmount>2760.00<", "<ram:PartialPaymentAmount>2800.00<");
    assert_eq!(
        for_books(&read_one(&bytes), Country::parse("DE").unwrap()).unwrap_err().to_string(),
        format!(
            "{SETTLEMENT}/SpecifiedTradePaymentTerms: the instalments add up to 5560.00 but the amount payable is \
             5520.00"
        )
    );
}

proptest::proptest! {
    #[test]
    fn any_byte_changed_in_a_cii_invoice_never_panics(at in 0..XRECHNUNG.len(), byte in proptest::num::u8::ANY) {
        let mut bytes = XRECHNUNG.as_bytes().to_vec();
        bytes[at] = byte;
        let _ = einvoice::read(&bytes);
        let _ = einvoice::read(&bytes[..at]);
    }
}

#[test]
fn a_cent_of_rounding_in_the_vat_breakdown_imports_with_a_warning_and_more_is_refused() {
    // the 7 % rate's tax written 3.44 instead of 3.43: the breakdown gives 212.44, the total 212.43
    let cent = edited(XRECHNUNG, "<ram:CalculatedAmount>3.43<", "<ram:CalculatedAmount>3.44<");
    let (_, documents) = einvoice::read(&cent).unwrap();
    let read = documents[0].as_ref().unwrap();
    assert!(read.warnings.iter().any(|w| w.contains("a rounding of -0.01")), "{:?}", read.warnings);
    assert_eq!(read.totals.tax.to_decimal_string(), "212.43", "the stated total is kept");
    let dime = edited(XRECHNUNG, "<ram:CalculatedAmount>3.43<", "<ram:CalculatedAmount>3.53<");
    assert!(
        rejection(&dime).contains("TaxTotalAmount is 212.43 but the VAT breakdown gives 212.53"),
        "{}",
        rejection(&dime)
    );
}

#[test]
fn discount_terms_are_a_cash_discount_and_not_an_instalment() {
    let payment_terms = "<ram:Description>Zahlbar innerhalb von 30 Tagen ohne Abzug</ram:Description>";
    // EXTENDED discount terms with a period: the term's own date stays the net due date
    let with_period = "<ram:Description>3 % Skonto</ram:Description>\n\
        <ram:ApplicableTradePaymentDiscountTerms><ram:BasisPeriodMeasure unitCode=\"DAY\">10</ram:BasisPeriodMeasure>\
        <ram:CalculationPercent>3.00</ram:CalculationPercent></ram:ApplicableTradePaymentDiscountTerms>";
    let e = read_one(&edited(XRECHNUNG, payment_terms, with_period));
    assert_eq!(due(&e), [("2024-03-14".to_owned(), None)]);
    assert_eq!(
        e.cash_discounts,
        [einvoice::CashDiscount { until: d("2024-02-23"), discount_basis_points: 300 }],
        "10 days from the issue date"
    );
    // a term that only names a discount and a date (ZUGFeRD's "Zahlbar mit 2% Skonto bis"): that
    // date is the discount's deadline
    let named = XRECHNUNG.replacen(
        "</ram:SpecifiedTradePaymentTerms>",
        "</ram:SpecifiedTradePaymentTerms><ram:SpecifiedTradePaymentTerms>\
         <ram:Description>Zahlbar mit 2% Skonto bis</ram:Description>\
         <ram:DueDateDateTime><udt:DateTimeString format=\"102\">20240220</udt:DateTimeString></ram:DueDateDateTime>\
         </ram:SpecifiedTradePaymentTerms>",
        1,
    );
    let e = read_one(named.as_bytes());
    assert_eq!(due(&e), [("2024-03-14".to_owned(), None)]);
    assert_eq!(e.cash_discounts, [einvoice::CashDiscount { until: d("2024-02-20"), discount_basis_points: 200 }]);
    let b = for_books(&e, Country::parse("DE").unwrap()).unwrap();
    assert_eq!(
        b.invoice.terms,
        PaymentTerms::EarlyPaymentDiscount { discount_basis_points: 200, discount_days: 7, net_days: 30 }
    );
    // a percentage that is not one is refused where it stands
    let bad = with_period.replace("3.00</ram:CalculationPercent>", "300</ram:CalculationPercent>");
    assert!(rejection(&edited(XRECHNUNG, payment_terms, &bad)).contains("CalculationPercent"));
}
