//! The forecast in words a credit manager reads: what an invoice's forecast rests on
//! (`forecast.csv`'s `basis`, the Forecast sheets and the PDF page) and how right the forecast
//! was before (its track record).

use super::i18n;
use crate::analytics::outlook::{Backtest, ClientOutlook, Hold, InvoiceForecast};
use crate::locale::Lang;
use chrono::NaiveDate;
use std::fmt::Write;

/// What the collector's log says of one invoice, for its basis.
#[derive(Clone, Copy, Debug, Default, PartialEq)]
pub struct Logged {
    /// Days it has been in dispute (a dispute the log dates).
    pub dispute_days: Option<i64>,
    /// The day a live promise covering it promises payment by.
    pub promised: Option<NaiveDate>,
}

/// The basis of one invoice's forecast, `days_past_due` old at the as-of date: "client
/// history: 14 invoices paid, 18 days late on average, weight 74 % (portfolio 26 %); already 25
/// days past due", and what the collector's log says of it (`logged`).
pub fn basis(lang: Lang, client: &ClientOutlook, f: &InvoiceForecast, days_past_due: i64, logged: Logged) -> String {
    ClientBasis::new(lang, client).basis(f, days_past_due, logged)
}

/// What the basis of each of a client's invoices says of the client: its history in words and
/// what that is blended with. Made once per client, as `forecast.csv` repeats it on each of
/// the client's rows.
pub struct ClientBasis {
    lang: Lang,
    /// "client history: 14 invoices paid, 18 days late on average, trend +2 days a month", or
    /// the pattern a client without history follows.
    history: String,
    /// What the history is blended with, when there is one (each invoice says its weight).
    prior: Option<&'static str>,
}

impl ClientBasis {
    /// The client's part of its invoices' bases, in `lang`.
    pub fn new(lang: Lang, client: &ClientOutlook) -> ClientBasis {
        let mut history = String::with_capacity(96);
        let weighed = self::history(&mut history, lang, client);
        ClientBasis { lang, history, prior: weighed.then(|| prior(lang, client.band)) }
    }

    /// The basis of one of the client's invoices ([`basis`]), written into one buffer.
    pub fn basis(&self, f: &InvoiceForecast, days_past_due: i64, logged: Logged) -> String {
        let lang = self.lang;
        let mut s = String::with_capacity(self.history.len() + 64);
        if let Some(Hold::Insolvent(status)) = f.hold {
            let status = i18n::status(lang, status);
            let _ = match lang {
                Lang::En => write!(s, "client {status} (credit bureau): not expected within the horizon"),
                Lang::Nl => write!(s, "klant {status} (kredietbureau): niet verwacht binnen de horizon"),
                Lang::Fr => write!(s, "client {status} (bureau de crédit) : pas attendu dans l'horizon"),
            };
            return s;
        }
        if f.disputed {
            // Said first: the reader should know the invoice is contested.
            let _ = match (lang, logged.dispute_days) {
                (Lang::En, None) => write!(s, "disputed; "),
                (Lang::Nl, None) => write!(s, "betwist; "),
                (Lang::Fr, None) => write!(s, "contestée ; "),
                (Lang::En, Some(d)) => write!(s, "disputed for {}; ", Days(lang, d)),
                (Lang::Nl, Some(d)) => write!(s, "betwist sinds {}; ", Days(lang, d)),
                (Lang::Fr, Some(d)) => write!(s, "contestée depuis {} ; ", Days(lang, d)),
            };
        }
        s.push_str(&self.history);
        if let Some(prior) = self.prior {
            let own = (f.client_share * 100.0).round() as i64;
            s.push_str(match lang {
                Lang::En => ", weight ",
                Lang::Nl => ", gewicht ",
                Lang::Fr => ", poids ",
            });
            push_int(&mut s, own);
            s.push_str(" % (");
            s.push_str(prior);
            s.push(' ');
            push_int(&mut s, 100 - own);
            s.push_str(" %)");
        }
        s.push_str(if lang == Lang::Fr { " ; " } else { "; " });
        // Words before and after the days.
        let (before, after) = match (lang, days_past_due.signum()) {
            (Lang::En, 1) => ("already ", " past due"),
            (Lang::En, 0) => ("due today", ""),
            (Lang::En, _) => ("due in ", ""),
            (Lang::Nl, 1) => ("al ", " over de vervaldag"),
            (Lang::Nl, 0) => ("vervalt vandaag", ""),
            (Lang::Nl, _) => ("vervalt over ", ""),
            (Lang::Fr, 1) => ("déjà ", " après l'échéance"),
            (Lang::Fr, 0) => ("échéance aujourd'hui", ""),
            (Lang::Fr, _) => ("échéance dans ", ""),
        };
        s.push_str(before);
        if days_past_due != 0 {
            push_days(&mut s, lang, days_past_due.abs());
        }
        s.push_str(after);
        if let Some(by) = logged.promised {
            // The forecast itself rests on the client's history: a promise is said, not believed
            // (docs/forecast.md).
            let by = i18n::date(by);
            let _ = match lang {
                Lang::En => write!(s, "; promised by {by}"),
                Lang::Nl => write!(s, "; belofte tot {by}"),
                Lang::Fr => write!(s, " ; promesse pour le {by}"),
            };
        }
        s
    }
}

