//! Report labels in English, Dutch and French, and the number and date formats that go with
//! them (`1.234,56 €` and `31/10/2026` in Dutch, as Belgian readers write them).

use crate::locale::Lang;
use crate::model::Currency;
use chrono::NaiveDate;

/// Every label a report shows, in the three languages ([`Label::words`]): a key that does not
/// exist does not compile.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Label {
    /// “Accounts receivable report”
    Title,
    /// “As of”
    AsOf,
    /// “Company”
    Company,
    /// “Net AR”
    NetAr,
    /// “Overdue share”
    OverdueShare,
    /// “DSO (countback)”
    DsoCountback,
    /// “DSO (standard, 3 months)”
    DsoStandard,
    /// “vs last month”
    VsLastMonth,
    /// “not known from an open-items list”
    NotKnown,
    /// “An open-items list shows one date: no trends.”
    NoTrends,
    /// “CEI (3 months)”
    Cei,
    /// “WADL (12 months)”
    Wadl,
    /// “Top 10 debtors' share”
    Top10,
    /// “days”
    Days,
    /// “Headline alerts”
    HeadlineAlerts,
    /// “DSO trend (days)”
    DsoTrend,
    /// “Aging of open invoices”
    Aging,
    /// “Late payments: share late and WADL”
    LateTrend,
    /// “Share paid late”
    LateRatio,
    /// “The 20 riskiest clients”
    Riskiest,
    /// “Alerts”
    Alerts,
    /// “Risks”
    Risks,
    /// “Opportunities”
    Opportunities,
    /// “Collection handover”
    Handover,
    /// “Handover”
    HandoverSheet,
    /// “Data quality”
    DataQuality,
    /// “Page”
    Page,
    /// “of”
    Of,
    /// “Client”
    Client,
    /// “Client id”
    ClientId,
    /// “Company number”
    CompanyNumber,
    /// “Tier”
    Tier,
    /// “Score”
    Score,
    /// “Reasons”
    Reasons,
    /// “Late elsewhere”: days, the WADL at the pool's other creditors.
    LateElsewhere,
    /// “Promises broken”: of those judged in 12 months (the collector's log).
    PromisesBroken,
    /// The heading of the clients who broke promises to pay.
    Breakers,
    /// “Kind”
    Kind,
    /// “Severity”
    Severity,
    /// “Previous”
    Previous,
    /// “Current”
    Current,
    /// “Message”
    Message,
    /// “Direction”
    Direction,
    /// “Invoice”
    Document,
    /// “Issued”
    IssueDate,
    /// “Due”
    DueDate,
    /// “Amount”
    Amount,
    /// “Open”
    OpenAmount,
    /// “Paid”
    Paid,
    /// “Days past due”
    DaysPastDue,
    /// “Bucket”
    Bucket,
    /// “Interest”
    Interest,
    /// “Compensation”
    Compensation,
    /// “Claim”
    ClaimTotal,
    /// “Total”
    Total,
    /// “debtors”
    Debtors,
    /// “invoices”
    Invoices,
    /// “No alerts: nothing changed beyond the thresholds.”
    NoAlerts,
    /// “No earlier run to compare with yet.”
    NoHistory,
    /// “No invoice meets the handover criteria.”
    NothingHandedOver,
    /// “The handover is off in the configuration …”
    HandoverOff,
    /// “Rows read”
    RowsRead,
    /// “Accepted”
    Accepted,
    /// “Rejected”
    Rejected,
    /// “Warnings”
    Warnings,
    /// “Source”
    Source,
    /// “Location”
    Location,
    /// “Column”
    Column,
    /// “Value”
    Value,
    /// “Reason”
    Reason,
    /// “Month”
    Month,
    /// “Sales”
    Sales,
    /// “Not yet due”
    CurrentAr,
    /// “not due”: the aging chart's first bar
    NotDue,
    /// “Summary”
    Summary,
    /// “Clients”
    Clients,
    /// “Open items”
    OpenItems,
    /// “Trends”
    Trends,
    /// “Indicator”
    Kpi,
    /// “standard”
    Standard,
    /// “countback”
    Countback,
    /// “Creditor”
    Creditor,
    /// “Debtor”
    Debtor,
    /// “Address”
    Address,
    /// “Legal basis”
    LegalBasis,
    /// “Handover date”
    HandoverDate,
    /// “Reminder history”
    Reminders,
    /// “No reminder log was supplied.”
    NoReminders,
    /// “Collection dossier”
    Dossier,
    /// “provisional rate”
    Provisional,
    /// “Statutory interest from the day after the due date to the handover date, act/365, per half-year rate; 40 EUR fixed compensation per invoice.”
    InterestNote,
    /// “… claimed in EUR beside the total: no rate into JPY …”
    CompensationUnconverted,
    /// “Count”
    Count,
    /// “Suppliers and prospects”
    Watchlist,
    /// “Role”
    Role,
    /// “Opportunities for sales”
    SalesOpportunities,
    /// “Credit limit”
    CreditLimit,
    /// “Exposure”
    Exposure,
    /// “Credit room”
    CreditRoom,
    /// “Collection actions”
    Actions,
    /// “Steps done”
    StepsDone,
    /// “Next action”
    NextAction,
    /// “Action date”
    ActionDate,
    /// “Overdue (days)”
    OverdueDays,
    /// “Expected date”
    ExpectedDate,
    /// “Earliest (10 %)”
    DateP10,
    /// “Latest (90 %)”
    DateP90,
    /// “Chance within 13 weeks”
    Collected13w,
    /// “Basis”
    Basis,
    /// “Week”
    Week,
    /// “From”
    WeekStart,
    /// “To”
    WeekEnd,
    /// “Expected”
    Expected,
    /// “Low (80 %)”
    Low,
    /// “High (80 %)”
    High,
    /// “By due dates”
    DueDateBaseline,
    /// “Cash expected from today's open invoices”
    ForecastTitle,
    /// “Forecast”
    Forecast,
    /// “Largest expected amounts”
    LargestExpected,
    /// “Least likely to be collected”
    LeastLikely,
    /// “Track record”
    TrackRecord,
    /// “Expected within 13 weeks”
    ExpectedWithin13w,
    /// “Later or never”
    Beyond13w,
    /// “Forecast per invoice”
    ForecastInvoices,
    /// “Expected per week (1 to 13)”
    PerWeek,
    /// “No payment is known in this ledger …: no forecast”
    NoForecast,
    /// “Early warning”
    EarlyWarning,
    /// “Early-warning record”
    EarlyWarningTitle,
    /// “Outcome”
    Outcome,
    /// “Failed on”
    FailedOn,
    /// “Why”
    Cause,
    /// “First flagged”
    FlaggedOn,
    /// “Months ahead”
    LeadMonths,
    /// “What weighed most”
    Factor,
    /// “Clients flagged per month end”
    FlaggedPerMonth,
    /// “Month end”
    MonthEnd,
}

