//! The words of each language the tool reads, in one place.
//!
//! Every word a text or a claim may write — number words, month and season
//! names, qualifiers, units of time, period words, fractions, the words that
//! relate one date to another — is declared once per language, in [`en`] and
//! [`es`], and read from here by the period parser ([`crate::date`]), the
//! statement parser ([`crate::statement`]) and the extractor
//! ([`crate::extract`]): a word added to a table works in all three.
//!
//! Words are stored folded ([`fold`]: lower case, accents removed, `ñ`
//! kept), so "Más" and "mas" are the same word. The claim language is
//! English: a Spanish table maps its phrases to the English words a claim's
//! `states` field writes (`más de` → `more than`, `el verano pasado` → `last
//! summer`), and the statement parser reads either.

pub mod en;
pub mod es;

/// The language of a text: it decides which words are numbers and
/// qualifiers, and how "1.200" / "1,200" read.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Lang {
    /// English: "1,200" is twelve hundred, "3.5" a decimal.
    En,
    /// Spanish: "1.200" is twelve hundred, "3,5" a decimal.
    Es,
}

impl Lang {
    /// Every language, English first.
    pub const ALL: [Lang; 2] = [Lang::En, Lang::Es];

    /// The language of a code such as `"en"`, `"es"`, `"es-ES"` or `"EN_us"`
    /// (the `language` field of a claim file); `None` if unsupported.
    pub fn from_code(code: &str) -> Option<Lang> {
        let primary = code
            .trim()
            .split(['-', '_'])
            .next()
            .unwrap_or("")
            .to_ascii_lowercase();
        match primary.as_str() {
            "en" => Some(Lang::En),
            "es" => Some(Lang::Es),
            _ => None,
        }
    }

    /// The ISO 639-1 code: `"en"` or `"es"`.
    pub fn code(self) -> &'static str {
        match self {
            Lang::En => "en",
            Lang::Es => "es",
        }
    }

    /// The language's table of words.
    pub fn words(self) -> &'static Words {
        match self {
            Lang::En => &en::WORDS,
            Lang::Es => &es::WORDS,
        }
    }
}

/// Fold a word for lookup: lower case, without accents or combining marks
/// (`ñ` is kept: "años" stays `años`, "más" becomes `mas`).
pub fn fold(word: &str) -> String {
    let mut out = String::with_capacity(word.len());
    for c in word.chars().flat_map(char::to_lowercase) {
        match c {
            'á' | 'à' | 'â' | 'ä' => out.push('a'),
            'é' | 'è' | 'ê' | 'ë' => out.push('e'),
            'í' | 'ì' | 'î' | 'ï' => out.push('i'),
            'ó' | 'ò' | 'ô' | 'ö' => out.push('o'),
            'ú' | 'ù' | 'û' | 'ü' => out.push('u'),
            // Combining marks of decomposed text ("n\u{303}" is "ñ").
            '\u{303}' if out.ends_with('n') => {
                out.pop();
                out.push('ñ');
            }
            '\u{300}'..='\u{36f}' => {}
            _ => out.push(c),
        }
    }
    out
}

/// What a number word contributes to the number it is part of.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum NumberWord {
    /// 0–9 ("one", "uno", "un", "una").
    Unit(i128),
    /// A single word from 10 up that takes no units after it: "ten" …
    /// "nineteen", "diez" … "veintinueve".
    Teen(i128),
    /// A multiple of ten that may take a unit: "twenty", "treinta".
    Tens(i128),
    /// English "hundred": multiplies what precedes it.
    Hundred,
    /// A Spanish hundreds word, with its value: "doscientos", "cien".
    Hundreds(i128),
    /// Spanish "ciento": 100, only before a smaller number ("ciento cinco").
    Ciento,
    /// "thousand", "million", "mil", "millones": multiplies what precedes.
    Scale(i128),
    /// "dozen", "docena(s)": twelve of what precedes, and the end.
    Dozen,
}

impl NumberWord {
    /// A word that may follow "ciento" or a scale: one to ninety-nine.
    pub fn is_small(self) -> bool {
        matches!(
            self,
            NumberWord::Unit(1..) | NumberWord::Teen(_) | NumberWord::Tens(_)
        )
    }
}

/// How a number word is joined to the one before it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Join {
    /// The first word.
    First,
    /// After whitespace: "three hundred".
    Space,
    /// After a hyphen: "twenty-one".
    Hyphen,
    /// After the language's "and" ("and", "y"): "treinta y uno".
    And,
}

