//! What columns are called in the exports people have: Dutch, French, English and German
//! header names for every field a mapping knows, and how a header is compared with them.

/// A column's role in a mapping, as `arwatch map` proposes it.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Target {
    /// The client's own account.
    ClientId,
    /// The client's name (also a bureau row's company name).
    ClientName,
    /// KBO/BCE, KvK or VAT number.
    CompanyNumber,
    /// An invoice or credit note's number.
    DocumentId,
    /// A payment's own id.
    PaymentId,
    /// What a ledger row is.
    DocType,
    /// A document's issue date.
    IssueDate,
    /// Its due date.
    DueDate,
    /// A payment's date, or the date an invoice was paid.
    PaymentDate,
    /// A bureau snapshot's date.
    SnapshotDate,
    /// Agreed terms in days.
    TermsDays,
    /// The amount.
    Amount,
    /// What was paid of an invoice with a settled date.
    PaidAmount,
    /// What is still open of a document (an open-items list).
    OpenAmount,
    /// The currency.
    Currency,
    /// The invoice a payment or credit note settles.
    Reference,
    /// Whether an invoice is disputed.
    Disputed,
    /// Bureau: the credit limit.
    CreditLimit,
    /// Bureau: the score.
    Score,
    /// Bureau: the payment score.
    PaymentScore,
    /// Bureau: the growth score.
    GrowthScore,
    /// Bureau: the discontinuation score.
    DiscontinuationScore,
    /// Bureau: the credit flag.
    CreditFlag,
    /// Bureau: the rating.
    Rating,
    /// Bureau: the legal status.
    Status,
    /// Bureau: the address.
    Address,
    /// Bureau: the board.
    Board,
    /// Bureau: the legal form.
    LegalForm,
    /// Collector's log: what an entry is (promise, dispute, call…).
    EventKind,
    /// Collector's log: the day a client promised to pay by.
    PromisedDate,
    /// Collector's log: what was said.
    LogText,
    /// Payment schedules: an instalment's number.
    Instalment,
}

/// What a column of a target holds, for judging its values.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Kind {
    /// An identifier or code.
    Id,
    /// Words.
    Text,
    /// Dates.
    Date,
    /// Money.
    Money,
    /// A plain number (days, a score).
    Number,
}

impl Target {
    /// Every target, in the order a mapping lists them.
    pub const ALL: [Target; 32] = [
        Target::ClientId,
        Target::ClientName,
        Target::CompanyNumber,
        Target::DocumentId,
        Target::PaymentId,
        Target::DocType,
        Target::IssueDate,
        Target::DueDate,
        Target::PaymentDate,
        Target::SnapshotDate,
        Target::TermsDays,
        Target::Amount,
        Target::PaidAmount,
        Target::OpenAmount,
        Target::Currency,
        Target::Reference,
        Target::Disputed,
        Target::CreditLimit,
        Target::Score,
        Target::PaymentScore,
        Target::GrowthScore,
        Target::DiscontinuationScore,
        Target::CreditFlag,
        Target::Rating,
        Target::Status,
        Target::Address,
        Target::Board,
        Target::LegalForm,
        Target::EventKind,
        Target::PromisedDate,
        Target::LogText,
        Target::Instalment,
    ];