impl Label {
    /// Every label, in the order of the enum.
    pub const ALL: [Label; 136] = [
        Label::Title,
        Label::AsOf,
        Label::Company,
        Label::NetAr,
        Label::OverdueShare,
        Label::DsoCountback,
        Label::DsoStandard,
        Label::VsLastMonth,
        Label::NotKnown,
        Label::NoTrends,
        Label::Cei,
        Label::Wadl,
        Label::Top10,
        Label::Days,
        Label::HeadlineAlerts,
        Label::DsoTrend,
        Label::Aging,
        Label::LateTrend,
        Label::LateRatio,
        Label::Riskiest,
        Label::Alerts,
        Label::Risks,
        Label::Opportunities,
        Label::Handover,
        Label::HandoverSheet,
        Label::DataQuality,
        Label::Page,
        Label::Of,
        Label::Client,
        Label::ClientId,
        Label::CompanyNumber,
        Label::Tier,
        Label::Score,
        Label::Reasons,
        Label::LateElsewhere,
        Label::PromisesBroken,
        Label::Breakers,
        Label::Kind,
        Label::Severity,
        Label::Previous,
        Label::Current,
        Label::Message,
        Label::Direction,
        Label::Document,
        Label::IssueDate,
        Label::DueDate,
        Label::Amount,
        Label::OpenAmount,
        Label::Paid,
        Label::DaysPastDue,
        Label::Bucket,
        Label::Interest,
        Label::Compensation,
        Label::ClaimTotal,
        Label::Total,
        Label::Debtors,
        Label::Invoices,
        Label::NoAlerts,
        Label::NoHistory,
        Label::NothingHandedOver,
        Label::HandoverOff,
        Label::RowsRead,
        Label::Accepted,
        Label::Rejected,
        Label::Warnings,
        Label::Source,
        Label::Location,
        Label::Column,
        Label::Value,
        Label::Reason,
        Label::Month,
        Label::Sales,
        Label::CurrentAr,
        Label::NotDue,
        Label::Summary,
        Label::Clients,
        Label::OpenItems,
        Label::Trends,
        Label::Kpi,
        Label::Standard,
        Label::Countback,
        Label::Creditor,
        Label::Debtor,
        Label::Address,
        Label::LegalBasis,
        Label::HandoverDate,
        Label::Reminders,
        Label::NoReminders,
        Label::Dossier,
        Label::Provisional,
        Label::InterestNote,
        Label::CompensationUnconverted,
        Label::Count,
        Label::Watchlist,
        Label::Role,
        Label::SalesOpportunities,
        Label::CreditLimit,
        Label::Exposure,
        Label::CreditRoom,
        Label::Actions,
        Label::StepsDone,
        Label::NextAction,
        Label::ActionDate,
        Label::OverdueDays,
        Label::ExpectedDate,
        Label::DateP10,
        Label::DateP90,
        Label::Collected13w,
        Label::Basis,
        Label::Week,
        Label::WeekStart,
        Label::WeekEnd,
        Label::Expected,
        Label::Low,
        Label::High,
        Label::DueDateBaseline,
        Label::ForecastTitle,
        Label::Forecast,
        Label::LargestExpected,
        Label::LeastLikely,
        Label::TrackRecord,
        Label::ExpectedWithin13w,
        Label::Beyond13w,
        Label::ForecastInvoices,
        Label::PerWeek,
        Label::NoForecast,
        Label::EarlyWarning,
        Label::EarlyWarningTitle,
        Label::Outcome,
        Label::FailedOn,
        Label::Cause,
        Label::FlaggedOn,
        Label::LeadMonths,
        Label::Factor,
        Label::FlaggedPerMonth,
        Label::MonthEnd,
    ];