/// Reads a number written in words, one word at a time, by the grammar of
/// its language: "three hundred and five", "twenty-one", "ciento cinco",
/// "dos mil", "una docena".
#[derive(Debug, Clone)]
pub struct NumberReader {
    lang: Lang,
    total: i128,
    cur: i128,
    last: Option<NumberWord>,
    last_scale: Option<i128>,
    hundred_done: bool,
    count: usize,
}

impl NumberReader {
    /// A reader of `lang`'s number words.
    pub fn new(lang: Lang) -> Self {
        NumberReader {
            lang,
            total: 0,
            cur: 0,
            last: None,
            last_scale: None,
            hundred_done: false,
            count: 0,
        }
    }

    /// Start with an implied one, as in English "a hundred", "a dozen".
    pub fn with_article(lang: Lang) -> Self {
        let mut r = NumberReader::new(lang);
        r.cur = 1;
        r.last = Some(NumberWord::Unit(1));
        r.count = 1;
        r
    }

    /// Whether no word was read yet.
    pub fn is_empty(&self) -> bool {
        self.last.is_none()
    }

    /// Whether `w`, joined by `join`, may continue the number read so far.
    pub fn accepts(&self, w: NumberWord, join: Join) -> bool {
        follows(
            self.lang,
            self.last,
            w,
            join,
            self.hundred_done,
            self.last_scale,
        )
    }

    /// Add word `w` (which [`NumberReader::accepts`]); `None` on overflow.
    /// Returns whether the number may go on ("a dozen" and "zero" end it).
    pub fn push(&mut self, w: NumberWord) -> Option<bool> {
        match w {
            NumberWord::Unit(v)
            | NumberWord::Teen(v)
            | NumberWord::Tens(v)
            | NumberWord::Hundreds(v) => self.cur = self.cur.checked_add(v)?,
            NumberWord::Ciento => self.cur = self.cur.checked_add(100)?,
            NumberWord::Hundred => {
                self.cur = self.cur.checked_mul(100)?;
                self.hundred_done = true;
            }
            NumberWord::Scale(s) if self.lang == Lang::Es && s == 1_000 => {
                self.cur = self.cur.max(1).checked_mul(s)?;
                self.last_scale = Some(s);
                self.hundred_done = false;
            }
            NumberWord::Scale(s) => {
                self.total = self.total.checked_add(self.cur.checked_mul(s)?)?;
                self.cur = 0;
                self.last_scale = Some(s);
                self.hundred_done = false;
            }
            NumberWord::Dozen => self.cur = self.cur.max(1).checked_mul(12)?,
        }
        self.count += 1;
        self.last = Some(w);
        Some(!matches!(w, NumberWord::Dozen | NumberWord::Unit(0)))
    }

    /// The number read so far; `None` when nothing was read or the last
    /// word needs another ("ciento" alone), or on overflow.
    pub fn value(&self) -> Option<i128> {
        match self.last {
            None | Some(NumberWord::Ciento) => None,
            Some(_) => self.total.checked_add(self.cur),
        }
    }

    /// A single word meaning one ("one", "un", "una").
    pub fn is_lone_one(&self) -> bool {
        self.count == 1 && self.value() == Some(1)
    }

    /// Whether the number ends with "dozen" (a round figure).
    pub fn ends_with_dozen(&self) -> bool {
        self.last == Some(NumberWord::Dozen)
    }
}

/// Whether number word `w` may follow `last`, joined by `join`.
fn follows(
    lang: Lang,
    last: Option<NumberWord>,
    w: NumberWord,
    join: Join,
    hundred_done: bool,
    last_scale: Option<i128>,
) -> bool {
    use NumberWord as N;
    let small = w.is_small();
    let scale_ok = |s: i128| {
        last_scale.is_none_or(|l| {
            s < l || (lang == Lang::Es && l == 1_000 && s > 1_000 && last == Some(N::Scale(1_000)))
        })
    };
    match lang {
        Lang::En => match (last, w, join) {
            (None, N::Unit(_) | N::Teen(_) | N::Tens(_), Join::First) => true,
            (Some(N::Unit(1..) | N::Teen(_)), N::Hundred, Join::Space) => !hundred_done,
            (
                Some(N::Unit(1..) | N::Teen(_) | N::Tens(_) | N::Hundred),
                N::Scale(s),
                Join::Space,
            ) => scale_ok(s),
            (Some(N::Unit(1..) | N::Teen(_) | N::Tens(_)), N::Dozen, Join::Space) => true,
            (Some(N::Tens(_)), N::Unit(1..), Join::Space | Join::Hyphen) => true,
            (Some(N::Hundred | N::Scale(_)), _, Join::Space | Join::And) => small,
            _ => false,
        },
        Lang::Es => match (last, w, join) {
            (None, N::Scale(s), Join::First) => s == 1_000,
            (None, N::Dozen, _) => false,
            (None, _, Join::First) => true,
            (
                Some(N::Unit(1..) | N::Teen(_) | N::Tens(_) | N::Hundreds(_)),
                N::Scale(s),
                Join::Space,
            ) => scale_ok(s),
            (Some(N::Scale(l)), N::Scale(s), Join::Space) => l == 1_000 && s > 1_000 && scale_ok(s),
            (Some(N::Unit(1..) | N::Teen(_) | N::Tens(_)), N::Dozen, Join::Space) => true,
            (Some(N::Tens(_)), N::Unit(1..), Join::And) => true,
            (Some(N::Hundreds(v)), _, Join::Space) => v != 100 && small,
            (Some(N::Ciento), _, Join::Space) => small,
            (Some(N::Scale(_)), N::Hundreds(_) | N::Ciento, Join::Space) => true,
            (Some(N::Scale(_)), _, Join::Space) => small,
            _ => false,
        },
    }
}

