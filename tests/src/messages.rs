//! The window's words, read from the UI's own message files, so a test
//! looks for what a person reads in each language.

use std::path::Path;

/// The whole message file of a language.
pub fn messages(lang: &str) -> serde_json::Value {
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join(format!("../ui/messages/{lang}.json"));
    serde_json::from_str(&std::fs::read_to_string(path).unwrap()).unwrap()
}

/// A message without plural forms, as written.
pub fn message(lang: &str, key: &str) -> String {
    messages(lang)[key].as_str().unwrap_or_else(|| panic!("{lang} has no plain {key}")).to_owned()
}

/// The part of a message before its first placeholder: what a test can
/// look for without knowing the numbers.
pub fn lead(lang: &str, key: &str) -> String {
    message(lang, key).split('{').next().unwrap().trim().to_owned()
}

/// One form of a plural message (`one`, `few`, `many`, `other`), up to its
/// first placeholder.
pub fn plural_lead(lang: &str, key: &str, form: &str) -> String {
    let variants = &messages(lang)[key][0]["match"];
    let text =
        variants[format!("countPlural={form}")].as_str().unwrap_or_else(|| panic!("{lang} {key} has no {form} form"));
    text.split('{').next().unwrap().trim().to_owned()
}