    /// The label in English, Dutch and French.
    // Long on purpose: the label table, one arm per label, so the compiler sees every label has
    // its words.
    pub fn words(self) -> [&'static str; 3] {
        match self {
            Label::Title => ["Accounts receivable report", "Rapport debiteurenbeheer", "Rapport des créances clients"],
            Label::AsOf => ["As of", "Per", "Au"],
            Label::Company => ["Company", "Onderneming", "Entreprise"],
            Label::NetAr => ["Net AR", "Netto openstaand", "Encours net"],
            Label::OverdueShare => ["Overdue share", "Aandeel vervallen", "Part échue"],
            Label::DsoCountback => ["DSO (countback)", "DSO (countback)", "DSO (countback)"],
            Label::DsoStandard => ["DSO (standard, 3 months)", "DSO (standaard, 3 maanden)", "DSO (standard, 3 mois)"],
            Label::VsLastMonth => ["vs last month", "t.o.v. vorige maand", "vs mois précédent"],
            Label::NotKnown => [
                "not known from an open-items list",
                "niet gekend uit een lijst openstaande posten",
                "inconnu d'une liste de postes ouverts",
            ],
            Label::NoTrends => [
                "An open-items list shows one date: no trends, no payment behaviour.",
                "Een lijst openstaande posten toont één datum: geen trends, geen betaalgedrag.",
                "Une liste de postes ouverts montre une seule date : ni tendances, ni comportement de paiement.",
            ],
            Label::Cei => ["CEI (3 months)", "CEI (3 maanden)", "CEI (3 mois)"],
            Label::Wadl => ["WADL (12 months)", "Gewogen dagen te laat (12 m.)", "Retard moyen pondéré (12 mois)"],
            Label::Top10 => ["Top 10 debtors' share", "Aandeel top 10 debiteuren", "Part des 10 plus grands débiteurs"],
            Label::Days => ["days", "dagen", "jours"],
            Label::HeadlineAlerts => ["Headline alerts", "Belangrijkste signalen", "Alertes principales"],
            Label::DsoTrend => ["DSO trend (days)", "Evolutie DSO (dagen)", "Évolution du DSO (jours)"],
            Label::Aging => {
                ["Aging of open invoices", "Ouderdom openstaande facturen", "Ancienneté des factures ouvertes"]
            }
            Label::LateTrend => [
                "Late payments: share late and WADL",
                "Laattijdige betalingen: aandeel en WADL",
                "Retards: part en retard et WADL",
            ],
            Label::LateRatio => ["Share paid late", "Aandeel te laat betaald", "Part payée en retard"],
            Label::Riskiest => {
                ["The 20 riskiest clients", "De 20 meest risicovolle klanten", "Les 20 clients les plus risqués"]
            }
            Label::Alerts => ["Alerts", "Signalen", "Alertes"],
            Label::Risks => ["Risks", "Risico's", "Risques"],
            Label::Opportunities => ["Opportunities", "Kansen", "Opportunités"],
            Label::Handover => ["Collection handover", "Overdracht aan incasso", "Transmission au recouvrement"],
            Label::HandoverSheet => ["Handover", "Overdracht", "Recouvrement"],
            Label::DataQuality => ["Data quality", "Datakwaliteit", "Qualité des données"],
            Label::Page => ["Page", "Pagina", "Page"],
            Label::Of => ["of", "van", "sur"],
            Label::Client => ["Client", "Klant", "Client"],
            Label::ClientId => ["Client id", "Klantnr", "N° client"],
            Label::CompanyNumber => ["Company number", "Ondernemingsnummer", "Numéro d'entreprise"],
            Label::Tier => ["Tier", "Niveau", "Niveau"],
            Label::Score => ["Score", "Score", "Score"],
            Label::Reasons => ["Reasons", "Redenen", "Raisons"],
            Label::LateElsewhere => ["Late elsewhere", "Elders te laat", "Retard ailleurs"],
            Label::PromisesBroken => ["Promises broken", "Beloftes gebroken", "Promesses non tenues"],
            Label::Breakers => [
                "Clients who broke promises to pay (12 months)",
                "Klanten die betalingsbeloftes braken (12 maanden)",
                "Clients qui n'ont pas tenu leurs promesses de paiement (12 mois)",
            ],
            Label::Kind => ["Kind", "Soort", "Type"],
            Label::Severity => ["Severity", "Ernst", "Gravité"],
            Label::Previous => ["Previous", "Vorige", "Précédent"],
            Label::Current => ["Current", "Huidig", "Actuel"],
            Label::Message => ["Message", "Bericht", "Message"],
            Label::Direction => ["Direction", "Richting", "Sens"],
            Label::Document => ["Invoice", "Factuur", "Facture"],
            Label::IssueDate => ["Issued", "Factuurdatum", "Date"],
            Label::DueDate => ["Due", "Vervaldag", "Échéance"],
            Label::Amount => ["Amount", "Bedrag", "Montant"],
            Label::OpenAmount => ["Open", "Openstaand", "Ouvert"],
            Label::Paid => ["Paid", "Betaald", "Payé"],
            Label::DaysPastDue => ["Days past due", "Dagen vervallen", "Jours de retard"],
            Label::Bucket => ["Bucket", "Schijf", "Tranche"],
            Label::Interest => ["Interest", "Interest", "Intérêts"],
            Label::Compensation => ["Compensation", "Vergoeding", "Indemnité"],
            Label::ClaimTotal => ["Claim", "Vordering", "Créance"],
            Label::Total => ["Total", "Totaal", "Total"],
            Label::Debtors => ["debtors", "debiteuren", "débiteurs"],
            Label::Invoices => ["Invoices", "Facturen", "Factures"],
            Label::NoAlerts => [
                "No alerts: nothing changed beyond the thresholds.",
                "Geen signalen: niets veranderde boven de drempels.",
                "Aucune alerte: rien n'a changé au-delà des seuils.",
            ],
            Label::NoHistory => [
                "No earlier run to compare with yet.",
                "Nog geen vorige run om mee te vergelijken.",
                "Pas encore d'exécution précédente à comparer.",
            ],
            Label::NothingHandedOver => [
                "No invoice meets the handover criteria.",
                "Geen enkele factuur voldoet aan de overdrachtscriteria.",
                "Aucune facture ne remplit les critères de transmission.",
            ],
            Label::HandoverOff => [
                "The handover is off in the configuration ([handover] enabled = false): nothing is handed over, and the actions at the ladder's last step say so.",
                "De overdracht staat uit in de configuratie ([handover] enabled = false): er wordt niets overgedragen, en de acties op de laatste stap van de ladder zeggen dat.",
                "La transmission est désactivée dans la configuration ([handover] enabled = false) : rien n'est transmis, et les actions à la dernière étape de l'échelle le disent.",
            ],
            Label::RowsRead => ["Rows read", "Rijen gelezen", "Lignes lues"],
            Label::Accepted => ["Accepted", "Aanvaard", "Acceptées"],
            Label::Rejected => ["Rejected", "Geweigerd", "Rejetées"],
            Label::Warnings => ["Warnings", "Waarschuwingen", "Avertissements"],
            Label::Source => ["Source", "Bron", "Source"],
            Label::Location => ["Location", "Plaats", "Emplacement"],
            Label::Column => ["Column", "Kolom", "Colonne"],
            Label::Value => ["Value", "Waarde", "Valeur"],
            Label::Reason => ["Reason", "Reden", "Raison"],
            Label::Month => ["Month", "Maand", "Mois"],
            Label::Sales => ["Sales", "Omzet", "Ventes"],
            Label::CurrentAr => ["Not yet due", "Nog niet vervallen", "Non échu"],
            Label::NotDue => ["not due", "niet vervallen", "non échu"],
            Label::Summary => ["Summary", "Overzicht", "Synthèse"],
            Label::Clients => ["Clients", "Klanten", "Clients"],
            Label::OpenItems => ["Open items", "Openstaande posten", "Postes ouverts"],
            Label::Trends => ["Trends", "Evolutie", "Tendances"],
            Label::Kpi => ["Indicator", "Indicator", "Indicateur"],
            Label::Standard => ["standard", "standaard", "standard"],
            Label::Countback => ["countback", "countback", "countback"],
            Label::Creditor => ["Creditor", "Schuldeiser", "Créancier"],
            Label::Debtor => ["Debtor", "Schuldenaar", "Débiteur"],
            Label::Address => ["Address", "Adres", "Adresse"],
            Label::LegalBasis => ["Legal basis", "Rechtsgrond", "Base légale"],
            Label::HandoverDate => ["Handover date", "Overdrachtsdatum", "Date de transmission"],
            Label::Reminders => ["Reminder history", "Herinneringen", "Historique des rappels"],
            Label::NoReminders => [
                "No reminder log was supplied.",
                "Er werd geen herinneringslog aangeleverd.",
                "Aucun journal de rappels n'a été fourni.",
            ],
            Label::Dossier => ["Collection dossier", "Incassodossier", "Dossier de recouvrement"],
            Label::Provisional => ["provisional rate", "voorlopige rentevoet", "taux provisoire"],
            Label::CompensationUnconverted => [
                "The exchange-rate table has no rate from {from} into {to}: the compensation is claimed in {from} beside the total, not converted and not in it.",
                "De wisselkoerstabel heeft geen koers van {from} naar {to}: de vergoeding wordt in {from} naast het totaal gevorderd, niet omgerekend en niet erin begrepen.",
                "La table des taux de change n'a pas de taux de {from} en {to} : l'indemnité est réclamée en {from} à côté du total, sans conversion et hors total.",
            ],
            Label::InterestNote => [
                "Statutory interest from the day after the due date to the handover date, act/365, per half-year rate; fixed compensation of {} per invoice.",
                "Wettelijke interest vanaf de dag na de vervaldag tot de overdrachtsdatum, act/365, tegen de rentevoet per halfjaar; forfaitaire vergoeding van {} per factuur.",
                "Intérêts légaux du lendemain de l'échéance à la date de transmission, act/365, au taux semestriel; indemnité forfaitaire de {} par facture.",
            ],
            Label::Count => ["Count", "Aantal", "Nombre"],
            Label::Watchlist => ["Suppliers and prospects", "Leveranciers en prospecten", "Fournisseurs et prospects"],
            Label::Role => ["Role", "Rol", "Rôle"],
            Label::SalesOpportunities => {
                ["Opportunities for sales", "Kansen voor verkoop", "Opportunités commerciales"]
            }
            Label::CreditLimit => ["Credit limit", "Kredietlimiet", "Limite de crédit"],
            Label::Exposure => ["Exposure", "Blootstelling", "Exposition"],
            Label::CreditRoom => ["Credit room", "Kredietruimte", "Marge de crédit"],
            Label::Actions => ["Collection actions", "Incasso-acties", "Actions de recouvrement"],
            Label::StepsDone => ["Steps done", "Stappen gezet", "Étapes faites"],
            Label::NextAction => ["Next action", "Volgende actie", "Action suivante"],
            Label::ActionDate => ["Action date", "Actiedatum", "Date de l'action"],
            Label::OverdueDays => ["Overdue (days)", "Te laat (dagen)", "En retard (jours)"],
            Label::ExpectedDate => ["Expected date", "Verwachte datum", "Date attendue"],
            Label::DateP10 => ["Earliest (10 %)", "Vroegst (10 %)", "Au plus tôt (10 %)"],
            Label::DateP90 => ["Latest (90 %)", "Uiterlijk (90 %)", "Au plus tard (90 %)"],
            Label::Collected13w => ["Chance within 13 weeks", "Kans binnen 13 weken", "Probabilité sous 13 semaines"],
            Label::Basis => ["Basis", "Grondslag", "Fondement"],
            Label::Week => ["Week", "Week", "Semaine"],
            Label::WeekStart => ["From", "Van", "Du"],
            Label::WeekEnd => ["To", "Tot", "Au"],
            Label::Expected => ["Expected", "Verwacht", "Attendu"],
            Label::Low => ["Low (80 %)", "Laag (80 %)", "Bas (80 %)"],
            Label::High => ["High (80 %)", "Hoog (80 %)", "Haut (80 %)"],
            Label::DueDateBaseline => ["By due dates", "Volgens vervaldagen", "Selon les échéances"],
            Label::ForecastTitle => [
                "Cash expected from today's open invoices",
                "Verwachte ontvangsten uit de openstaande facturen van vandaag",
                "Encaissements attendus des factures ouvertes d'aujourd'hui",
            ],
            Label::Forecast => ["Forecast", "Prognose", "Prévision"],
            Label::LargestExpected => {
                ["Largest expected amounts", "Grootste verwachte bedragen", "Montants attendus les plus élevés"]
            }
            Label::LeastLikely => {
                ["Least likely to be collected", "Minste kans op inning", "Les moins susceptibles d'être encaissées"]
            }
            Label::TrackRecord => ["Track record", "Trackrecord", "Fiabilité passée"],
            Label::ExpectedWithin13w => {
                ["Expected within 13 weeks", "Verwacht binnen 13 weken", "Attendu sous 13 semaines"]
            }
            Label::NoForecast => [
                "No payment is known in this ledger (an open-items list, say): there is nothing to forecast from; the due dates alone are shown",
                "Dit grootboek kent geen enkele betaling (een lijst van openstaande posten bijvoorbeeld): er is niets om een prognose op te bouwen; alleen de vervaldagen staan er",
                "Ce grand livre ne connaît aucun paiement (une liste de postes ouverts, par exemple) : rien sur quoi fonder une prévision ; seules les échéances sont montrées",
            ],
            Label::PerWeek => [
                "Expected per week (weeks 1 to 13)",
                "Verwacht per week (week 1 tot 13)",
                "Attendu par semaine (semaines 1 à 13)",
            ],
            Label::ForecastInvoices => ["Forecast per invoice", "Prognose per factuur", "Prévision par facture"],
            Label::Beyond13w => ["Later or never", "Later of nooit", "Plus tard ou jamais"],
            Label::EarlyWarning => ["Early warning", "Vroege waarschuwing", "Alerte précoce"],
            Label::EarlyWarningTitle => {
                ["Early-warning record", "Trackrecord van de vroege waarschuwing", "Bilan de l'alerte précoce"]
            }
            Label::Outcome => ["Outcome", "Afloop", "Issue"],
            Label::FailedOn => ["Failed on", "Gefaald op", "Défaillant le"],
            Label::Cause => ["Why", "Waarom", "Pourquoi"],
            Label::FlaggedOn => ["First flagged", "Eerst gemarkeerd", "Signalé d'abord le"],
            Label::LeadMonths => ["Months ahead", "Maanden vooraf", "Mois d'avance"],
            Label::Factor => ["What weighed most", "Wat het zwaarst woog", "Ce qui a pesé le plus"],
            Label::MonthEnd => ["Month end", "Maandeinde", "Fin de mois"],
            Label::FlaggedPerMonth => [
                "Clients flagged (high or critical) per month end",
                "Klanten gemarkeerd (hoog of kritiek) per maandeinde",
                "Clients signalés (élevé ou critique) par fin de mois",
            ],
        }
    }
}