/// A unit of time as the claim language writes it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TimeUnit {
    /// Years.
    Years,
    /// Months.
    Months,
    /// Days.
    Days,
}

impl TimeUnit {
    /// The English unit word after a figure: singular for exactly one.
    pub fn word(self, one: bool) -> &'static str {
        match (self, one) {
            (TimeUnit::Years, true) => "year",
            (TimeUnit::Years, false) => "years",
            (TimeUnit::Months, true) => "month",
            (TimeUnit::Months, false) => "months",
            (TimeUnit::Days, true) => "day",
            (TimeUnit::Days, false) => "days",
        }
    }
}

/// A meteorological season.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Season {
    /// Spring.
    Spring,
    /// Summer.
    Summer,
    /// Autumn (fall).
    Autumn,
    /// Winter.
    Winter,
}

impl Season {
    /// The English name the claim language writes.
    pub fn name(self) -> &'static str {
        match self {
            Season::Spring => "spring",
            Season::Summer => "summer",
            Season::Autumn => "autumn",
            Season::Winter => "winter",
        }
    }
}

/// A period phrase and what it means in the claim language.
///
/// `words` are folded; the word `SEASON` in `words` stands for any season
/// name of the language, and in `means` for its English name. A phrase with
/// `before_year` is only a period before a four-digit year, which follows
/// `means` ("principios de" → `early`, so "principios de 2025" is `early
/// 2025`).
#[derive(Debug, Clone, Copy)]
pub struct PeriodPhrase {
    /// The words, folded.
    pub words: &'static [&'static str],
    /// The English period words of the period table.
    pub means: &'static str,
    /// Whether a year must follow.
    pub before_year: bool,
}

/// A phrase relating one dated fact to another ("a year later", "the same
/// year", "the first to leave", "antes de que"), which a condition over two
/// dates checks (there is no figure to state).
///
/// In `words` (folded), a few capitalised placeholders stand for a class of
/// words: `N` a number (digits or words), `UNIT` a unit of time (`N UNIT`
/// in `means` is the duration they make, in years, months or days), `VERB`
/// any word, `ING` a word ending in "ing", `SUBJ` a
/// subject pronoun or a capitalised name, `CHANGE` a verb of
/// [`Words::change_verbs`], `GAP` one to five words (no figures or
/// punctuation), and `DATE` a date or period that follows (not part of the
/// phrase).
#[derive(Debug, Clone, Copy)]
pub struct RelationPhrase {
    /// The words, folded, with placeholders.
    pub words: &'static [&'static str],
    /// The relation in English words, as a finding reports it.
    pub means: &'static str,
}

