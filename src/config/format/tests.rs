use super::format;

fn formatted(text: &str) -> String {
    let once = format(text).expect("formats");
    assert_eq!(format(&once).expect("formats again"), once, "idempotent");
    once
}

#[test]
fn keys_follow_the_schema_and_comments_travel_with_them() {
    let text = "[[roles]]\n# the colour\ncolor = \"#ff0000\"\nname   =  \"Admin\"\nkey = \"admin\" # pinned\n";
    assert_eq!(
        formatted(text),
        "[[roles]]\nkey = \"admin\" # pinned\nname = \"Admin\"\n# the colour\ncolor = \"#ff0000\"\n"
    );
}

#[test]
fn permission_lists_are_in_bit_order_and_break_past_the_width() {
    let text = "[everyone]\npermissions = [\"send_messages\", \"view_channel\"]\n";
    assert_eq!(
        formatted(text),
        "[everyone]\npermissions = [\"view_channel\", \"send_messages\"]\n"
    );
    let long = "[everyone]\npermissions = [\"view_channel\", \"send_messages\", \"read_message_history\", \"add_reactions\", \"use_external_emojis\", \"change_nickname\"]\n";
    assert_eq!(
        formatted(long),
        "[everyone]\npermissions = [\n  \"add_reactions\",\n  \"view_channel\",\n  \"send_messages\",\n  \"read_message_history\",\n  \"use_external_emojis\",\n  \"change_nickname\",\n]\n"
    );
}

#[test]
fn comments_inside_lists_stay_above_their_item() {
    let text = "[everyone]\npermissions = [\"send_messages\", # posting\n  # reading\n  \"view_channel\"]\n";
    let out = formatted(text);
    assert_eq!(
        out,
        "[everyone]\npermissions = [\n  # reading\n  \"view_channel\",\n  \"send_messages\", # posting\n]\n"
    );
}

#[test]
fn lists_of_inline_tables_align_their_second_key() {
    let text = "[[categories]]\nname = \"Info\"\noverwrites = [{ allow = [\"send_messages\"], role = \"team\" }, { role = \"everyone\", deny = [\"send_messages\", \"view_channel\"] }, { role = \"moderator\", allow = [\"send_messages\"] }]\n";
    assert_eq!(
        formatted(text),
        "[[categories]]\nname = \"Info\"\noverwrites = [\n  { role = \"team\",      allow = [\"send_messages\"] },\n  { role = \"everyone\",  deny = [\"view_channel\", \"send_messages\"] },\n  { role = \"moderator\", allow = [\"send_messages\"] },\n]\n"
    );
}

#[test]
fn invalid_toml_is_an_error_at_its_line_and_column() {
    let error = format("[guild]\nname = \n").unwrap_err();
    assert_eq!((error.line, error.column), (2, 8));
}

#[test]
fn the_server_file_and_every_example_are_formatted() {
    let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR"));
    let mut files = vec![root.join("server.toml")];
    for entry in std::fs::read_dir(root.join("examples")).unwrap() {
        let path = entry.unwrap().path();
        if path.extension().is_some_and(|e| e == "toml") {
            files.push(path);
        }
    }
    for path in files {
        let text = std::fs::read_to_string(&path).unwrap();
        assert!(
            format(&text).unwrap() == text,
            "{} is not formatted: run `miyabi-guild fmt --config {}`",
            path.display(),
            path.display()
        );
    }
}
