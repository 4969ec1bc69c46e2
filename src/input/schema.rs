//! JSON Schemas (draft-07) of the files a run reads: claim files, table
//! files and the source registry, for TOML editors that read schemas
//! (Taplo, Even Better TOML) to complete keys and words and flag mistakes
//! as they are typed.
//!
//! Each schema is generated from the same structs the loaders deserialize
//! ([`crate::claims`], [`crate::evidence`]), so a key the loader accepts is
//! a key the schema names, and `deny_unknown_fields` becomes
//! `additionalProperties: false`. It is then enriched from the word tables
//! the loaders and the statement parser use: ratings, column types, units,
//! hemispheres, the qualifiers and period words of `states`, the forms of a
//! date value. A schema is a help, not the judge: it accepts a superset of
//! what loads (a month `13` matches the date pattern), and `factcheck
//! check` has the last word.

use schemars::generate::SchemaSettings;
use schemars::JsonSchema;
use serde_json::{json, Value};

use crate::base::lang::Lang;
use crate::claims::RATINGS;
use crate::statement::QUALIFIERS;

/// The forms of a date value (`parse_date_value`): a day, month or year, a
/// range with either side open, or `unknown`, whitespace around.
const DATE_PATTERN: &str = r"^\s*(?:[Uu][Nn][Kk][Nn][Oo][Ww][Nn]|[0-9]{4}(?:-[0-9]{2}(?:-[0-9]{2})?)?|(?:[0-9]{4}(?:-[0-9]{2}(?:-[0-9]{2})?)?)?\s*\.\.\s*(?:[0-9]{4}(?:-[0-9]{2}(?:-[0-9]{2})?)?)?)\s*$";

const DATE_FORMS: &str = "a date value: YYYY-MM-DD, YYYY-MM, YYYY, a range A..B (either side may be left open: ..B, A..), or `unknown`";

/// An http(s) address, as the loaders require.
const URL_PATTERN: &str = "^https?://";

/// The schema of a claim file (`claims/*.toml`), as pretty JSON.
pub fn claims() -> String {
    let (schema, _) = claims_value();
    pretty(&schema)
}

/// The schema of a table file (`evidence/*.toml` other than
/// `sources.toml`), as pretty JSON.
pub fn table() -> String {
    let (schema, _) = table_value();
    pretty(&schema)
}

/// The schema of the source registry (`evidence/sources.toml`), as pretty
/// JSON.
pub fn sources() -> String {
    let (schema, _) = sources_value();
    pretty(&schema)
}

fn pretty(schema: &Value) -> String {
    let mut s = serde_json::to_string_pretty(schema).unwrap_or_default();
    s.push('\n');
    s
}

/// A schema generated from `T`, with its title and description, `null`
/// taken out of optional fields (TOML has no null: an optional key is left
/// out).
fn generate<T: JsonSchema>(title: &str, description: &str) -> Value {
    let schema = SchemaSettings::draft07()
        .into_generator()
        .into_root_schema_for::<T>();
    let mut value = schema.to_value();
    drop_null(&mut value);
    // The schema's name first, where a reader looks for it.
    let Value::Object(rest) = value else {
        return value;
    };
    let mut map = serde_json::Map::new();
    if let Some(v) = rest.get("$schema") {
        map.insert("$schema".into(), v.clone());
    }
    map.insert("title".into(), Value::String(title.into()));
    map.insert("description".into(), Value::String(description.into()));
    for (k, v) in rest {
        map.entry(k).or_insert(v);
    }
    Value::Object(map)
}

fn drop_null(v: &mut Value) {
    match v {
        Value::Object(map) => {
            if map.get("default") == Some(&Value::Null) {
                map.remove("default");
            }
            if let Some(Value::Array(branches)) = map.get_mut("anyOf") {
                branches.retain(|b| b.get("type").and_then(Value::as_str) != Some("null"));
            }
            if let Some(Value::Array(types)) = map.get_mut("type") {
                types.retain(|t| t != "null");
                if let [only] = types.as_slice() {
                    let only = only.clone();
                    map.insert("type".into(), only);
                }
            }
            map.values_mut().for_each(drop_null);
        }
        Value::Array(items) => items.iter_mut().for_each(drop_null),
        _ => {}
    }
}