/// One language's words. Every word is folded.
#[derive(Debug)]
pub struct Words {
    /// Number words.
    pub numbers: &'static [(&'static str, NumberWord)],
    /// The word joining tens and units ("and", "y").
    pub and: &'static str,
    /// Words that multiply a figure written in digits ("3 million", "2,5
    /// millones"), as a power of ten.
    pub scales: &'static [(&'static str, u32)],
    /// Durations: the unit they are counted in and how many of it one is
    /// ("decade" = 10 years, "week" = 7 days).
    pub time_units: &'static [(&'static str, TimeUnit, i128)],
    /// Month names and abbreviations with their number.
    pub months: &'static [(&'static str, u8)],
    /// Season names.
    pub seasons: &'static [(&'static str, Season)],
    /// Qualifier phrases and the English qualifier of
    /// [`crate::statement::QUALIFIERS`] each means; empty for English, whose
    /// qualifiers are that table's (see [`en`]). A phrase ending in `de`
    /// also matches with `del` (de + el).
    pub qualifiers: &'static [(&'static [&'static str], &'static str)],
    /// Words placing a date relative to a period, and the English relation
    /// word of [`crate::statement::parse_date_statement`].
    pub date_relations: &'static [(&'static [&'static str], &'static str)],
    /// Period phrases: parts of a year, periods relative to the article's
    /// date, seasons.
    pub periods: &'static [PeriodPhrase],
    /// Words for one half ("half", "la mitad").
    pub half: &'static [&'static [&'static str]],
    /// Denominator words of fractions ("third", "tercios") and their value.
    pub denominators: &'static [(&'static str, i128)],
    /// Spanish "tercera parte": ordinal words that make a fraction with
    /// `parte(s)`, and their value (empty for English).
    pub part_ordinals: &'static [(&'static str, i128)],
    /// Words that make a figure a percentage ("percent", "por ciento").
    pub percent: &'static [&'static [&'static str]],
    /// Articles that may stand between a qualifier and its figure ("casi
    /// el 80%", "menos de la mitad").
    pub articles: &'static [&'static str],
    /// Words saying a figure is the whole of a group: "all 8", "los ocho".
    pub all: &'static [&'static [&'static str]],
    /// Capitalised words that commonly start a sentence before a number (a
    /// number after any *other* capitalised word, "Llama 3", is a version).
    pub common: &'static [&'static str],
    /// Phrases relating two dated facts.
    pub relations: &'static [RelationPhrase],
    /// Phrases meaning "most" (more than half) without a figure: "the
    /// majority", "la mayoría", "en su mayoría".
    pub majority: &'static [&'static [&'static str]],
    /// Words between a part and its whole ("11 of 14", "3 de cada 10"), and
    /// whether a determiner may follow ("of the 14", not "in the 3").
    pub ratio: &'static [(&'static [&'static str], bool)],
    /// Determiners before a ratio's whole: "the", "their", "los", "sus".
    pub determiners: &'static [&'static str],
    /// Words after a duration that add a half: "and a half", "y medio".
    pub and_a_half: &'static [&'static [&'static str]],
    /// The commonest function words, by which a text's language is guessed.
    pub function_words: &'static [&'static str],
    /// Words after a duration that make it the time between two dated
    /// facts: "a year later", "two years after", "un año después".
    pub later: &'static [&'static [&'static str]],
    /// Subject pronouns (`SUBJ` in a relation phrase, with any capitalised
    /// word): "since he left".
    pub subjects: &'static [&'static str],
    /// Verbs of joining and leaving (`CHANGE` in a relation phrase): "since
    /// he left", not "since it was cheaper".
    pub change_verbs: &'static [&'static str],
}

impl Words {
    /// The number word `w` (folded), if it is one.
    pub fn number(&self, w: &str) -> Option<NumberWord> {
        find(self.numbers, w)
    }

    /// The power of ten a scale word multiplies digits by.
    pub fn scale(&self, w: &str) -> Option<u32> {
        find(self.scales, w)
    }

    /// The duration word `w`: its unit and how many of that unit one is.
    pub fn time_unit(&self, w: &str) -> Option<(TimeUnit, i128)> {
        self.time_units
            .iter()
            .find(|(word, _, _)| *word == w)
            .map(|(_, u, n)| (*u, *n))
    }

    /// The month number of a month name or abbreviation.
    pub fn month(&self, w: &str) -> Option<u8> {
        find(self.months, w)
    }

    /// Whether `w` is an abbreviated month (which may take a period).
    pub fn is_abbreviated_month(&self, w: &str) -> bool {
        w.len() <= 4 && self.month(w).is_some() && !matches!(w, "may" | "mayo" | "june")
    }

    /// The season named `w`.
    pub fn season(&self, w: &str) -> Option<Season> {
        find(self.seasons, w)
    }

    /// The value of a fraction's denominator word.
    pub fn denominator(&self, w: &str) -> Option<i128> {
        find(self.denominators, w)
    }
}

fn find<V: Copy>(table: &[(&str, V)], w: &str) -> Option<V> {
    table.iter().find(|(word, _)| *word == w).map(|(_, v)| *v)
}

/// The English name of month `m` (1–12), as canonical values spell it.
pub fn month_name(m: u8) -> Option<&'static str> {
    en::MONTH_NAMES.get(usize::from(m).checked_sub(1)?).copied()
}

/// The month a word names in any language.
pub fn any_month(w: &str) -> Option<u8> {
    Lang::ALL.iter().find_map(|l| l.words().month(w))
}

/// The season a word names in any language.
pub fn any_season(w: &str) -> Option<Season> {
    Lang::ALL.iter().find_map(|l| l.words().season(w))
}

#[cfg(test)]
mod tests;
