//! The words of the reports' interface in each language the project has
//! (English and Spanish): one table, so a report about a Spanish article
//! reads in Spanish around the article's own words. What the engine writes
//! (a verdict's explanation, the rule of a statement) stays in English.
//!
//! [`words`] picks the table of an article's language tag (`es`, `es-MX`,
//! `ES`: its primary subtag); any other language gets English.

use crate::verdict::Verdict;

/// The interface words of one language.
#[derive(Debug)]
pub struct Words {
    /// The language tag the words are in (`en`, `es`).
    pub lang: &'static str,
    /// Title of a report ("Fact-check").
    pub fact_check: &'static str,
    /// "published" (before the date).
    pub published: &'static str,
    /// "claims in" (before the claim file).
    pub claims_in: &'static str,
    /// Label of the tally.
    pub verdicts: &'static str,
    /// Label of the filters.
    pub show: &'static str,
    /// The filter that shows every claim.
    pub all: &'static str,
    /// Heading of the article text.
    pub the_article: &'static str,
    /// Heading of the claims of an article.
    pub claims: &'static str,
    /// Heading of the claims whose quote is not marked in the text.
    pub not_in_text: &'static str,
    /// Heading of claims that belong to no listed article.
    pub other_claims: &'static str,
    /// Link from a card back to its place in the article.
    pub show_in_article: &'static str,
    /// "Claim" (numbered: "Claim 3"), and the row with its file and line.
    pub claim: &'static str,
    /// Row: the computed value.
    pub found: &'static str,
    /// Row: what the article says.
    pub article_says: &'static str,
    /// "which allows" (between the statement and its interval).
    pub which_allows: &'static str,
    /// Row: the as-of date.
    pub as_of: &'static str,
    /// Row: the day relative words count from.
    pub words_count_from: &'static str,
    /// Row: the measure.
    pub measure: &'static str,
    /// Row: why a claim could not be judged.
    pub problem: &'static str,
    /// "at" (a problem's place).
    pub at: &'static str,
    /// Row: the editorial rating.
    pub rating: &'static str,
    /// Row: the claim file's note.
    pub note: &'static str,
    /// Row: the evidence records.
    pub evidence: &'static str,
    /// Row: the rule that decided the verdict.
    pub rule: &'static str,
    /// Row: the sources.
    pub sources: &'static str,
    /// Label of the published datasets the records come from.
    pub datasets: &'static str,
    /// "version" (before a dataset's version).
    pub version: &'static str,
    /// "retrieved" (before the day a dataset was retrieved).
    pub retrieved: &'static str,
    /// "record" and "records" (after a count).
    pub record: (&'static str, &'static str),
    /// Label of the number line: what the wording allows.
    pub allowed: &'static str,
    /// Label of the number line: the value found.
    pub computed: &'static str,
    /// Verdict titles, in the order of [`Verdict::ALL`] then `error`.
    titles: [&'static str; 6],
    /// What each verdict means, in the same order.
    meanings: [&'static str; 6],
}

impl Words {
    /// The title of a verdict ("Refuted", "Refutada").
    pub fn title(&self, v: Verdict) -> &'static str {
        self.titles.get(index(v)).copied().unwrap_or_default()
    }

    /// What a verdict means, for the legend.
    pub fn meaning(&self, v: Verdict) -> &'static str {
        self.meanings.get(index(v)).copied().unwrap_or_default()
    }

    /// "1 record", "3 records".
    pub fn records(&self, n: usize) -> &'static str {
        if n == 1 {
            self.record.0
        } else {
            self.record.1
        }
    }
}

fn index(v: Verdict) -> usize {
    match v {
        Verdict::Supported => 0,
        Verdict::Imprecise => 1,
        Verdict::Refuted => 2,
        Verdict::Undetermined => 3,
        Verdict::NotCheckable => 4,
        Verdict::Error => 5,
    }
}