    /// Header names that mean this target, normalised (see [`normalise`]).
    #[rustfmt::skip]
    pub fn names(self) -> &'static [&'static str] {
        match self {
            Target::ClientId => &[
                "klant", "klantnr", "klantnummer", "klant nr", "klantcode", "klant id", "relatie",
                "relatienummer", "relatienr", "relatiecode", "debiteur", "debiteurnummer", "debiteurnr",
                "debiteur nr", "client", "client id", "clientid", "code client", "numero client", "no client",
                "n client", "num client", "customer", "customer id", "customer number", "customer no",
                "customer nr", "customer code", "cust nbr", "cust no", "cust id", "debtor", "debtor id",
                "debtor number", "kunde", "kundennummer", "kunden nr", "kundennr", "debitor",
                "debitorennummer", "partenaire", "partner", "partner id", "account", "account number",
                "sold to", "sold to party",
            ],
            Target::ClientName => &[
                "klantnaam", "naam klant", "naam", "relatienaam", "debiteurnaam", "naam debiteur",
                "bedrijfsnaam", "bedrijf", "firma", "client name", "nom client", "nom du client", "nom",
                "raison sociale", "customer name", "name", "company", "company name", "debtor name",
                "kundenname", "name 1", "partner name", "nom partenaire",
                // A bare "customer" is a name as often as an account: the values decide.
                "klant", "client", "customer", "debiteur", "relatie", "kunde", "partenaire", "partner",
            ],
            Target::CompanyNumber => &[
                "ondernemingsnummer", "ondernemingsnr", "btw", "btw nummer", "btw nr", "btwnummer", "vat",
                "vat number", "vat no", "vat id", "tva", "numero tva", "n tva", "numero d entreprise",
                "numero entreprise", "kbo", "kbo nummer", "bce", "kvk", "kvk nummer", "kvknummer",
                "company number", "enterprise number", "registration number", "ust idnr", "ustid",
            ],
            Target::DocumentId => &[
                "factuur", "factuurnr", "factuurnummer", "factuur nr", "factuurno", "invoice",
                "invoice number", "invoice no", "invoice nr", "invoice id", "inv nbr", "inv no", "invoice num",
                "invoicenumber", "document", "document number", "document no", "documentnummer", "document nr",
                "doc nr", "doc no", "boekstuk", "boekstuknummer", "boekstuknr", "stuknummer", "numero facture",
                "n facture", "no facture", "facture", "numero de facture", "numero piece", "piece",
                "belegnummer", "beleg", "rechnungsnummer", "rechnung", "number",
            ],
            Target::PaymentId => &[
                "betaling", "betalingsnummer", "betaling id", "betalingnr", "payment", "payment id",
                "payment number", "payment no", "paiement", "numero paiement", "transaction", "transaction id",
                "transactie", "transactienummer", "zahlung", "zahlungsnummer", "receipt", "receipt number",
            ],
            Target::DocType => &[
                "type", "soort", "doc type", "document type", "documenttype", "soort document", "boekingstype",
                "type document", "type de document", "type de piece", "belegart", "transaction type",
                "move type", "journal type", "dagboektype",
            ],
            Target::IssueDate => &[
                "factuurdatum", "datum factuur", "datum", "issue date", "documentdatum", "boekdatum", "boekingsdatum",
                "invoice date", "inv date", "invoicedate", "date", "document date", "posting date",
                "date facture", "date de facture", "date document", "date de la facture", "date piece",
                "belegdatum", "rechnungsdatum", "buchungsdatum",
            ],
            Target::DueDate => &[
                "vervaldatum", "verval", "vervaldag", "verval datum", "uiterste betaaldatum", "due date",
                "duedate", "net due date", "due", "payment due date", "echeance", "date d echeance",
                "date echeance", "date limite", "faelligkeit", "faelligkeitsdatum", "nettofaelligkeit",
                "due on",
            ],
            Target::PaymentDate => &[
                "betaaldatum", "betaald op", "datum betaling", "betalingsdatum", "datum ontvangst",
                "vereffend op", "vereffeningsdatum", "payment date", "paid date", "paid on", "date paid",
                "settled date", "settleddate", "settlement date", "clearing date", "value date", "valutadatum",
                "date paiement", "date de paiement", "date reglement", "date de reglement", "paye le",
                "zahlungsdatum", "ausgleichsdatum",
            ],
            Target::SnapshotDate => &[
                "datum", "peildatum", "snapshot date", "report date", "datum rapport", "date",
                "date du rapport", "stand", "stichtag",
            ],
            Target::TermsDays => &[
                "termijn", "betalingstermijn", "betaaltermijn", "terms", "payment terms", "terms days",
                "delai de paiement", "delai", "conditions de paiement", "zahlungsziel", "zahlungsbedingung",
            ],
            Target::Amount => &[
                "bedrag", "factuurbedrag", "totaal", "totaalbedrag", "bedrag incl btw", "bedrag incl",
                "amount", "invoice amount", "invoiceamount", "inv tot amt", "total", "total amount",
                "gross amount", "amount incl vat", "montant", "montant ttc", "montant total", "ttc", "betrag",
                "bruttobetrag", "rechnungsbetrag", "betrag in hauswaehrung", "amount in local currency",
                "amount in lc", "balance", "debet", "debit",
            ],
            Target::PaidAmount => {
                &["betaald bedrag", "betaald", "paid amount", "amount paid", "montant paye", "bezahlt"]
            }
            Target::OpenAmount => &[
                "openstaand", "openstaand bedrag", "open bedrag", "restbedrag", "resterend", "saldo",
                "residual", "residual amount", "amount due", "open amount", "outstanding",
                "outstanding amount", "balance due", "montant du", "montant residuel", "residuel",
                "reste a payer", "solde du", "offener betrag", "offen", "restbetrag",
            ],
            Target::Currency => {
                &["munt", "valuta", "munteenheid", "currency", "curr", "ccy", "devise", "monnaie", "waehrung"]
            }
            Target::Reference => &[
                "referentie", "ref", "reference", "mededeling", "gestructureerde mededeling", "communication",
                "verwijzing", "betreft", "factuurreferentie", "invoice reference", "applied to", "applies to",
                "reference facture", "ausgleichsbeleg", "verwendungszweck",
            ],
            Target::Disputed => &[
                "betwist", "dispuut", "in dispuut", "geschil", "disputed", "dispute", "litige", "contestation",
                "strittig",
            ],
            Target::CreditLimit => &[
                "kredietlimiet", "krediet limiet", "kredietlijn", "limiet", "credit limit", "limit",
                "limite de credit", "limite credit", "kreditlimit",
            ],
            Target::Score => {
                &["score", "multiscore", "kredietscore", "credit score", "score de credit", "health score"]
            }
            Target::PaymentScore => {
                &["betalingsscore", "betaalscore", "payment score", "paydex", "score de paiement", "zahlungsindex"]
            }
            Target::GrowthScore => &["groeiscore", "growth score", "score de croissance", "wachstumsscore"],
            Target::DiscontinuationScore => &[
                "opheffingsscore", "stopzettingsscore", "discontinuation score", "score de cessation",
                "score d arret", "einstellungsscore",
            ],
            Target::CreditFlag => &["kredietvlag", "vlag", "credit flag", "flag", "drapeau", "feu", "ampel"],
            Target::Rating => &["rating", "notation", "klasse", "risicoklasse", "credit rating", "bonitaet"],
            Target::Status => &[
                "status", "statut", "juridische toestand", "toestand", "juridische status", "legal status",
                "situation juridique", "rechtsstatus",
            ],
            Target::Address => {
                &["adres", "address", "adresse", "zetel", "maatschappelijke zetel", "siege", "anschrift"]
            }
            Target::Board => &[
                "bestuur", "bestuurders", "board", "directors", "administrateurs", "mandatarissen", "conseil",
                "geschaeftsfuehrer", "vorstand",
            ],
            Target::LegalForm => &["rechtsvorm", "legal form", "forme juridique", "rechtsform"],
            Target::EventKind => &[
                "soort", "type", "kind", "actie", "activiteit", "gebeurtenis", "soort actie", "event",
                "action", "activity", "type d action", "nature", "evenement", "aktion",
            ],
            Target::PromisedDate => &[
                "beloofd tegen", "beloofd op", "belofte tot", "belofte datum", "datum belofte",
                "betaalbelofte", "promised date", "promise date", "promised by", "promised for",
                "date promise", "date de promesse", "promis pour le", "zugesagt bis",
            ],
            Target::Instalment => &[
                "termijn nr", "termijnnummer", "nr termijn", "termijn", "instalment", "installment",
                "instalment no", "instalment number", "installment no", "installment number", "payment term",
                "echeance", "n echeance", "no echeance", "numero echeance", "rate", "ratennummer",
            ],
            Target::LogText => &[
                "omschrijving", "opmerking", "opmerkingen", "notitie", "tekst", "memo", "note", "notes",
                "comment", "comments", "text", "description", "commentaire", "remarque", "bemerkung",
            ],
        }
    }
}

