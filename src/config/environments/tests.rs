use super::{name_problem, omit_problem, token_variable};

#[test]
fn names_map_to_token_variables() {
    assert_eq!(token_variable("staging"), "DISCORD_TOKEN_STAGING");
    assert_eq!(token_variable("eu-prod_2"), "DISCORD_TOKEN_EU_PROD_2");
    assert!(name_problem("staging").is_none());
    assert!(name_problem("Staging").is_some());
    assert!(name_problem("").is_some());
    assert!(name_problem(&"a".repeat(33)).is_some());
}

#[test]
fn omit_takes_tables_and_kind_name_pairs() {
    assert!(omit_problem("events").is_none());
    assert!(omit_problem("webhook:github-feed").is_none());
    assert!(omit_problem("channel:#bot-test").is_none());
    assert!(
        omit_problem("evnts")
            .unwrap()
            .contains("did you mean `events`")
    );
    assert!(
        omit_problem("webhok:x")
            .unwrap()
            .contains("did you mean `webhook`")
    );
    assert!(omit_problem("role:").is_some());
    assert!(omit_problem("include").is_some());
}