/// English.
pub const EN: Words = Words {
    lang: "en",
    fact_check: "Fact-check",
    published: "published",
    claims_in: "claims in",
    verdicts: "verdicts",
    show: "Show",
    all: "All",
    the_article: "The article",
    claims: "Claims",
    not_in_text: "Claims not marked in the text",
    other_claims: "Other claims",
    show_in_article: "Show in the article",
    claim: "Claim",
    found: "Found",
    article_says: "Article says",
    which_allows: "which allows",
    as_of: "As of",
    words_count_from: "Words count from",
    measure: "Measure",
    problem: "Problem",
    at: "at",
    rating: "Rating",
    note: "Note",
    evidence: "Evidence",
    rule: "Rule",
    sources: "Sources",
    datasets: "Datasets",
    version: "version",
    retrieved: "retrieved",
    record: ("record", "records"),
    allowed: "allowed",
    computed: "found",
    titles: [
        "Supported",
        "Imprecise",
        "Refuted",
        "Undetermined",
        "Not checkable",
        "Could not be judged",
    ],
    meanings: [
        "every value the evidence admits makes the statement right",
        "right in substance but wrong at the precision written (e.g. truncated instead of rounded)",
        "no value the evidence admits makes the statement right",
        "the evidence is missing or too uncertain: some admissible values make it right, others not",
        "opinion, prediction or framing that data cannot settle",
        "the claim could not be judged: evaluating it met a problem (its problem says which, and where)",
    ],
};

/// Spanish (a claim is *una afirmación*: the verdicts agree with it).
pub const ES: Words = Words {
    lang: "es",
    fact_check: "Verificación",
    published: "publicado el",
    claims_in: "afirmaciones en",
    verdicts: "veredictos",
    show: "Mostrar",
    all: "Todas",
    the_article: "El artículo",
    claims: "Afirmaciones",
    not_in_text: "Afirmaciones no marcadas en el texto",
    other_claims: "Otras afirmaciones",
    show_in_article: "Ver en el artículo",
    claim: "Afirmación",
    found: "Resultado",
    article_says: "El artículo dice",
    which_allows: "que admite",
    as_of: "Fecha de referencia",
    words_count_from: "Las palabras cuentan desde",
    measure: "Medida",
    problem: "Problema",
    at: "en",
    rating: "Calificación",
    note: "Nota",
    evidence: "Evidencia",
    rule: "Regla",
    sources: "Fuentes",
    datasets: "Conjuntos de datos",
    version: "versión",
    retrieved: "descargado",
    record: ("registro", "registros"),
    allowed: "admitido",
    computed: "resultado",
    titles: [
        "Respaldada",
        "Imprecisa",
        "Refutada",
        "Indeterminada",
        "No verificable",
        "No se pudo juzgar",
    ],
    meanings: [
        "todo valor que la evidencia admite hace correcta la afirmación",
        "correcta en el fondo pero no con la precisión escrita (p. ej. truncada en vez de redondeada)",
        "ningún valor que la evidencia admite hace correcta la afirmación",
        "falta evidencia o es demasiado incierta: algunos valores admisibles la hacen correcta, otros no",
        "opinión, predicción o enfoque que los datos no pueden zanjar",
        "la afirmación no se pudo juzgar: al evaluarla surgió un problema (que se indica, con su lugar)",
    ],
};

/// Every table, English first.
pub const ALL: [&Words; 2] = [&EN, &ES];

/// The words for a language tag: its primary subtag, case-insensitively;
/// English for a language the project has no words in.
pub fn words(lang: &str) -> &'static Words {
    let primary = lang.split(['-', '_']).next().unwrap_or_default().trim();
    ALL.into_iter()
        .find(|w| w.lang.eq_ignore_ascii_case(primary))
        .unwrap_or(&EN)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn language_tags_pick_their_table() {
        assert_eq!(words("es").lang, "es");
        assert_eq!(words("es-MX").lang, "es");
        assert_eq!(words("ES_es").lang, "es");
        assert_eq!(words("en-GB").lang, "en");
        assert_eq!(words("fr").lang, "en");
        assert_eq!(words("").lang, "en");
        assert_eq!(words("<es>").lang, "en");
    }

    #[test]
    fn english_agrees_with_the_verdict_model() {
        for v in Verdict::ALL.into_iter().chain([Verdict::Error]) {
            assert_eq!(EN.meaning(v), v.meaning(), "{v:?}");
            assert_eq!(EN.title(v), crate::render::verdict_title(v), "{v:?}");
        }
    }

    #[test]
    fn every_table_names_every_verdict_differently() {
        for w in ALL {
            let mut titles: Vec<&str> = Verdict::ALL
                .into_iter()
                .chain([Verdict::Error])
                .map(|v| w.title(v))
                .collect();
            assert!(titles.iter().all(|t| !t.is_empty()), "{}", w.lang);
            titles.sort_unstable();
            titles.dedup();
            assert_eq!(titles.len(), 6, "{}", w.lang);
        }
    }
}