/// A label in a language.
pub fn t(lang: Lang, label: Label) -> &'static str {
    lang.pick(label.words())
}

/// Groups the integer part with `sep`.
fn group(int: u64, sep: &str) -> String {
    let s = int.to_string();
    let mut out = String::new();
    for (i, c) in s.chars().enumerate() {
        if i > 0 && (s.len() - i).is_multiple_of(3) {
            out.push_str(sep);
        }
        out.push(c);
    }
    out
}

/// A number with `decimals` decimals in the language's notation.
pub fn number(lang: Lang, v: f64, decimals: usize) -> String {
    if !v.is_finite() {
        return "–".into();
    }
    let scaled = (v.abs() * 10f64.powi(decimals as i32)).round() as u64;
    fixed(lang, v < 0.0 && scaled > 0, scaled, decimals as u32)
}

/// `scaled` / 10^`decimals`, exactly, in the language's notation.
fn fixed(lang: Lang, negative: bool, scaled: u64, decimals: u32) -> String {
    let p = 10u64.pow(decimals);
    let (int, frac) = (scaled / p, scaled % p);
    let (gsep, dsep) = match lang {
        Lang::En => (",", "."),
        Lang::Nl => (".", ","),
        Lang::Fr => ("\u{202f}", ","),
    };
    let mut s = format!("{}{}", if negative { "-" } else { "" }, group(int, gsep));
    if decimals > 0 {
        s.push_str(dsep);
        s.push_str(&format!("{frac:0w$}", w = decimals as usize));
    }
    s
}