/// The client's history, without the weight each invoice gives it; whether it has one.
fn history(s: &mut String, lang: Lang, client: &ClientOutlook) -> bool {
    match client.mean_delay.filter(|_| client.paid > 0) {
        Some(delay) => {
            let n = client.paid;
            let _ = match (lang, n == 1) {
                (Lang::En, true) => write!(s, "client history: 1 invoice paid, "),
                (Lang::En, false) => write!(s, "client history: {n} invoices paid, "),
                (Lang::Nl, true) => write!(s, "klantgeschiedenis: 1 factuur betaald, "),
                (Lang::Nl, false) => write!(s, "klantgeschiedenis: {n} facturen betaald, "),
                (Lang::Fr, true) => write!(s, "historique du client : 1 facture payée, "),
                (Lang::Fr, false) => write!(s, "historique du client : {n} factures payées, "),
            };
            let d = delay.round() as i64;
            let _ = match (lang, d.signum()) {
                (Lang::En, 0) => write!(s, "on the due date on average"),
                (Lang::En, 1) => write!(s, "{} late on average", Days(lang, d)),
                (Lang::En, _) => write!(s, "{} early on average", Days(lang, -d)),
                (Lang::Nl, 0) => write!(s, "gemiddeld op de vervaldag"),
                (Lang::Nl, 1) => write!(s, "gemiddeld {} te laat", Days(lang, d)),
                (Lang::Nl, _) => write!(s, "gemiddeld {} te vroeg", Days(lang, -d)),
                (Lang::Fr, 0) => write!(s, "en moyenne à l'échéance"),
                (Lang::Fr, 1) => write!(s, "en moyenne {} de retard", Days(lang, d)),
                (Lang::Fr, _) => write!(s, "en moyenne {} d'avance", Days(lang, -d)),
            };
            if let Some(t) = client.trend.filter(|t| t.abs() >= 0.05) {
                let t = i18n::number(lang, t, 1);
                let sign = if t.starts_with('-') { "" } else { "+" };
                let _ = match lang {
                    Lang::En => write!(s, ", trend {sign}{t} days a month"),
                    Lang::Nl => write!(s, ", trend {sign}{t} dagen per maand"),
                    Lang::Fr => write!(s, ", tendance {sign}{t} jours par mois"),
                };
            }
            true
        }
        None => {
            s.push_str(match (lang, client.band) {
                (Lang::En, None) => "no payment history: the portfolio's pattern",
                (Lang::Nl, None) => "geen betaalgeschiedenis: het patroon van de portefeuille",
                (Lang::Fr, None) => "pas d'historique de paiement : le profil du portefeuille",
                (Lang::En, Some(1..=3)) => "no payment history: the pattern of clients of a like payment score",
                (Lang::Nl, Some(1..=3)) => {
                    "geen betaalgeschiedenis: het patroon van klanten met een gelijke betalingsscore"
                }
                (Lang::Fr, Some(1..=3)) => {
                    "pas d'historique de paiement : le profil des clients d'un score de paiement proche"
                }
                (Lang::En, Some(_)) => "no payment history: the pattern of clients paying alike elsewhere (pool)",
                (Lang::Nl, Some(_)) => {
                    "geen betaalgeschiedenis: het patroon van klanten die elders even laat betalen (pool)"
                }
                (Lang::Fr, Some(_)) => {
                    "pas d'historique de paiement : le profil des clients payant de même ailleurs (pool)"
                }
            });
            false
        }
    }
}