/// A header as compared: camelCase split, accents and punctuation gone, lower case, single
/// spaces (`"Date d'échéance"` → `date d echeance`, `customerID` → `customer id`).
pub fn normalise(header: &str) -> String {
    let mut spaced = String::with_capacity(header.len() + 4);
    let mut prev_lower = false;
    for c in header.chars() {
        if c.is_uppercase() && prev_lower {
            spaced.push(' ');
        }
        prev_lower = c.is_lowercase() || c.is_ascii_digit();
        spaced.push(c);
    }
    let plain: String = spaced
        .to_lowercase()
        .chars()
        .map(|c| match c {
            'à' | 'á' | 'â' | 'ä' => 'a',
            'é' | 'è' | 'ê' | 'ë' => 'e',
            'î' | 'ï' | 'í' => 'i',
            'ô' | 'ö' | 'ó' => 'o',
            'ù' | 'û' | 'ü' | 'ú' => 'u',
            'ç' => 'c',
            'ß' => 's',
            c if c.is_alphanumeric() => c,
            _ => ' ',
        })
        .collect();
    // German umlauts are also written out (Fälligkeit, Faelligkeit): the table uses "ae".
    let plain = plain.replace("falligkeit", "faelligkeit").replace("wahrung", "waehrung");
    plain.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// How well a header names a target: 1 for one of its names, 0.8 when the header holds a name
/// of two words or more whole (`vervaldatum factuur`), else 0.
pub fn header_score(target: Target, header: &str) -> f64 {
    let h = normalise(header);
    if h.is_empty() {
        return 0.0;
    }
    let names = target.names();
    if names.contains(&h.as_str()) {
        return 1.0;
    }
    let words: Vec<&str> = h.split(' ').collect();
    let holds = |name: &str| {
        let n: Vec<&str> = name.split(' ').collect();
        n.len() >= 2 && words.windows(n.len()).any(|w| w == n.as_slice())
            || n.len() == 1 && name.len() >= 6 && words.contains(&name)
    };
    if names.iter().any(|n| holds(n)) { 0.8 } else { 0.0 }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn headers_are_compared_without_case_accents_or_punctuation() {
        assert_eq!(normalise("Date d'échéance"), "date d echeance");
        assert_eq!(normalise("customerID"), "customer id");
        assert_eq!(normalise("InvoiceDate"), "invoice date");
        assert_eq!(normalise("  Inv tot amt "), "inv tot amt");
        assert_eq!(normalise("Fälligkeit"), "faelligkeit");
        assert_eq!(normalise("N° facture"), "n facture");
    }

    #[test]
    fn the_names_of_the_issue_are_known() {
        for h in ["Klant", "Klantnummer", "Relatie", "Debiteur", "Client", "Partenaire", "Customer", "Kunde"] {
            assert_eq!(header_score(Target::ClientId, h), 1.0, "{h}");
        }
        for h in ["Vervaldatum", "Échéance", "Date d'échéance", "Due date", "Net due date", "Fälligkeit"] {
            assert_eq!(header_score(Target::DueDate, h), 1.0, "{h}");
        }
        for h in ["Groeiscore", "Score de croissance"] {
            assert_eq!(header_score(Target::GrowthScore, h), 1.0, "{h}");
        }
        for h in ["Opheffingsscore", "Score de cessation"] {
            assert_eq!(header_score(Target::DiscontinuationScore, h), 1.0, "{h}");
        }
        assert_eq!(header_score(Target::DueDate, "Vervaldatum factuur"), 0.8);
        assert_eq!(header_score(Target::Amount, "Klant"), 0.0);
    }

    #[test]
    fn every_target_has_names_written_as_compared() {
        for t in Target::ALL {
            assert!(!t.names().is_empty(), "{t:?}");
            for n in t.names() {
                assert_eq!(normalise(n), *n, "{t:?}: '{n}' is not normalised");
            }
        }
    }
}