/// Money from minor units, exactly, with the currency's own decimals: `€ 1,234.56`,
/// `1.234,56 €`, `1 234,56 €`, `JPY 1,234`, `KWD 1,234.567`.
pub fn money(lang: Lang, minor: i64, currency: Currency) -> String {
    let code = currency.code();
    let symbol = if code == "EUR" { "€" } else { code };
    let n = fixed(lang, minor < 0, minor.unsigned_abs(), currency.minor_digits());
    match lang {
        Lang::En => format!("{symbol} {n}"),
        Lang::Nl | Lang::Fr => format!("{n} {symbol}"),
    }
}

/// A fraction as a percentage in the language's notation: `55,9 %`.
pub fn percent(lang: Lang, fraction: f64, decimals: usize) -> String {
    format!("{} %", number(lang, fraction * 100.0, decimals))
}

/// A date as Belgian and Dutch readers write it: `31/10/2026`.
pub fn date(d: NaiveDate) -> String {
    d.format("%d/%m/%Y").to_string()
}

/// Parts of a heading joined by `sep`, the empty ones left out: a configuration without a
/// `company` gives "Accounts receivable report — As of 31/10/2026", not a heading that starts
/// with a dash.
pub fn joined(sep: &str, parts: &[&str]) -> String {
    parts.iter().map(|p| p.trim()).filter(|p| !p.is_empty()).collect::<Vec<_>>().join(sep)
}

