use super::wildcard_match;

#[test]
fn wildcards_match_within_a_segment() {
    assert!(wildcard_match("*.toml", "roles.toml"));
    assert!(wildcard_match("0?-*.toml", "01-info.toml"));
    assert!(!wildcard_match("*.toml", "roles.json"));
    assert!(wildcard_match("*", ""));
    assert!(!wildcard_match("a*b", "ac"));
    assert!(wildcard_match("a*b*c", "axxbyyc"));
}