/// Merge the keys of `extra` into the object at `pointer`; false when
/// there is no object there (the struct changed: a test catches it).
fn patch(schema: &mut Value, pointer: &str, extra: Value) -> bool {
    match (schema.pointer_mut(pointer), extra) {
        (Some(Value::Object(target)), Value::Object(extra)) => {
            target.extend(extra);
            true
        }
        _ => false,
    }
}

/// Apply `patches`; returns the pointers that matched nothing.
fn apply(schema: &mut Value, patches: Vec<(&'static str, Value)>) -> Vec<&'static str> {
    patches
        .into_iter()
        .filter_map(|(p, extra)| (!patch(schema, p, extra)).then_some(p))
        .collect()
}

fn date(description: &str) -> Value {
    json!({
        "description": format!("{description}; {DATE_FORMS}"),
        "pattern": DATE_PATTERN,
        "examples": ["2025-05-26", "2025-05", "2025-05-27..2025-05-31"],
    })
}

fn text(description: &str) -> Value {
    json!({ "description": description })
}

/// A string that editors complete from `words` but that may be any text.
fn suggested(description: &str, words: &[String]) -> Value {
    json!({
        "description": description,
        "anyOf": [{ "enum": words }, { "type": "string" }],
    })
}

/// The words a `states` may be on its own: the qualifiers that take no
/// figure, the English period words relative to the article's date, and
/// `false`.
fn whole_states() -> Vec<String> {
    let mut words: Vec<String> = QUALIFIERS
        .iter()
        .filter(|q| !q.takes_number)
        .flat_map(|q| q.words.iter().map(|w| w.to_string()))
        .collect();
    let en = Lang::En.words();
    for p in en.periods.iter().filter(|p| !p.before_year) {
        if p.means.contains("SEASON") {
            for (season, _) in en.seasons {
                words.push(p.means.replace("SEASON", season));
            }
        } else {
            words.push(p.means.to_string());
        }
    }
    words.push("false".into());
    let mut seen = std::collections::HashSet::new();
    words.retain(|w| seen.insert(w.clone()));
    words
}

fn states_description() -> String {
    let qualifiers: Vec<String> = QUALIFIERS
        .iter()
        .map(|q| {
            let words: Vec<String> = q.words.iter().map(|w| format!("`{w}`")).collect();
            format!("{}: {}", words.join(", "), q.meaning)
        })
        .collect();
    format!(
        "What the article states, written as it wrote it. A number: `[qualifier] figure [unit]` \
         (\"78%\", \"only 3\", \"more than 5 years\", \"most\"); a date: `[in|during|before|after|by|since] PERIOD` \
         (\"last month\", \"January 2023\", \"early 2025\", \"summer 2023\"); a condition: leave it out, or \"false\" \
         for its negation. Qualifiers — {}",
        qualifiers.join("; ")
    )
}

pub(crate) fn claims_value() -> (Value, Vec<&'static str>) {
    let mut schema = generate::<crate::claims::RawFile>(
        "factcheck claim file",
        "The claims of one article: its [article], named [define]s, [[claim]]s and [[ignore]]d passages.",
    );
    let languages: Vec<String> = Lang::ALL.iter().map(|l| l.code().to_string()).collect();
    let patches = vec![
        ("/properties/article", text("The article this file checks.")),
        ("/properties/define", json!({
            "description": "Named definitions, usable in every measure of this file.",
            "additionalProperties": { "description": "An expression over the evidence." },
        })),
        ("/properties/claim", text("The article's claims, one per quote.")),
        ("/properties/ignore", text("Passages whose quantities are deliberately not claimed.")),
        ("/definitions/Article/properties/id", text("Stable id of the article.")),
        ("/definitions/Article/properties/title", text("Headline.")),
        ("/definitions/Article/properties/url", json!({
            "description": "The article's public http(s) address; leave it out when it has none (a draft, an internal memo).",
            "pattern": URL_PATTERN,
        })),
        ("/definitions/Article/properties/language", suggested(
            "Language code of the quotes (`en`, `es`, `es-ES`, …).",
            &languages,
        )),
        ("/definitions/Article/properties/published", date(
            "Publication date, bounded on both sides: relative words (\"last month\") count from it",
        )),
        ("/definitions/Article/properties/text", text("Path of the article's text, relative to this file: quotes are checked against it.")),
        ("/definitions/Article/properties/text_withheld", text("Why the article's text is not shipped (e.g. its licence)")),
        ("/definitions/Article/properties/note", text("Remark.")),
        ("/definitions/Article/properties/sources", text("Sources about the article itself (its page, its licence), by id in evidence/sources.toml.")),
        ("/definitions/Article/properties/hemisphere", json!({
            "description": "Whose seasons the article's words mean: \"south\" makes \"summer\" December–February (default \"north\").",
            "enum": ["north", "south"],
        })),
        ("/definitions/Claim/properties/id", text("Stable id, unique across all claim files.")),
        ("/definitions/Claim/properties/quote", text("The exact words of the article, in its language (`…` marks an elision).")),
        ("/definitions/Claim/properties/claim", text("English restatement of the claim.")),
        ("/definitions/Claim/properties/measure", text("An expression over the evidence: what the claim measures. Required unless checkable = false.")),
        ("/definitions/Claim/properties/states", suggested(&states_description(), &whole_states())),
        ("/definitions/Claim/properties/as_of", date("Judge the claim at this date instead of the publication date")),
        ("/definitions/Claim/properties/as_of_reason", text("Why the claim is judged at its own as_of.")),
        ("/definitions/Claim/properties/said_on", date(
            "The day the words were said (a statement the article reports): \"last month\" counts from it, not from `published`",
        )),
        ("/definitions/Claim/properties/tolerance", json!({
            "description": "Overrides the tolerance of `about` / `nearly`: a non-negative decimal in the measure's unit.",
            "examples": ["0.5"],
        })),
        ("/definitions/Claim/properties/checkable", text("false for opinion, prediction and the like: then `reason` is required.")),
        ("/definitions/Claim/properties/reason", text("Why the claim is not checkable (\"opinion\", \"prediction\", …).")),
        ("/definitions/Claim/properties/rating", json!({
            "description": "Editorial rating shown beside the verdict, never instead of it; `rating_reason` is required with it.",
            "enum": RATINGS,
        })),
        ("/definitions/Claim/properties/rating_reason", text("Why the editorial rating.")),
        ("/definitions/Claim/properties/note", text("Remark.")),
        ("/definitions/Claim", json!({
            "if": { "properties": { "checkable": { "const": false } }, "required": ["checkable"] },
            "then": { "required": ["reason"] },
            "else": { "required": ["measure"] },
            "dependencies": { "rating": ["rating_reason"], "rating_reason": ["rating"] },
        })),
        ("/definitions/Ignore/properties/quote", text("The exact words of the article.")),
        ("/definitions/Ignore/properties/reason", text("Why its quantities are not checked.")),
    ];
    let missing = apply(&mut schema, patches);
    (schema, missing)
}

pub(crate) fn table_value() -> (Value, Vec<&'static str>) {
    let mut schema = generate::<crate::evidence::RawTableFile>(
        "factcheck table file",
        "One table of the evidence: its [table] header, typed [[column]]s, sourced [[record]]s (or a CSV file) and [[order]]s between dates.",
    );
    let types: Vec<&str> = crate::evidence::TYPE_NAMES.to_vec();
    let patches = vec![
        ("/properties/table", text("The table's name and what it holds.")),
        ("/properties/column", text("The columns, each with a type.")),
        ("/properties/record", json!({
            "description": "The records: one value per column, and `sources` (ids in sources.toml) unless [table] sources covers them; `note` is optional.",
            "items": { "properties": {
                "sources": { "type": "array", "items": { "type": "string" }, "description": "The sources of this record, by id in sources.toml." },
                "note": { "type": "string", "description": "Remark." },
            } },
        })),
        ("/properties/order", text("Orderings between two date cells, each with its sources.")),
        ("/definitions/Table/properties/name", text("The table's name in expressions.")),
        ("/definitions/Table/properties/description", text("What the table holds.")),
        ("/definitions/Table/properties/key", text("The column whose values name records (`table[\"key\"]`).")),
        ("/definitions/Table/properties/temporal", text("The date columns bounding when each record holds: `table at DATE` keeps the records that hold on DATE.")),
        ("/definitions/Table/properties/csv", text("A CSV file holding the records, relative to this file.")),
        ("/definitions/Table/properties/sources", text("The dataset's own sources, by id in sources.toml, cited by every record.")),
        ("/definitions/Table/properties/sha256", json!({
            "description": "The SHA-256 the CSV file must have (64 hexadecimal digits).",
            "pattern": "^\\s*[0-9a-fA-F]{64}\\s*$",
        })),
        ("/definitions/Temporal/properties/from", text("The column of the first day a record holds.")),
        ("/definitions/Temporal/properties/to", text("The column of the last day a record holds.")),
        ("/definitions/Column/properties/name", text("The column's name (`sources` and `note` are reserved).")),
        ("/definitions/Column/properties/type", json!({
            "description": "The column's type; a quantity needs a `unit`.",
            "enum": types,
        })),
        ("/definitions/Column/properties/unit", json!({
            "description": "The unit of a quantity column (`count` or `none` for a plain number).",
            "enum": ["count", "none", "years", "year", "months", "month", "days", "day", "percent", "%"],
        })),
        ("/definitions/Column/properties/description", text("What the column holds.")),
        ("/definitions/Column", json!({
            "if": { "properties": { "type": { "const": "quantity" } }, "required": ["type"] },
            "then": { "required": ["unit"] },
        })),
        ("/definitions/Order/properties/earlier", json!({
            "description": "The earlier date cell: `table[\"key\"].column`.",
            "examples": ["employment[\"lee-acme\"].end"],
        })),
        ("/definitions/Order/properties/later", json!({
            "description": "The later date cell: `table[\"key\"].column`.",
            "examples": ["papers[\"widgets\"].published"],
        })),
        ("/definitions/Order/properties/gap", json!({
            "description": "How far apart, in whole days, months or years (default \"more than 0 days\": strictly before).",
            "examples": ["more than 0 days", "at least 30 days", "at most 1 year"],
        })),
        ("/definitions/Order/properties/sources", text("The sources of the ordering, by id in sources.toml.")),
        ("/definitions/Order/properties/note", text("Remark.")),
    ];
    let missing = apply(&mut schema, patches);
    (schema, missing)
}

pub(crate) fn sources_value() -> (Value, Vec<&'static str>) {
    let mut schema = generate::<crate::evidence::RawSources>(
        "factcheck source registry",
        "evidence/sources.toml: every source the records, orderings and articles cite.",
    );
    let patches = vec![
        ("/properties/source", text("The sources.")),
        (
            "/definitions/Source/properties/id",
            text("The id records cite."),
        ),
        (
            "/definitions/Source/properties/title",
            text("Title of the source."),
        ),
        (
            "/definitions/Source/properties/publisher",
            text("Who published it."),
        ),
        (
            "/definitions/Source/properties/url",
            json!({
                "description": "Where the source can be read (http or https).",
                "pattern": URL_PATTERN,
            }),
        ),
        (
            "/definitions/Source/properties/date",
            date("When the source was published"),
        ),
        ("/definitions/Source/properties/note", text("Remark.")),
    ];
    let missing = apply(&mut schema, patches);
    (schema, missing)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_patch_finds_its_place() {
        for (name, (_, missing)) in [
            ("claims", claims_value()),
            ("table", table_value()),
            ("sources", sources_value()),
        ] {
            assert!(missing.is_empty(), "{name}: no place for {missing:?}");
        }
    }

    #[test]
    fn whole_states_parse_as_statements() {
        let words = whole_states();
        assert!(words.contains(&"last summer".to_string()), "{words:?}");
        assert!(words.contains(&"most".to_string()), "{words:?}");
        let day = crate::date::parse_date_value("2023-09-15").unwrap();
        for w in &words {
            let number = crate::statement::parse_number_statement(w).is_ok();
            let date = crate::statement::parse_date_statement(w, &day).is_ok();
            assert!(number || date || w == "false", "`{w}` is no statement");
        }
    }

    #[test]
    fn optional_keys_are_not_null() {
        for s in [claims(), table(), sources()] {
            assert!(!s.contains("null"), "{s}");
        }
    }
}