/// What the client's own history is blended with (docs/forecast.md, steps 4 and 11): the
/// portfolio, or the clients of its payment-score band (1–3) or of its band of experience
/// elsewhere (4–6).
fn prior(lang: Lang, band: Option<u8>) -> &'static str {
    match (lang, band) {
        (Lang::En, None) => "portfolio",
        (Lang::Nl | Lang::Fr, None) => "portefeuille",
        (Lang::En, Some(1..=3)) => "clients of a like payment score",
        (Lang::Nl, Some(1..=3)) => "klanten met een gelijke betalingsscore",
        (Lang::Fr, Some(1..=3)) => "clients d'un score de paiement proche",
        (Lang::En, Some(_)) => "clients paying alike elsewhere (pool)",
        (Lang::Nl, Some(_)) => "klanten die elders even laat betalen (pool)",
        (Lang::Fr, Some(_)) => "clients payant de même ailleurs (pool)",
    }
}

/// A number of days, singular for one.
struct Days(Lang, i64);

impl std::fmt::Display for Days {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let Days(lang, n) = *self;
        write!(f, "{n} {}", day_word(lang, n))
    }
}

/// "day" or "days" in `lang`, as `n` asks.
fn day_word(lang: Lang, n: i64) -> &'static str {
    match (lang, n == 1) {
        (Lang::En, true) => "day",
        (Lang::En, false) => "days",
        (Lang::Nl, true) => "dag",
        (Lang::Nl, false) => "dagen",
        (Lang::Fr, true) => "jour",
        (Lang::Fr, false) => "jours",
    }
}

/// Appends `n` days in words (the per-row part of a basis, without formatting machinery).
fn push_days(s: &mut String, lang: Lang, n: i64) {
    push_int(s, n);
    s.push(' ');
    s.push_str(day_word(lang, n));
}

/// Appends a whole number in digits, as the data files write one.
fn push_int(s: &mut String, n: i64) {
    if n < 0 {
        s.push('-');
    }
    s.push_str(std::str::from_utf8(super::csv::digits(&mut [0; 20], n.unsigned_abs(), 1)).unwrap_or_default());
}