/// The sentence under the aging chart when invoices are disputed: "Of the open amount, € 3,705.43
/// is disputed (2 invoices; the longest in dispute for 70 days)."
pub fn disputed(lang: Lang, amount: &str, invoices: usize, longest_days: Option<i64>) -> String {
    let more = invoices != 1;
    let longest = |words: &str, unit: &str| longest_days.map(|d| format!("{words} {d} {unit}")).unwrap_or_default();
    match lang {
        Lang::En => format!(
            "Of the open amount, {amount} is disputed ({invoices} invoice{}{}).",
            if more { "s" } else { "" },
            longest("; the longest in dispute for", "days")
        ),
        Lang::Nl => format!(
            "Van het openstaande bedrag is {amount} betwist ({invoices} {}{}).",
            if more { "facturen" } else { "factuur" },
            longest("; de langste betwisting duurt", "dagen")
        ),
        Lang::Fr => format!(
            "Du montant ouvert, {amount} est contesté ({invoices} facture{}{}).",
            if more { "s" } else { "" },
            longest(" ; le plus long litige dure depuis", "jours")
        ),
    }
}

/// The sentence under the aging chart on invoices paid in instalments: how many, their open
/// instalments, the amount open and what of it is past due.
pub fn instalments(lang: Lang, invoices: usize, open: usize, amount: &str, past_due: &str) -> String {
    let (more, items) = (invoices != 1, open != 1);
    match lang {
        Lang::En => format!(
            "{invoices} invoice{} paid in instalments: {open} instalment{} open, {amount}, of which {past_due} past due.",
            if more { "s" } else { "" },
            if items { "s" } else { "" }
        ),
        Lang::Nl => format!(
            "{invoices} {} in termijnen: {open} {} open, {amount}, waarvan {past_due} vervallen.",
            if more { "facturen" } else { "factuur" },
            if items { "termijnen" } else { "termijn" }
        ),
        Lang::Fr => format!(
            "{invoices} facture{} payable{} en plusieurs fois : {open} échéance{} ouverte{}, {amount}, dont {past_due} \
             échu.",
            if more { "s" } else { "" },
            if more { "s" } else { "" },
            if items { "s" } else { "" },
            if items { "s" } else { "" }
        ),
    }
}

/// A risk tier in the report's language (the data files write `Tier::label`).
pub fn tier(lang: Lang, tier: crate::analytics::risk::Tier) -> &'static str {
    use crate::analytics::risk::Tier;
    lang.pick(match tier {
        Tier::Low => ["low", "laag", "faible"],
        Tier::Medium => ["medium", "middel", "moyen"],
        Tier::High => ["high", "hoog", "élevé"],
        Tier::Critical => ["critical", "kritiek", "critique"],
    })
}

/// A bureau status as the data files write it (`Status::label`), in the report's language.
pub fn status(lang: Lang, label: &str) -> &str {
    crate::bureau::Status::from_label(label).map_or(label, |s| s.words(lang))
}

/// A document as the dossiers name it: its id, and its instalment when it is one.
pub fn instalment_of(lang: Lang, id: &str, instalment: u8) -> String {
    match (instalment, lang) {
        (0, _) => id.to_string(),
        (k, Lang::En) => format!("{id}, instalment {k}"),
        (k, Lang::Nl) => format!("{id}, termijn {k}"),
        (k, Lang::Fr) => format!("{id}, échéance {k}"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn instalments_are_told_in_each_language() {
        assert_eq!(
            instalments(Lang::En, 1, 2, "€ 7,000.00", "€ 0.00"),
            "1 invoice paid in instalments: 2 instalments open, € 7,000.00, of which € 0.00 past due."
        );
        assert_eq!(
            instalments(Lang::Nl, 2, 1, "€ 5,00", "€ 5,00"),
            "2 facturen in termijnen: 1 termijn open, € 5,00, waarvan € 5,00 vervallen."
        );
        assert!(
            instalments(Lang::Fr, 2, 3, "x", "y")
                .starts_with("2 factures payables en plusieurs fois : 3 échéances ouvertes")
        );
        assert_eq!(instalment_of(Lang::Nl, "F1", 2), "F1, termijn 2");
        assert_eq!(instalment_of(Lang::Fr, "F1", 0), "F1");
    }

    #[test]
    fn headings_leave_out_empty_parts() {
        assert_eq!(joined(" — ", &["", "Report", "As of 31/10/2026"]), "Report — As of 31/10/2026");
        assert_eq!(joined(" · ", &["  ", "As of 31/10/2026"]), "As of 31/10/2026");
        assert_eq!(joined(" · ", &["Brasserie Wéry", "As of 31/10/2026"]), "Brasserie Wéry · As of 31/10/2026");
    }

    #[test]
    fn numbers_and_money_per_language() {
        let eur = Currency::EUR;
        assert_eq!(money(Lang::Nl, 123456, eur), "1.234,56 €");
        assert_eq!(money(Lang::En, 123456, eur), "€ 1,234.56");
        assert_eq!(money(Lang::Fr, 123456789, eur), "1\u{202f}234\u{202f}567,89 €");
        assert_eq!(money(Lang::Nl, -5, eur), "-0,05 €");
        // Issue 9: the currency's own decimals, never a hundredth of the amount.
        assert_eq!(money(Lang::En, 123456, Currency::parse("JPY").unwrap()), "JPY 123,456");
        assert_eq!(money(Lang::Nl, -1234567, Currency::parse("KWD").unwrap()), "-1.234,567 KWD");
        assert_eq!(money(Lang::En, i64::MIN, eur), "€ -92,233,720,368,547,758.08");
        assert_eq!(percent(Lang::Nl, 0.5593, 1), "55,9 %");
        assert_eq!(date(NaiveDate::from_ymd_opt(2026, 10, 31).unwrap()), "31/10/2026");
    }

    #[test]
    fn every_label_in_three_languages() {
        for label in Label::ALL {
            let [en, nl, fr] = label.words();
            assert!(!en.is_empty() && !nl.is_empty() && !fr.is_empty(), "{label:?}");
        }
        assert_eq!(t(Lang::Fr, Label::Interest), "Intérêts");
    }

    #[test]
    fn the_disputed_amount_is_said_in_each_language() {
        assert_eq!(
            disputed(Lang::En, "€ 3,705.43", 2, Some(70)),
            "Of the open amount, € 3,705.43 is disputed (2 invoices; the longest in dispute for 70 days)."
        );
        assert_eq!(disputed(Lang::En, "€ 10.00", 1, None), "Of the open amount, € 10.00 is disputed (1 invoice).");
        assert_eq!(
            disputed(Lang::Nl, "3.705,43 €", 1, Some(70)),
            "Van het openstaande bedrag is 3.705,43 € betwist (1 factuur; de langste betwisting duurt 70 dagen)."
        );
        assert_eq!(
            disputed(Lang::Fr, "3 705,43 €", 2, Some(70)),
            "Du montant ouvert, 3 705,43 € est contesté (2 factures ; le plus long litige dure depuis 70 jours)."
        );
    }
}