/// The track record in a sentence or three: weekly error against the due dates and the
/// client's usual delay, invoice dates, and how often the 80 % range held.
pub fn track_record(lang: Lang, b: &Backtest) -> String {
    let pct = |x: f64| i18n::percent(lang, x, 0);
    let days = |x: f64| i18n::number(lang, x, 1);
    let n = b.origins.len();
    let (Some(wape), Some(due)) = (b.wape, b.wape_due_date_baseline) else {
        return match lang {
            Lang::En => "Not enough history yet to judge the forecast against what was paid.",
            Lang::Nl => "Nog te weinig geschiedenis om de prognose te toetsen aan wat betaald werd.",
            Lang::Fr => "Pas encore assez d'historique pour juger la prévision sur ce qui a été payé.",
        }
        .into();
    };
    let usual = b.wape_usual_delay_baseline.map(pct).unwrap_or_else(|| "–".into());
    let mut s = match lang {
        Lang::En => format!(
            "Over the last {n} month ends the forecast was {} off per week; the due dates would have been {} off, the \
             client's usual delay {usual}.",
            pct(wape),
            pct(due)
        ),
        Lang::Nl => format!(
            "Over de laatste {n} maandeinden zat de prognose per week {} naast; de vervaldagen zouden {} naast gezeten \
             hebben, de gewone vertraging van de klant {usual}.",
            pct(wape),
            pct(due)
        ),
        Lang::Fr => format!(
            "Sur les {n} dernières fins de mois, la prévision s'est écartée de {} par semaine ; les échéances se seraient \
             écartées de {}, le retard habituel du client de {usual}.",
            pct(wape),
            pct(due)
        ),
    };
    if let (Some(mae), Some(base)) = (b.mae_days, b.mae_days_due_date_baseline) {
        s.push(' ');
        s.push_str(&match lang {
            Lang::En => format!("Invoice dates were {} days off on average (the due dates {}).", days(mae), days(base)),
            Lang::Nl => {
                format!("Factuurdatums zaten gemiddeld {} dagen naast (de vervaldagen {}).", days(mae), days(base))
            }
            Lang::Fr => {
                format!(
                    "Les dates des factures s'écartaient de {} jours en moyenne (les échéances {}).",
                    days(mae),
                    days(base)
                )
            }
        });
    }
    if let Some(c) = b.coverage_80 {
        s.push(' ');
        s.push_str(&match lang {
            Lang::En => format!("{} of the outcomes fell within the 80 % range.", pct(c)),
            Lang::Nl => format!("{} van de uitkomsten viel binnen de 80 %-marge.", pct(c)),
            Lang::Fr => format!("{} des résultats sont tombés dans la fourchette de 80 %.", pct(c)),
        });
    }
    s
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn days_and_numbers_are_appended_as_formatting_would_write_them() {
        for n in [0, 1, 9, 10, 100, 1066, -7, i64::MAX, i64::MIN] {
            let mut s = String::new();
            push_int(&mut s, n);
            assert_eq!(s, n.to_string());
        }
        for (lang, n) in [(Lang::En, 1), (Lang::En, 25), (Lang::Nl, 1), (Lang::Nl, 3), (Lang::Fr, 1), (Lang::Fr, 40)] {
            let mut s = String::new();
            push_days(&mut s, lang, n);
            assert_eq!(s, Days(lang, n).to_string());
        }
        assert_eq!(Days(Lang::Fr, 2).to_string(), "2 jours");
    }

    #[test]
    fn the_track_record_reads_as_a_sentence() {
        let b = Backtest {
            origins: vec![chrono::NaiveDate::from_ymd_opt(2026, 9, 30).unwrap(); 6],
            wape: Some(0.2341),
            wape_due_date_baseline: Some(0.58),
            wape_usual_delay_baseline: Some(0.4),
            mae_days: Some(6.04),
            mae_days_due_date_baseline: Some(9.0),
            mae_days_usual_delay_baseline: Some(7.0),
            coverage_80: Some(0.81),
            invoices: 100,
            week_coverage_80: Some(0.7),
        };
        assert_eq!(
            track_record(Lang::En, &b),
            "Over the last 6 month ends the forecast was 23 % off per week; the due dates would have been 58 % off, \
             the client's usual delay 40 %. Invoice dates were 6.0 days off on average (the due dates 9.0). 81 % of \
             the outcomes fell within the 80 % range."
        );
        assert!(
            track_record(Lang::Nl, &b).starts_with("Over de laatste 6 maandeinden zat de prognose per week 23 % naast")
        );
        assert!(track_record(Lang::Fr, &Backtest::default()).starts_with("Pas encore assez"));
    }

    fn client(paid: u32, mean_delay: Option<f64>) -> ClientOutlook {
        ClientOutlook { paid, mean_delay, ..Default::default() }
    }

    #[test]
    fn a_trend_is_said_in_days_a_month() {
        let c = ClientOutlook { trend: Some(2.04), ..client(14, Some(18.0)) };
        assert_eq!(
            basis(Lang::En, &c, &invoice(0.74, None), 25, Logged::default()),
            "client history: 14 invoices paid, 18 days late on average, trend +2.0 days a month, weight 74 % \
             (portfolio 26 %); already 25 days past due"
        );
        let c = ClientOutlook { trend: Some(-1.5), ..c };
        assert!(
            basis(Lang::Nl, &c, &invoice(0.5, None), 1, Logged::default()).contains(", trend -1,5 dagen per maand, ")
        );
    }

    #[test]
    fn a_payment_score_band_is_named_where_it_stood_in_for_the_portfolio() {
        let c = ClientOutlook { band: Some(3), ..client(4, Some(30.0)) };
        assert_eq!(
            basis(Lang::En, &c, &invoice(0.44, None), 5, Logged::default()),
            "client history: 4 invoices paid, 30 days late on average, weight 44 % (clients of a like payment score \
             56 %); already 5 days past due"
        );
        let pooled = ClientOutlook { band: Some(5), ..client(4, Some(30.0)) };
        assert!(
            basis(Lang::Nl, &pooled, &invoice(0.44, None), 5, Logged::default())
                .contains(", gewicht 44 % (klanten die elders even laat betalen (pool) 56 %); ")
        );
        let new = ClientOutlook { band: Some(1), ..client(0, None) };
        assert!(
            basis(Lang::Fr, &new, &invoice(0.0, None), -3, Logged::default())
                .starts_with("pas d'historique de paiement : le profil des clients d'un score de paiement proche ; ")
        );
    }

    fn invoice(client_share: f64, hold: Option<Hold>) -> InvoiceForecast {
        InvoiceForecast { expected: None, p10: None, p90: None, p_13w: 0.0, client_share, hold, disputed: false }
    }

    #[test]
    fn the_basis_says_what_the_forecast_rests_on() {
        let c = client(14, Some(18.4));
        assert_eq!(
            basis(Lang::En, &c, &invoice(0.74, None), 25, Logged::default()),
            "client history: 14 invoices paid, 18 days late on average, weight 74 % (portfolio 26 %); already 25 days \
             past due"
        );
        assert_eq!(
            basis(Lang::Nl, &client(0, None), &invoice(0.0, None), -10, Logged::default()),
            "geen betaalgeschiedenis: het patroon van de portefeuille; vervalt over 10 dagen"
        );
        let fr = basis(Lang::Fr, &client(3, Some(-2.0)), &invoice(0.5, None), 0, Logged::default());
        assert!(fr.contains("en moyenne 2 jours d'avance") && fr.ends_with(" ; échéance aujourd'hui"), "{fr}");
        assert_eq!(
            basis(Lang::En, &client(1, Some(1.2)), &invoice(0.5, None), 1, Logged::default()),
            "client history: 1 invoice paid, 1 day late on average, weight 50 % (portfolio 50 %); already 1 day past due"
        );
        assert_eq!(
            basis(Lang::Nl, &c, &InvoiceForecast { disputed: true, ..invoice(0.5, None) }, 3, Logged::default()),
            "betwist; klantgeschiedenis: 14 facturen betaald, gemiddeld 18 dagen te laat, gewicht 50 % (portefeuille \
             50 %); al 3 dagen over de vervaldag"
        );
        let logged = Logged { dispute_days: Some(70), promised: NaiveDate::from_ymd_opt(2026, 11, 10) };
        let said = basis(Lang::En, &c, &InvoiceForecast { disputed: true, ..invoice(0.5, None) }, 3, logged);
        assert!(said.starts_with("disputed for 70 days; client history"), "{said}");
        assert!(said.ends_with("; already 3 days past due; promised by 10/11/2026"), "{said}");
        assert_eq!(
            basis(Lang::En, &c, &invoice(0.0, Some(Hold::Insolvent("bankrupt"))), 40, Logged::default()),
            "client bankrupt (credit bureau): not expected within the horizon"
        );
        assert_eq!(
            basis(Lang::Fr, &c, &invoice(0.0, Some(Hold::Insolvent("judicial reorganisation"))), 40, Logged::default()),
            "client en réorganisation judiciaire (bureau de crédit) : pas attendu dans l'horizon"
        );
    }
}
